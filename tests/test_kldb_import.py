"""The KldB 2010 importer and the way from a KldB-coded offer to its ESCO skills, on
small real-layout fixtures (tests/fixtures/kldb; the job-title list is cp850), both stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from graph.gap import skill_gap
from graph.model import Label, Rel
from graph.world import import_world
from importers.esco import esco_id, import_esco
from importers.kldb import import_kldb

FIXTURES = Path(__file__).parent / "fixtures"
ESCO = [FIXTURES / "esco" / "en", FIXTURES / "esco" / "de"]
BA = FIXTURES / "esco" / "ba"
KLDB = FIXTURES / "kldb"
WAREHOUSE = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"
FORKLIFT = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"


@pytest.fixture
def taxonomy(store):
    import_esco(store, ESCO, ["en", "de"], ba_mapping=BA)
    report = import_kldb(store, [KLDB])
    return store, report


def essential_of(store, uri: str) -> list[str]:
    occupation = esco_id(Label.OCCUPATION, uri)
    return sorted(
        r.target_id
        for r in store.relationships(Label.OCCUPATION, occupation)
        if r.type == Rel.ESSENTIAL_SKILL and r.source_id == occupation
    )


def test_classes_titles_and_mapping_arrive(taxonomy):
    store, report = taxonomy
    assert report.classes == store.counts()[Label.KLDB_CLASS] == 17
    military = store.get_node(Label.KLDB_CLASS, "kldb-01104").props
    assert military["code"] == "01104" and military["level"] == 5  # "1104" in the file
    helpers = store.get_node(Label.KLDB_CLASS, "kldb-51311").props
    assert helpers["label_de"].startswith("Berufe in der Lagerwirtschaft")
    assert "Möbelpacker/in" in helpers["titles"]  # cp850 decoded
    up = {
        (r.source_id, r.target_id)
        for r in store.relationships(Label.KLDB_CLASS, "kldb-5131")
        if r.type == Rel.BROADER
    }
    assert up == {
        ("kldb-5131", "kldb-513"),
        ("kldb-51311", "kldb-5131"),
        ("kldb-51312", "kldb-5131"),
    }
    maps = {
        (r.source_id, r.props["relation"])
        for r in store.relationships(Label.OCCUPATION, esco_id(Label.OCCUPATION, WAREHOUSE))
        if r.type == Rel.MAPS_TO
    }
    assert maps == {("kldb-51311", "narrowMatch"), ("kldb-51312", "narrowMatch")}  # closest wins
    assert report.skipped["mapping rows of ISCO groups (no KldB job title)"] == 1


def test_skills_for_kldb_follow_the_closest_mapping(taxonomy):
    store, _ = taxonomy
    warehouse = essential_of(store, WAREHOUSE)
    forklift = essential_of(store, FORKLIFT)
    assert warehouse and forklift
    assert [s.id for s in store.skills_for_kldb("51311")] == warehouse
    assert [s.id for s in store.skills_for_kldb("B 51311-118")] == warehouse
    assert [s.id for s in store.skills_for_kldb("52531")] == forklift  # exactMatch
    # "5" holds both; the forklift operator's exactMatch is closer than the warehouse's
    assert [s.id for s in store.skills_for_kldb("5")] == forklift
    assert store.skills_for_kldb("9") == []
    labels = store.skills_for_kldb("51311")[0].labels
    assert set(labels) == {"de", "en"}
    with pytest.raises(InvalidInput, match="not a KldB 2010 code"):
        store.skills_for_kldb("Lager")


def test_offer_coded_in_kldb_gets_the_esco_skills_as_advice(taxonomy, tmp_path):
    store, _ = taxonomy
    world = {
        "format": "wegweiser-world/1",
        "towns": [{"id": "t-hs", "name": "Heinsberg", "lat": 51.06, "lon": 6.1}],
        "companies": [{"id": "co-1", "name": "Lager GmbH", "town": "t-hs"}],
        "offers": [
            {
                "id": "o-1",
                "company": "co-1",
                "kind": "job",
                "title": "Lagerhelfer/in",
                "town": "t-hs",
                "kldb": "51311",
            }
        ],
        "candidates": [{"id": "p-1", "name": "A. B.", "town": "t-hs"}],
    }
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world), encoding="utf-8")
    import_world(store, path)
    offer = store.offer_profile("o-1")
    assert offer.occupation is None
    gap = skill_gap(store.candidate_profile("p-1"), offer)
    expected = [s.id for s in store.skills_for_kldb("51311")]
    assert [s.id for s in gap.occupation_skills_missing] == expected != []
    assert [o.id for o in store.offer_profiles()] == ["o-1"]
    assert store.offer_profiles()[0].occupation_skills == offer.occupation_skills


def test_kldb_classes_stay_out_of_world_files(taxonomy):
    from graph.world import dumps_world

    store, _ = taxonomy
    document = json.loads(dumps_world(store))
    assert len(document["occupations"]) == 2
    assert "kldb" not in document


def test_bad_job_title_code_names_file_line_and_column(store, tmp_path):
    broken = tmp_path / "kldb"
    shutil.copytree(KLDB, broken)
    path = broken / "Alphabetisches-Verzeichnis-Berufsbenennungen.cp850.csv"
    text = path.read_bytes().decode("cp850").replace(";51312", ";5131X", 1)
    path.write_bytes(text.encode("cp850"))
    with pytest.raises(InvalidInput) as error:
        import_kldb(store, [broken])
    message = str(error.value)
    assert "cp850.csv, line " in message and "column KldB 2010 (5-Steller): '5131X'" in message
    assert store.counts()[Label.KLDB_CLASS] == 0


def test_missing_systematic_list_is_a_clear_error(store, tmp_path):
    with pytest.raises(InvalidInput, match="KldB 2010 systematic list: no file"):
        import_kldb(store, [tmp_path])
