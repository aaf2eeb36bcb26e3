"""ESCO from the admin's browser: a .zip of the CSV download (tests/fixtures/esco zipped in
tmp_path) unpacked safely into the job's directory, imported with progress, problems as a
report, nothing written when anything is wrong, the unpacked files deleted afterwards.

The web half runs on the embedded store (the importer itself is tested on both stores in
tests/test_esco_import.py); the unpacking is tested directly, without Flask."""

from __future__ import annotations

import csv
import gzip
import io
import stat
import zipfile
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from graph.jobs import JOB_DIR, read_job
from graph.model import Label
from graph.stores import StoreSettings
from graph.world import dumps_world
from importers.esco import esco_id
from importers.esco.archive import ArchiveInvalid, csv_dirs, extract_csv_zip
from tests.test_web_admin import make_app, wait_for_job
from tests.test_web_auth import USERS, csrf_token, login
from web.admin.imports import PROGRESS_SCALE, READ_SHARE, UNPACK_SHARE, _import_esco_zip

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "esco"
WAREHOUSE = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"
RECORD_SYSTEMS = "http://data.europa.eu/esco/skill/055ff233-6569-43db-9f95-a4b03dca97da"
BROKEN_ISCO = "93x3"


@pytest.fixture
def app(tmp_path):
    app = make_app(StoreSettings(data_dir=tmp_path / "data"))
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


@pytest.fixture
def admin(app):
    client = app.test_client()
    assert login(client, USERS["admin"].email).status_code == 302
    return client


def fixture_members(prefix: str = "") -> dict[str, bytes]:
    """Every fixture file under its path in the ESCO layout (en/, de/, ba/)."""
    return {
        prefix + path.relative_to(FIXTURES).as_posix(): path.read_bytes()
        for path in sorted(FIXTURES.rglob("*"))
        if path.is_file()
    }


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "esco.zip", **fields):
    form = {
        "esco-csrf_token": csrf_token(client, "/admin/imports"),
        "esco-file": (io.BytesIO(data), name),
        **{f"esco-{key}": value for key, value in fields.items()},
    }
    return client.post("/admin/imports/esco", data=form, content_type="multipart/form-data")


