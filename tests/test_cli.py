"""The ``wegweiser`` command as a person uses it: real processes, real stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.stores import StoreSettings

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"


def env_for(settings: StoreSettings) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_STORE": settings.kind,
        "WEGWEISER_DATA": str(settings.data_dir),
    }
    if settings.kind == "neo4j":
        env.update(
            NEO4J_URI=settings.neo4j_uri,
            NEO4J_USER=settings.neo4j_user,
            NEO4J_PASSWORD=settings.neo4j_password,
            NEO4J_DATABASE=settings.neo4j_database,
        )
    return env


def wegweiser(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_export_round_trip(store_settings, tmp_path):
    env = env_for(store_settings)
    assert wegweiser("db", "init", env=env).returncode == 0
    imported = wegweiser("import", "world", SAMPLE, env=env)
    assert imported.returncode == 0, imported.stderr
    assert "14 candidates" in imported.stdout
    out = tmp_path / "out.json"
    exported = wegweiser("export", "world", out, env=env)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["candidates"]) == 14
    counts = wegweiser("db", "counts", env=env)
    assert "Candidate" in counts.stdout and "14" in counts.stdout


def test_bad_world_file_lists_every_problem_and_writes_nothing(store_settings, tmp_path):
    env = env_for(store_settings)
    broken = json.loads(TINY.read_text(encoding="utf-8"))
    broken["courses"][0]["requires"]["skills"]["s-welding"] = 4
    broken["offers"][0]["company"] = "co-nope"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = wegweiser("import", "world", path, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 problems; nothing was imported" in result.stderr
    assert "courses[0].requires.skills.s-welding: level 4 is not in 1–3" in result.stderr
    assert "offers[0].company: unknown company 'co-nope'" in result.stderr
    dump = wegweiser("export", "world", "-", env=env)
    assert json.loads(dump.stdout)["courses"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
        ("[]", "a world file is a JSON object, not a list"),
    ],
)
def test_not_a_world_file(tmp_path, content, message):
    path = tmp_path / "w.json"
    path.write_text(content)
    env = env_for(StoreSettings(data_dir=tmp_path / "data"))
    result = wegweiser("import", "world", path, env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == f"wegweiser: error: {path}: {message}"


def test_missing_file_is_one_line(tmp_path):
    result = wegweiser(
        "import",
        "world",
        tmp_path / "nope.json",
        env=env_for(StoreSettings(data_dir=tmp_path / "data")),
    )
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"wegweiser: error: {tmp_path / 'nope.json'}: no such file",
    )


def test_neo4j_that_is_down_is_one_line(tmp_path):
    env = env_for(StoreSettings(data_dir=tmp_path))
    env.update(WEGWEISER_STORE="neo4j", NEO4J_URI="bolt://127.0.0.1:9", NEO4J_PASSWORD="x")
    result = wegweiser("db", "init", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "wegweiser: error: Neo4j at bolt://127.0.0.1:9 is not reachable"
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_neo4j_that_refuses_the_password_is_one_line(neo4j_connection, tmp_path):
    env = env_for(StoreSettings(data_dir=tmp_path))
    env.update(
        WEGWEISER_STORE="neo4j",
        NEO4J_URI=neo4j_connection.uri,
        NEO4J_USER=neo4j_connection.user,
        NEO4J_PASSWORD="wrong-password",
    )
    result = wegweiser("db", "counts", env=env)
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"wegweiser: error: Neo4j at {neo4j_connection.uri} refused the credentials of "
        f"'{neo4j_connection.user}'",
    )


def test_neo4j_without_uri_says_what_to_set(tmp_path):
    env = env_for(StoreSettings(data_dir=tmp_path))
    env.pop("NEO4J_URI", None)
    env["WEGWEISER_STORE"] = "neo4j"
    result = wegweiser("db", "init", env=env)
    assert result.returncode == 1
    assert "needs NEO4J_URI" in result.stderr


def test_neo4j_without_a_password_is_refused_before_connecting(tmp_path):
    """Authentication is never optional, even against a server with auth switched off."""
    env = env_for(StoreSettings(data_dir=tmp_path))
    env.update(WEGWEISER_STORE="neo4j", NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD="")
    result = wegweiser("db", "init", env=env)
    assert result.returncode == 1
    assert "needs NEO4J_PASSWORD" in result.stderr


def test_unknown_store_kind_is_refused(tmp_path):
    result = wegweiser(
        "--store", "mongodb", "db", "init", env=env_for(StoreSettings(data_dir=tmp_path))
    )
    assert result.returncode == 2
    assert "'mongodb' is not one of 'embedded', 'neo4j'" in result.stderr


def test_data_directory_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = wegweiser(
        "--data", blocker / "sub", "db", "init", env=env_for(StoreSettings(data_dir=tmp_path))
    )
    assert result.returncode == 1
    assert "cannot create data directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_to_a_missing_directory_writes_nothing(tmp_path):
    env = env_for(StoreSettings(data_dir=tmp_path / "data"))
    result = wegweiser("export", "world", tmp_path / "no" / "such" / "w.json", env=env)
    assert result.returncode == 1
    assert "does not exist" in result.stderr


ROUTES = Path(__file__).parent / "fixtures" / "routes_world.json"


@pytest.fixture
def routes_env(store_settings):
    env = env_for(store_settings)
    assert wegweiser("import", "world", ROUTES, env=env).returncode == 0
    return env


def test_plan_json_has_the_documented_shape(routes_env):
    result = wegweiser(
        "plan",
        "p-cem",
        "o-weld",
        "--objective",
        "ready_date",
        "--from",
        "2027-01-01",
        "--json",
        env=routes_env,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "candidate",
        "offer",
        "objective",
        "feasible",
        "courses",
        "schedule",
        "total_weeks",
        "total_cost",
        "ready_date",
        "unreachable",
        "alternatives",
    ]
    assert document["courses"] == ["k-de-b1", "k-weld2", "k-fork"]
    assert document["ready_date"] == "2027-03-15"
    assert all("alternatives" not in alternative for alternative in document["alternatives"])


def test_plan_for_an_unreachable_offer_exits_zero(routes_env):
    result = wegweiser("plan", "p-anna", "o-none", "--json", env=routes_env)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["feasible"] is False
    assert document["unreachable"][0]["reason"] == "no course teaches it"


def test_plan_text_explains_in_german_and_english(routes_env):
    result = wegweiser("plan", "p-anna", "o-weld", "--from", "2027-01-01", env=routes_env)
    assert result.returncode == 0, result.stderr
    assert "k-weld1 Schweißen Grundkurs 2027-01-11 – 2027-01-25" in result.stdout
    assert "16 Wochen/weeks, 1600 €, bereit am / ready on 2027-05-10" in result.stdout
    assert "Alternative 1:" in result.stdout


def test_plan_with_unknown_ids_fails_with_one_line(routes_env):
    result = wegweiser("plan", "p-404", "o-weld", env=routes_env)
    assert result.returncode == 1
    assert result.stderr.strip() == "wegweiser: error: no Candidate with id 'p-404'"


def test_gap_json_and_text(routes_env):
    as_json = wegweiser("gap", "p-cem", "o-weld", "--json", env=routes_env)
    assert json.loads(as_json.stdout)["essential"] == {"met": 0, "total": 3}
    text = wegweiser("gap", "p-ben", "o-weld", env=routes_env)
    assert "bereit / ready" in text.stdout
    assert "✓ skill    Schweißen" in text.stdout


def test_match_both_directions(routes_env):
    offers = wegweiser("match", "p-cem", "--from", "2027-01-01", "--json", env=routes_env)
    assert [m["offer"] for m in json.loads(offers.stdout)] == [
        "o-easy",
        "o-none",
        "o-cycle",
        "o-weld",
    ]
    people = wegweiser(
        "match",
        "o-weld",
        "--from",
        "2027-01-01",
        "--ready-by",
        "2027-04-01",
        "--json",
        env=routes_env,
    )
    found = json.loads(people.stdout)
    assert [(m["candidate"], m["route"]["ready_date"]) for m in found] == [
        ("p-ben", "2027-01-01"),
        ("p-cem", "2027-03-15"),
    ]
    near = wegweiser("match", "o-weld", "--radius-km", "5", "--town", "t-heinsberg", env=routes_env)
    assert "p-cem" in near.stdout and "p-anna" not in near.stdout


def test_match_unknown_subject_and_half_a_radius(routes_env):
    unknown = wegweiser("match", "x-1", env=routes_env)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "wegweiser: error: 'x-1' is neither a candidate nor an offer",
    )
    half = wegweiser("match", "p-cem", "--radius-km", "5", env=routes_env)
    assert half.returncode == 2
    assert "--radius-km and --town go together" in half.stderr
