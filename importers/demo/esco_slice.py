"""The slice of ESCO that the demo district uses, and how to rebuild it.

The demo needs real ESCO concepts (so that its skills carry ESCO URIs and its occupations
their ISCO codes and essential/optional skills), but the full taxonomy is ~14,000 skills
and lives outside the repository, in ``/work/shared/data``. So the slice is built once from
there and committed as ``data/esco_slice.json``; the generator reads only that file and
works without the shared data.

Rebuild it (after editing ``SKILL_PICKS`` or ``OCCUPATION_PICKS``) with::

    .venv/bin/python -m importers.demo.esco_slice /work/shared/data

Sources (see each folder's SOURCE.md): English labels, skill types, occupations, ISCO groups
and occupation–skill relations from ESCO v1.1.1 (``esco-v1.1.1-en``); German skill labels
from the BA/EURES mapping table (ESCO 1.0.3, ``esco-kldb-mapping-ba``), else from the German
ESCO v1.2.0 skill collections (``esco-v1.2.0-de``), else a curated label below; German
occupation labels from ESCO v1.2.0; KldB codes from the BA/EURES occupation mapping.

"This service uses the ESCO classification of the European Commission."
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["OCCUPATION_PICKS", "SKILL_PICKS", "SLICE_PATH", "build_esco_slice", "load_esco_slice"]

SLICE_PATH = Path(__file__).resolve().parent / "data" / "esco_slice.json"

# (demo id, ESCO preferred label in English, German label where the BA/EURES one is
# missing or misleading — e.g. ESCO's "tend … machine" became "… pflegen" there).
SKILL_PICKS: tuple[tuple[str, str, str | None], ...] = (
    # across sectors
    ("s-workplace-safety", "health and safety in the workplace", None),
    ("s-safety-precautions", "follow safety precautions in work practices", None),
    ("s-protective-gear", "wear appropriate protective gear", None),
    ("s-first-aid", "first aid", None),
    ("s-teamwork", "work in teams", None),
    ("s-verbal-instructions", "follow verbal instructions", "mündliche Anweisungen befolgen"),
    ("s-computer-literacy", "have computer literacy", "Computerkenntnisse"),
    ("s-lift-heavy-weights", "lift heavy weights", None),
    ("s-customer-service", "maintain customer service", "Kundenservice"),
    ("s-drive-vehicles", "drive vehicles", None),
    # logistics and warehousing
    ("s-warehouse-operations", "warehouse operations", "Lagerlogistik (Grundwissen)"),
    ("s-order-picking", "pick orders for dispatching", "Kommissionieren"),
    ("s-goods-receipt", "receive goods", "Wareneingang prüfen und buchen"),
    ("s-stack-goods", "stack goods", None),
    ("s-loading", "perform loading and unloading operations", None),
    ("s-secure-goods", "secure goods", "Ladung sichern"),
    ("s-pack-goods", "pack goods", None),
    ("s-stock-control", "follow stock control instructions", None),
    ("s-wms", "use a warehouse management system", "mit einem Lagerverwaltungssystem arbeiten"),
    ("s-barcode-scanning", "use barcode scanning equipment", None),
    ("s-shipment-paperwork", "handle shipment paperwork", None),
    ("s-damaged-goods", "check for damaged items", None),
    ("s-returns", "handle returns", None),
    ("s-operate-forklift", "operate forklift", None),
    ("s-dangerous-goods", "handling of dangerous goods", None),
    # metal and machine building
    ("s-metalworking-tools", "use metalworking tools", None),
    ("s-mag-welding", "perform metal active gas welding", "MAG-Schweißen"),
    ("s-mig-welding", "perform metal inert gas welding", "MIG-Schweißen"),
    ("s-tig-welding", "perform tungsten inert gas welding", "WIG-Schweißen"),
    ("s-welding-equipment", "operate welding equipment", None),
    ("s-technical-drawings", "read standard blueprints", "technische Zeichnungen lesen"),
    ("s-2d-plans", "interpret 2D plans", None),
    ("s-technical-drawing-norms", "technical drawings", None),
    ("s-cnc-lathe", "tend computer numerical control lathe machine", "CNC-Drehmaschine bedienen"),
    ("s-cnc-milling", "tend CNC milling machine", "CNC-Fräsmaschine bedienen"),
    ("s-cnc-programming", "program a CNC controller", None),
    ("s-measurement", "use measurement instruments", None),
    ("s-precision-measuring", "operate precision measuring equipment", None),
    ("s-drill-press", "operate drill press", "Ständerbohrmaschine bedienen"),
    ("s-grinding", "operate grinding hand tools", None),
    ("s-assemble-metal-parts", "assemble metal parts", None),
    ("s-assemble-machines", "assemble machines", None),
    ("s-machine-maintenance", "perform machine maintenance", None),
    ("s-metal-imperfections", "spot metal imperfections", None),
    ("s-sheet-metal-shears", "use sheet metal shears", None),
    ("s-shape-sheet-metal", "shape sheet metal objects", None),
    ("s-quality-standards", "quality standards", None),
    # food production
    ("s-food-hygiene", "food hygiene rules", None),
    ("s-hygienic-food-processing", "follow hygienic procedures during food processing", None),
    ("s-haccp", "apply HACCP", None),
    ("s-packaging-machines", "tend packaging machines", None),
    ("s-clean-food-machinery", "clean food and beverage machinery", None),
    ("s-food-cutting-tools", "use food cutting tools", None),
    ("s-bakery-products", "prepare bakery products", None),
    ("s-bakery-ovens", "tend bakery ovens", "Backöfen bedienen"),
    # care
    ("s-elderly-care", "tend to elderly people", None),
    ("s-care-hygiene", "hygiene in a health care setting", None),
    ("s-basic-patient-support", "provide basic support to patients", None),
    ("s-vital-signs", "monitor basic patients signs", "Vitalzeichen messen und beobachten"),
    ("s-transfer-patients", "transfer patients", "Patienten umlagern und transferieren"),
    ("s-older-adults-needs", "older adults' needs", None),
    ("s-distribute-meals", "distribute meals to patients", None),
    ("s-support-nurses", "support nurses", None),
    ("s-empathy", "empathise with the healthcare user", None),
    ("s-care-documentation", "manage healthcare users' data", "Pflegedokumentation führen"),
    ("s-disability-care", "disability care", None),
    ("s-geriatrics", "geriatrics", None),
    # retail
    ("s-cash-register", "operate cash register", "Kasse bedienen"),
    ("s-process-payments", "process payments", None),
    ("s-stock-shelves", "stock shelves", "Regale auffüllen"),
    ("s-price-accuracy", "check price accuracy on the shelf", None),
    ("s-shelf-labels", "change shelf labels", None),
    ("s-stock-rotation", "carry out stock rotation", "Warenrotation durchführen"),
    ("s-product-display", "organise product display", None),
    ("s-sell-products", "sell products", None),
    ("s-customer-complaints", "handle customer complaints", None),
    # construction
    ("s-construction-safety", "follow health and safety procedures in construction", None),
    ("s-construction-safety-equipment", "use safety equipment in construction", None),
    ("s-lay-bricks", "lay bricks", "Mauern"),
    ("s-mix-concrete", "mix concrete", None),
    ("s-pour-concrete", "pour concrete", "Betonieren"),
    ("s-drywall", "place drywall", None),
    ("s-plaster", "plaster surfaces", None),
    ("s-lay-tiles", "lay tiles", None),
    ("s-scaffolding", "build scaffolding", None),
    ("s-working-at-heights", "follow safety procedures when working at heights", None),
    ("s-dig-soil", "dig soil mechanically", None),
    ("s-construction-team", "work in a construction team", None),
    # agriculture and horticulture
    ("s-harvest-crop", "harvest crop", None),
    ("s-outdoor-work", "work in outdoor conditions", "bei jedem Wetter im Freien arbeiten"),
    ("s-select-produce", "select fruits and vegetables", None),
    ("s-pack-produce", "pack vegetables or fruits", None),
    ("s-agricultural-machines", "drive agricultural machines", None),
    ("s-spray-pesticides", "spray pesticides", None),
    ("s-pesticide-safety", "safe use of pesticides", None),
    ("s-feed-livestock", "feed livestock", None),
    ("s-milk-animals", "milk animals", None),
    ("s-monitor-livestock", "monitor livestock", None),
    # crafts
    ("s-electrical-safety", "comply with electrical safety regulations", None),
    ("s-electricity-principles", "electricity principles", None),
    ("s-install-sockets", "install electricity sockets", None),
    ("s-install-plumbing", "install plumbing systems", None),
    ("s-plumbing-tools", "plumbing tools", None),
    ("s-prepare-painting", "prepare surface for painting", None),
    ("s-paint-surfaces", "paint surfaces", None),
    ("s-hang-wallpaper", "hang wallpaper", "Tapezieren"),
    ("s-power-tools", "use power tools", None),
    ("s-hand-tools", "use hand tools", None),
    ("s-woodworking-tools", "woodworking tools", None),
    ("s-vehicle-maintenance", "execute vehicle maintenance", None),
    ("s-sew-fabric", "sew pieces of fabric", None),
    ("s-sew-textiles", "sew textile-based articles", None),
    ("s-upholstery-repair", "perform upholstery repair", None),
    ("s-upholstery-tools", "upholstery tools", None),
    ("s-clean-surfaces", "clean surfaces", None),
    ("s-cleaning-agents", "handle chemical cleaning agents", None),
    ("s-floor-cleaning", "operate floor cleaning equipment", None),
    ("s-cleaning-duties", "perform cleaning duties", None),
    # hospitality
    ("s-food-preparation", "use food preparation techniques", "Speisen vor- und zubereiten"),
    ("s-recipes", "work according to recipe", None),
    ("s-clean-kitchen", "clean kitchen equipment", "Küchengeräte reinigen"),
    ("s-hospitality-team", "work in a hospitality team", None),
    ("s-serve-food", "serve food in table service", None),
    ("s-serve-beverages", "serve beverages", None),
    ("s-greet-guests", "greet guests", None),
    ("s-clean-rooms", "clean rooms", None),
)

# (demo id, ESCO preferred label in English)
OCCUPATION_PICKS: tuple[tuple[str, str], ...] = (
    ("occ-warehouse-worker", "warehouse worker"),
    ("occ-order-picker", "warehouse order picker"),
    ("occ-forklift-operator", "forklift operator"),
    ("occ-truck-driver", "cargo vehicle driver"),
    ("occ-welder", "welder"),
    ("occ-cnc-operator", "computer numerical control machine operator"),
    ("occ-sheet-metal-worker", "sheet metal worker"),
    ("occ-food-production-operator", "food production operator"),
    ("occ-packaging-operator", "packaging and filling machine operator"),
    ("occ-healthcare-assistant", "healthcare assistant"),
    ("occ-nurse", "nurse responsible for general care"),
    ("occ-sales-assistant", "sales assistant"),
    ("occ-cashier", "cashier"),
    ("occ-shelf-filler", "shelf filler"),
    ("occ-bricklayer", "bricklayer"),
    ("occ-construction-worker", "building construction worker"),
    ("occ-excavator-operator", "excavator operator"),
    ("occ-scaffolder", "construction scaffolder"),
    ("occ-produce-picker", "fruit and vegetable picker"),
    ("occ-crop-worker", "crop production worker"),
    ("occ-electrician", "domestic electrician"),
    ("occ-plumber", "plumber"),
    ("occ-painter", "construction painter"),
    ("occ-baker", "baker"),
    ("occ-sewing-operator", "sewing machine operator"),
    ("occ-upholsterer", "upholsterer"),
    ("occ-building-cleaner", "building cleaner"),
    ("occ-kitchen-assistant", "kitchen assistant"),
    ("occ-cook", "cook"),
    ("occ-waiter", "waiter/waitress"),
    ("occ-room-attendant", "room attendant"),
)

_EN = "esco-v1.1.1-en"
_DE = "esco-v1.2.0-de"
_BA = "esco-kldb-mapping-ba"
_MATCH_ORDER = ("skos:exactMatch", "skos:closeMatch", "skos:narrowMatch", "skos:broadMatch")


def load_esco_slice(path: Path = SLICE_PATH) -> dict[str, Any]:
    """The committed slice: ``{"skills": [...], "occupations": [...]}`` in world-file shape."""
    return json.loads(path.read_text(encoding="utf-8"))


def build_esco_slice(shared_dir: Path) -> dict[str, Any]:
    """Build the slice from the shared ESCO data (``…/shared/data``); raises ``KeyError``
    naming any picked label that ESCO does not have."""
    shared_dir = Path(shared_dir)
    skills_en = {
        row["preferredLabel"].strip(): row for row in _rows(shared_dir / _EN / "skills_en.csv.gz")
    }
    german = _german_skill_labels(shared_dir)
    skills = []
    uri_to_id: dict[str, str] = {}
    for skill_id, label, german_label in SKILL_PICKS:
        row = skills_en[label]
        uri = row["conceptUri"]
        uri_to_id[uri] = skill_id
        skills.append(
            {
                "id": skill_id,
                "labels": {"de": german_label or german.get(uri) or label, "en": label},
                "kind": "knowledge" if row["skillType"] == "knowledge" else "skill",
                "esco_uri": uri,
                "broader": [],
            }
        )
    _add_broader(skills, uri_to_id, shared_dir)
    occupations = _occupations(shared_dir, uri_to_id)
    return {
        "source": "ESCO v1.1.1 (European Commission); German labels BA/EURES mapping and ESCO "
        "v1.2.0; built by importers.demo.esco_slice.build_esco_slice",
        "skills": skills,
        "occupations": occupations,
    }


def _rows(path: Path, skip_lines: int = 0) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for _ in range(skip_lines):
            handle.readline()
        yield from csv.DictReader(handle)


def _german_skill_labels(shared_dir: Path) -> dict[str, str]:
    """ESCO skill URI → German label: BA/EURES first, then the ESCO v1.2.0 collections."""
    labels: dict[str, str] = {}
    for path in sorted((shared_dir / _DE).glob("*SkillsCollection_de.csv.gz")):
        for row in _rows(path):
            labels.setdefault(row["conceptUri"], row["preferredLabel"].strip())
    # The EURES table has a 17-line metadata block before its header.
    for row in _rows(shared_dir / _BA / "EURESmapping_skills_DE.csv.gz", skip_lines=17):
        uri = row.get("Classification 1 URI") or ""
        label = (row.get("Classification 1 PrefLabel") or "").strip()
        if uri.startswith("http") and label:
            labels[uri] = label
    return labels


def _add_broader(skills: list[dict[str, Any]], uri_to_id: dict[str, str], shared_dir: Path) -> None:
    by_id = {skill["id"]: skill for skill in skills}
    for row in _rows(shared_dir / _EN / "broaderRelationsSkillPillar.csv.gz"):
        narrower, broader = uri_to_id.get(row["conceptUri"]), uri_to_id.get(row["broaderUri"])
        if narrower and broader:
            by_id[narrower]["broader"].append(broader)
    for skill in skills:
        skill["broader"].sort()


def _occupations(shared_dir: Path, skill_ids: dict[str, str]) -> list[dict[str, Any]]:
    by_label = {
        row["preferredLabel"].strip(): row
        for row in _rows(shared_dir / _EN / "occupations_en.csv.gz")
    }
    german = {
        row["conceptUri"]: row["preferredLabel"].strip()
        for row in _rows(shared_dir / _DE / "occupations_de.csv.gz")
    }
    picked = {by_label[label]["conceptUri"]: occ_id for occ_id, label in OCCUPATION_PICKS}
    relations: dict[str, dict[str, set[str]]] = {
        uri: {"essential": set(), "optional": set()} for uri in picked
    }
    for row in _rows(shared_dir / _EN / "occupationSkillRelations.csv.gz"):
        kind = row["relationType"]
        if (
            row["occupationUri"] in relations
            and row["skillUri"] in skill_ids
            and kind in ("essential", "optional")
        ):
            relations[row["occupationUri"]][kind].add(skill_ids[row["skillUri"]])
    kldb = _kldb_codes(shared_dir, set(picked))
    occupations = []
    for occ_id, label in OCCUPATION_PICKS:
        row = by_label[label]
        uri = row["conceptUri"]
        occupations.append(
            {
                "id": occ_id,
                "labels": {"de": german.get(uri, label), "en": label},
                "isco": row["iscoGroup"] or None,
                "kldb": kldb.get(uri),
                "esco_uri": uri,
                "essential": sorted(relations[uri]["essential"]),
                "optional": sorted(relations[uri]["optional"]),
            }
        )
    return occupations


def _kldb_codes(shared_dir: Path, wanted: set[str]) -> dict[str, str]:
    """The 5-digit KldB 2010 code of the BA job title that matches each occupation best."""
    best: dict[str, tuple[int, str]] = {}
    for row in _rows(shared_dir / _BA / "EURESmapping_occs_DE.csv.gz", skip_lines=16):
        uri = row.get("Classification 1 URI") or ""
        relation = row.get("Mapping relation") or ""
        title = (row.get("Classification 2 ID") or "").removeprefix("B ").strip()
        if uri not in wanted or relation not in _MATCH_ORDER or len(title) < 5:
            continue
        candidate = (_MATCH_ORDER.index(relation), title)
        if uri not in best or candidate < best[uri]:
            best[uri] = candidate
    return {uri: title[:5] for uri, (_, title) in best.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m importers.demo.esco_slice SHARED_DATA_DIR", file=sys.stderr)
        return 2
    data = build_esco_slice(Path(argv[0]))
    SLICE_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{SLICE_PATH}: {len(data['skills'])} skills, {len(data['occupations'])} occupations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