def job_files(app) -> list[Path]:
    root = Path(app.config["WEGWEISER_DATA_DIR"]) / JOB_DIR
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def report_rows(client, location: str) -> list[list[str]]:
    response = client.get(location + "/problems.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


# --- through the web -------------------------------------------------------------------------


def test_the_page_offers_the_esco_form(admin):
    page = admin.get("/admin/imports").get_data(as_text=True)
    assert 'action="/admin/imports/esco"' in page
    assert '<label for="esco-file">' in page and '<label for="esco-languages">' in page
    assert '<label for="esco-ba_mapping">' in page


def test_a_zipped_download_imports_with_counts_and_the_unpacked_files_go(app, admin, store):
    occupation = esco_id(Label.OCCUPATION, WAREHOUSE)
    assert store.existing_ids(Label.OCCUPATION, [occupation]) == set()
    response = upload(admin, make_zip(fixture_members("ESCO dataset/")), languages="en, de")
    assert response.status_code == 302
    page = wait_for_job(admin, response.headers["Location"])
    assert '<progress max="100" value="100"' in page
    assert "en, de" in page
    assert "Davon neue Knoten" in page
    node = store.get_node(Label.OCCUPATION, occupation).props
    assert node["label_en"] == "warehouse worker"
    assert node["label_de"] == "Lagerarbeiter/Lagerarbeiterin"
    skill = store.get_node(Label.SKILL, esco_id(Label.SKILL, RECORD_SYSTEMS)).props
    assert skill["label_de"] == "Lagerdatenerfassungssysteme bedienen"  # BA table in the zip
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    job = read_job(app.config["WEGWEISER_DATA_DIR"], job_id)
    assert job.state == "done"
    assert job.result["languages"] == "en, de"
    assert job.result["new_nodes"] == 7
    assert job.result["nodes"] >= 7 and job.result["relationships"] == 6
    assert job_files(app) == [Path(job_id) / "status.json"]  # zip and unpacked files deleted


def test_the_ba_table_may_come_as_its_own_upload(admin, store):
    members = {k: v for k, v in fixture_members().items() if not k.startswith("ba/")}
    ba = (FIXTURES / "ba" / "EURESmapping_skills_DE.csv").read_bytes()
    response = upload(
        admin,
        make_zip(members),
        languages="en,de",
        ba_mapping=(io.BytesIO(gzip.compress(ba)), "EURESmapping_skills_DE.csv.gz"),
    )
    wait_for_job(admin, response.headers["Location"])
    skill = store.get_node(Label.SKILL, esco_id(Label.SKILL, RECORD_SYSTEMS)).props
    assert skill["label_de"] == "Lagerdatenerfassungssysteme bedienen"


def test_a_broken_csv_fails_with_problem_rows_and_writes_nothing(app, admin, store, tmp_path):
    before = dumps_world(store)
    members = fixture_members()
    text = members["en/occupations_en.csv"].decode("utf-8")
    assert ",9333," in text
    members["en/occupations_en.csv"] = text.replace(",9333,", f",{BROKEN_ISCO},", 1).encode()
    response = upload(admin, make_zip(members), languages="en")
    location = response.headers["Location"]
    page = wait_for_job(admin, location)
    assert "Nichts wurde importiert." in page
    assert "ESCO import: 1 problem(s)" in page
    assert BROKEN_ISCO in page and "iscoGroup" in page
    assert str(tmp_path) not in page  # no server paths, file names relative to the zip
    rows = report_rows(admin, location)
    assert rows[0][0] == "Zeile/row"
    (problem,) = rows[1:]
    assert problem[:3] == ["13", "iscoGroup", BROKEN_ISCO]  # the line where the row ends
    assert problem[4].startswith("en/occupations_en.csv: ")
    assert dumps_world(store) == before
    job_id = location.rsplit("/", 1)[1]
    assert Path(job_id) / "status.json" in job_files(app)
    assert {p.name for p in job_files(app)} == {"status.json", "problems.csv"}  # the report


def test_a_missing_file_names_it_relative_to_the_zip(admin, store, tmp_path):
    before = dumps_world(store)
    members = {k: v for k, v in fixture_members().items() if "broaderRelations" not in k}
    response = upload(admin, make_zip(members), languages="en")
    page = wait_for_job(admin, response.headers["Location"])
    assert "broaderRelationsSkillPillar" in page and str(tmp_path) not in page
    assert dumps_world(store) == before


def test_a_zip_slip_member_is_rejected_and_nothing_lands_outside(app, admin, store, tmp_path):
    before = dumps_world(store)
    members = {**fixture_members(), "../../evil.csv": b"conceptUri\nx\n"}
    response = upload(admin, make_zip(members))
    location = response.headers["Location"]
    page = wait_for_job(admin, location)
    assert "Nichts wurde importiert." in page
    assert "../../evil.csv" in page
    assert "points outside the archive" in page
    rows = report_rows(admin, location)
    assert "../../evil.csv" in rows[1][2]
    assert not list(tmp_path.rglob("evil.csv"))
    assert dumps_world(store) == before
    assert {p.name for p in job_files(app)} == {"status.json", "problems.csv"}


def test_an_oversized_archive_is_rejected_naming_the_limit(app, admin, store):
    app.config["WEGWEISER_ESCO_MAX_UNPACKED"] = 4 * 1024
    before = dumps_world(store)
    members = {**fixture_members(), "en/padding.csv": b"0" * (64 * 1024)}
    response = upload(admin, make_zip(members))
    page = wait_for_job(admin, response.headers["Location"])
    assert "Nichts wurde importiert." in page
    assert "more than the limit of 4 KB" in page
    assert dumps_world(store) == before


def test_a_wrong_suffix_is_refused_with_400(admin):
    response = upload(admin, make_zip(fixture_members()), name="esco.tar")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nur ZIP-Archive mit der Endung .zip sind erlaubt" in page
    assert 'id="esco-file-error"' in page


def test_a_wrong_ba_suffix_and_bad_languages_are_refused_with_400(admin):
    data = make_zip(fixture_members())
    response = upload(admin, data, ba_mapping=(io.BytesIO(b"x"), "ba.xlsx"))
    assert response.status_code == 400
    assert ".csv.gz haben" in response.get_data(as_text=True)
    response = upload(admin, data, languages="english; german")
    assert response.status_code == 400
    assert "z. B. en,de" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["advisor", "employer", "coach"])
