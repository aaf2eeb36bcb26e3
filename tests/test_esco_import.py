"""The ESCO importer on small fixtures in ESCO's own layout (tests/fixtures/esco), on both
stores: nodes and relationships, a second language, re-import, and errors that stop the
import before anything is written."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import pytest

from cli.main import main
from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord
from importers.esco import esco_id, import_esco

FIXTURES = Path(__file__).parent / "fixtures" / "esco"
EN, DE, BA = FIXTURES / "en", FIXTURES / "de", FIXTURES / "ba"
WAREHOUSE = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"
RECORD_SYSTEMS = "http://data.europa.eu/esco/skill/055ff233-6569-43db-9f95-a4b03dca97da"
WAREHOUSING = "http://data.europa.eu/esco/skill/7afb5a64-e574-421a-bb3a-7a7bc108d2a5"


def occupation(store, uri=WAREHOUSE):
    return store.get_node(Label.OCCUPATION, esco_id(Label.OCCUPATION, uri))


def rels(store, rel_type: Rel) -> set[tuple[str, str]]:
    return {
        (r.source_id, r.target_id) for r in store.export_graph().relationships if r.type == rel_type
    }


def test_english_and_german_arrive_on_the_same_nodes(store):
    report = import_esco(store, [EN, DE], ["en", "de"], ba_mapping=BA)
    assert store.counts()[Label.OCCUPATION] == 2
    assert store.counts()[Label.SKILL] == 5
    warehouse = occupation(store).props
    assert warehouse["label_en"] == "warehouse worker"
    assert warehouse["label_de"] == "Lagerarbeiter/Lagerarbeiterin"
    assert warehouse["isco"] == "9333" and warehouse["esco_uri"] == WAREHOUSE
    skill = store.get_node(Label.SKILL, esco_id(Label.SKILL, RECORD_SYSTEMS)).props
    assert skill["label_en"] == "operate warehouse record systems"
    assert skill["label_de"] == "Lagerdatenerfassungssysteme bedienen"  # from the BA table
    assert skill["kind"] == "skill"
    kinds = {store.get_node(Label.SKILL, n.id).props.get("kind") for n in _skills(store)}
    assert kinds == {"skill", "knowledge"}
    assert (
        esco_id(Label.SKILL, RECORD_SYSTEMS),
        esco_id(Label.SKILL, WAREHOUSING),
    ) in rels(store, Rel.BROADER)
    assert len(rels(store, Rel.ESSENTIAL_SKILL)) + len(rels(store, Rel.OPTIONAL_SKILL)) == 5
    assert report.skipped["occupation–skill relations naming unknown concepts"] == 1
    assert report.rows_read == sum(report.rows.values()) > 0
    assert report.new_nodes == 7


def test_second_language_adds_labels_and_keeps_relationships(store):
    import_esco(store, [EN])
    essential = rels(store, Rel.ESSENTIAL_SKILL)
    assert "label_de" not in occupation(store).props
    import_esco(store, [DE], ["de"], ba_mapping=BA, relations=False)
    assert occupation(store).props["label_en"] == "warehouse worker"
    assert occupation(store).props["label_de"] == "Lagerarbeiter/Lagerarbeiterin"
    assert rels(store, Rel.ESSENTIAL_SKILL) == essential
    assert store.counts()[Label.OCCUPATION] == 2


def test_reimport_updates_instead_of_duplicating(store, tmp_path):
    import_esco(store, [EN, DE], ["en", "de"], ba_mapping=BA)
    first = store.export_graph()
    import_esco(store, [EN, DE], ["en", "de"], ba_mapping=BA)
    second = store.export_graph()
    assert len(second.nodes) == len(first.nodes) and len(second.relationships) == len(
        first.relationships
    )
    changed = _copy(EN, tmp_path / "en")
    _rewrite(changed / "occupations_en.csv", lambda row: {**row, "iscoGroup": "9334"})
    import_esco(store, [changed])
    assert occupation(store).props["isco"] == "9334"
    assert occupation(store).props["label_de"] == "Lagerarbeiter/Lagerarbeiterin"
    assert store.counts()[Label.OCCUPATION] == 2


def test_a_skill_the_demo_already_has_lands_on_its_node(store):
    demo = NodeRecord(
        Label.SKILL, "s-wms", {"label_de": "Lagerverwaltung", "esco_uri": RECORD_SYSTEMS}
    )
    store.import_graph(GraphData([demo]))
    import_esco(store, [EN])
    assert store.counts()[Label.SKILL] == 5
    props = store.get_node(Label.SKILL, "s-wms").props
    assert props["label_en"] == "operate warehouse record systems"
    assert props["label_de"] == "Lagerverwaltung"
    assert ("s-wms", esco_id(Label.SKILL, WAREHOUSING)) in rels(store, Rel.BROADER)


def test_missing_file_is_an_error_before_anything_is_written(store, tmp_path):
    broken = _copy(EN, tmp_path / "en")
    (broken / "skills_en.csv.gz").unlink()
    with pytest.raises(InvalidInput, match=r"skills_en\.csv"):
        import_esco(store, [broken])
    with pytest.raises(InvalidInput, match=r"skills \(de\).*--ba-mapping"):
        import_esco(store, [EN, DE], ["en", "de"])
    assert sum(store.counts().values()) == 0


def test_renamed_column_names_file_and_column(store, tmp_path):
    broken = _copy(EN, tmp_path / "en")
    path = broken / "skills_en.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        text = handle.read().replace("skillType", "skill_type", 1)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(text)
    with pytest.raises(InvalidInput) as error:
        import_esco(store, [broken])
    assert "skills_en.csv.gz: column 'skillType' is missing" in str(error.value)
    assert sum(store.counts().values()) == 0


def test_bad_value_names_file_line_and_column(store, tmp_path):
    import_esco(store, [EN])
    before = store.export_graph()
    broken = _copy(EN, tmp_path / "en")
    _rewrite(broken / "occupationSkillRelations.csv", lambda row: {**row, "relationType": "maybe"})
    with pytest.raises(InvalidInput) as error:
        import_esco(store, [broken])
    assert "occupationSkillRelations.csv, line 2, column relationType: 'maybe'" in str(error.value)
    assert len(store.export_graph().relationships) == len(before.relationships)


def test_cli_reports_rows_per_second(tmp_path, capsys):
    main(
        [
            "--data",
            str(tmp_path / "data"),
            "import",
            "esco",
            str(EN),
            str(DE),
            "--languages",
            "en,de",
            "--ba-mapping",
            str(BA),
        ]
    )
    out = capsys.readouterr().out
    assert "imported ESCO (en, de) into the embedded store: 7 nodes (7 new)" in out
    assert "rows/s" in out
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path / "data"), "import", "esco", str(tmp_path / "nowhere")])
    assert "not a directory" in capsys.readouterr().err


def _skills(store):
    return [n for n in store.export_graph().nodes if n.label == Label.SKILL]


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, [change(row) for row in reader]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