def test_other_roles_cannot_upload(app, role):
    client = app.test_client()
    login(client, USERS[role].email)
    token = csrf_token(client, "/")
    response = client.post(
        "/admin/imports/esco",
        data={
            "csrf_token": token,
            "esco-csrf_token": token,
            "esco-file": (io.BytesIO(make_zip(fixture_members())), "esco.zip"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert job_files(app) == []


def test_anonymous_upload_goes_to_the_login(app):
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/admin/imports/esco",
        data={"esco-csrf_token": token, "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert job_files(app) == []


# --- progress --------------------------------------------------------------------------------


def test_progress_runs_from_unpacking_through_reading_to_writing(store, tmp_path):
    archive = tmp_path / "esco.zip"
    archive.write_bytes(make_zip(fixture_members()))
    seen: list[tuple[int, int]] = []
    result = _import_esco_zip(
        store,
        archive,
        tmp_path / "unpacked",
        ["en", "de"],
        None,
        1024 * 1024,
        100,
        lambda done, total: seen.append((done, total)),
    )
    assert result["new_nodes"] == 7
    dones = [done for done, _ in seen]
    assert {total for _, total in seen} == {PROGRESS_SCALE}
    assert dones == sorted(dones) and dones[-1] == PROGRESS_SCALE  # only the write ends there
    assert UNPACK_SHARE in dones  # unpacking reported its end
    assert any(UNPACK_SHARE < d <= UNPACK_SHARE + READ_SHARE for d in dones)  # reading


# --- unpacking, without Flask ----------------------------------------------------------------


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.write_bytes(make_zip(members))
    return path


def test_only_csv_members_are_unpacked_into_their_folders(tmp_path):
    archive = write_zip(
        tmp_path / "a.zip",
        {
            **fixture_members("dl/"),
            "dl/README.pdf": b"%PDF",
            "__MACOSX/dl/._occupations_en.csv": b"junk",
        },
    )
    unpacked = extract_csv_zip(archive, tmp_path / "out")
    assert sorted(f.as_posix() for f in unpacked.files) == sorted(k for k in fixture_members("dl/"))
    assert [d.name for d in csv_dirs(unpacked)] == ["ba", "de", "en"]
    assert "dl/README.pdf" in unpacked.skipped
    assert not (tmp_path / "out" / "__MACOSX").exists()


@pytest.mark.parametrize(
    "name", ["../x.csv", "/etc/x.csv", "a/../../x.csv", "..\\x.csv", "C:/x.csv"]
)
def test_names_outside_the_target_are_refused_before_writing(tmp_path, name):
    archive = write_zip(tmp_path / "a.zip", {"ok.csv": b"a\n", name: b"a\n"})
    with pytest.raises(ArchiveInvalid, match="outside the archive") as caught:
        extract_csv_zip(archive, tmp_path / "deep" / "out")
    assert caught.value.member == name
    assert not (tmp_path / "deep" / "out").exists()
    assert not list(tmp_path.rglob("x.csv"))


def test_symlinks_are_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        link = zipfile.ZipInfo("link.csv")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    archive = tmp_path / "a.zip"
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(ArchiveInvalid, match="symbolic links"):
        extract_csv_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_fails_on_the_declared_size_before_anything_is_written(tmp_path):
    archive = write_zip(tmp_path / "bomb.zip", {"skills_en.csv": b"\0" * (20 * 1024 * 1024)})
    assert archive.stat().st_size < 100 * 1024
    with pytest.raises(ArchiveInvalid, match="more than the limit of 1 MB") as caught:
        extract_csv_zip(archive, tmp_path / "out", max_bytes=1024 * 1024)
    assert "Grenze von 1 MB" in caught.value.de
    assert not (tmp_path / "out").exists()


def test_a_gzip_bomb_inside_the_zip_fails_on_the_inflated_size(tmp_path):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    archive = write_zip(tmp_path / "bomb.zip", {"en/skills_en.csv.gz": bomb})
    with pytest.raises(ArchiveInvalid, match="more than the limit of 1 MB"):
        extract_csv_zip(archive, tmp_path / "out", max_bytes=1024 * 1024)
    assert not (tmp_path / "out").exists()


def test_a_header_that_understates_the_size_is_caught_while_writing(tmp_path):
    archive = write_zip(tmp_path / "a.zip", {"skills_en.csv": b"x" * 5000})
    data = bytearray(archive.read_bytes())
    # Lie in both headers: declared uncompressed size 10 instead of 5000.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature)
        data[at + offset : at + offset + 4] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="cannot be unpacked"):  # zipfile stops at 10, CRC
        extract_csv_zip(archive, tmp_path / "out", max_bytes=1000)
    assert not (tmp_path / "out").exists()


def test_too_many_members_and_no_csv_and_not_a_zip_are_clear_errors(tmp_path):
    many = write_zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(11)})
    with pytest.raises(ArchiveInvalid, match="11 entries; at most 10"):
        extract_csv_zip(many, tmp_path / "out", max_members=10)
    none = write_zip(tmp_path / "none.zip", {"readme.txt": b"x"})
    with pytest.raises(ArchiveInvalid, match=r"no \.csv or \.csv\.gz"):
        extract_csv_zip(none, tmp_path / "out")
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(ArchiveInvalid, match="not a readable zip"):
        extract_csv_zip(fake, tmp_path / "out")
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as zf:
        zf.writestr("a.csv", "1")
        zf.writestr("A.csv", "2")
    with pytest.raises(ArchiveInvalid, match="twice"):
        extract_csv_zip(twice, tmp_path / "out")
    assert not (tmp_path / "out").exists()
