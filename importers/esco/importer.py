"""ESCO into the graph: concepts by URI become ``Skill`` and ``Occupation`` nodes.

Node ids follow the project's convention (the demo's ``s-welding`` style, with the URI in
``esco_uri``): a concept whose URI a node already carries lands on that node, whatever
its id (so ESCO imported over the demo district enriches the demo's skills instead of
duplicating them); a new concept gets an id derived from its URI, ``s-esco-<uuid>`` or
``occ-esco-<uuid>``. The import is a *merge* (``GraphStore.import_graph(merge=True)``):
labels of another language already on a node stay, and only the relationship types this
import brings (ESSENTIAL_SKILL, OPTIONAL_SKILL, BROADER) are replaced on the imported
nodes. Everything is read and checked first; then one transaction writes it all.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore, ProgressCallback
from importers.esco.files import FileProgress
from importers.esco.layout import EscoLayout, locate
from importers.esco.read import EscoConcepts, read_esco

__all__ = ["EscoReport", "esco_graph", "esco_id", "import_esco"]

ESCO_RELATIONSHIPS = frozenset({Rel.ESSENTIAL_SKILL, Rel.OPTIONAL_SKILL, Rel.BROADER})
_PREFIX = {Label.SKILL: "s-esco-", Label.OCCUPATION: "occ-esco-"}
_RELATION = {"essential": Rel.ESSENTIAL_SKILL, "optional": Rel.OPTIONAL_SKILL}


@dataclass
class EscoReport:
    languages: list[str]
    rows: Counter[str]
    nodes: int = 0
    relationships: int = 0
    new_nodes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    read_s: float = 0.0
    write_s: float = 0.0

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())

    @property
    def read_rows_per_s(self) -> float:
        return self.rows_read / self.read_s if self.read_s else 0.0

    @property
    def write_rows_per_s(self) -> float:
        written = self.nodes + self.relationships
        return written / self.write_s if self.write_s else 0.0


def esco_id(label: Label, uri: str) -> str:
    """The id a new ESCO concept gets: ``s-esco-<last URI segment>``."""
    return _PREFIX[label] + uri.rstrip("/").rsplit("/", 1)[-1]


def import_esco(
    store: GraphStore,
    dirs: Sequence[Path],
    languages: Sequence[str] | None = None,
    ba_mapping: Path | None = None,
    relations: bool = True,
    file_progress: FileProgress | None = None,
    write_progress: ProgressCallback | None = None,
) -> EscoReport:
    """Read, check, then write ESCO in one transaction; ``InvalidInput`` if anything is wrong
    (and then nothing is written)."""
    started = time.perf_counter()
    layout: EscoLayout = locate(dirs, languages, ba_mapping, relations)
    concepts = read_esco(layout, file_progress)
    if concepts.problems:
        raise InvalidInput(
            f"ESCO import: {len(concepts.problems)} problem(s), nothing was written",
            concepts.problems,
        )
    graph, skipped, new_nodes = esco_graph(concepts, store)
    report = EscoReport(
        languages=list(layout.occupations),
        rows=concepts.rows,
        skipped=concepts.skipped + skipped,
        new_nodes=new_nodes,
        read_s=time.perf_counter() - started,
    )
    started = time.perf_counter()
    summary = store.import_graph(
        graph,
        write_progress,
        merge=True,
        replace_relationships=ESCO_RELATIONSHIPS if relations else frozenset(),
    )
    report.write_s = time.perf_counter() - started
    report.nodes, report.relationships = summary.nodes, summary.relationships
    return report


def esco_graph(concepts: EscoConcepts, store: GraphStore) -> tuple[GraphData, Counter[str], int]:
    """The nodes and relationships to merge, what was skipped and why, and how many nodes
    are new. Relations whose ends are neither in the files nor in the store are skipped
    (ESCO v1.1.1 relates 67 rows to occupations it does not publish)."""
    skipped: Counter[str] = Counter()
    occupation_uris = set(concepts.occupations) | {o for o, _ in concepts.relations}
    skill_uris = (
        set(concepts.skills)
        | {s for _, s in concepts.relations}
        | {u for pair in concepts.broader for u in pair}
        | set(concepts.ba_labels)
    )
    existing = {
        Label.OCCUPATION: store.ids_by_esco_uri(Label.OCCUPATION, sorted(occupation_uris)),
        Label.SKILL: store.ids_by_esco_uri(Label.SKILL, sorted(skill_uris)),
    }
    ids: dict[Label, dict[str, str]] = {label: dict(found) for label, found in existing.items()}
    nodes: list[NodeRecord] = []
    new_nodes = 0
    for label, found in ((Label.OCCUPATION, concepts.occupations), (Label.SKILL, concepts.skills)):
        for uri, props in found.items():
            if uri not in ids[label]:
                ids[label][uri] = esco_id(label, uri)
                new_nodes += 1
            nodes.append(NodeRecord(label, ids[label][uri], {**props, "esco_uri": uri}))

    skill_nodes = {node.id: node for node in nodes if node.label == Label.SKILL}
    for uri, label_de in concepts.ba_labels.items():
        skill_id = ids[Label.SKILL].get(uri)
        if skill_id is None:
            skipped["German BA labels of skills not in ESCO files or store"] += 1
        elif skill_id in skill_nodes:
            skill_nodes[skill_id].props.setdefault("label_de", label_de)
        else:
            node = NodeRecord(Label.SKILL, skill_id, {"label_de": label_de, "esco_uri": uri})
            skill_nodes[skill_id] = node
            nodes.append(node)

    rels: list[RelRecord] = []
    for (occupation, skill), kind in sorted(concepts.relations.items()):
        source, target = ids[Label.OCCUPATION].get(occupation), ids[Label.SKILL].get(skill)
        if source is None or target is None:
            skipped["occupation–skill relations naming unknown concepts"] += 1
            continue
        rels.append(RelRecord(_RELATION[kind], Label.OCCUPATION, source, Label.SKILL, target))
    for narrower, broader in sorted(concepts.broader):
        source, target = ids[Label.SKILL].get(narrower), ids[Label.SKILL].get(broader)
        if source is None or target is None:
            skipped["broader relations naming unknown skills"] += 1
            continue
        rels.append(RelRecord(Rel.BROADER, Label.SKILL, source, Label.SKILL, target))
    _check_ends(rels, nodes, store)
    return GraphData(nodes, rels), skipped, new_nodes


def _check_ends(rels: list[RelRecord], nodes: list[NodeRecord], store: GraphStore) -> None:
    """Every relationship ends at a node in the import or the store (a bug otherwise):
    relationships to nodes that do not exist would be dropped by Neo4j and kept by SQLite."""
    present = {(node.label, node.id) for node in nodes}
    wanted: dict[Label, set[str]] = {}
    for rel in rels:
        for end in ((rel.source_label, rel.source_id), (rel.target_label, rel.target_id)):
            if end not in present:
                wanted.setdefault(end[0], set()).add(end[1])
    for label, node_ids in wanted.items():
        missing = node_ids - store.existing_ids(label, node_ids)
        if missing:
            raise InvalidInput(f"ESCO import: no {label} with id {sorted(missing)[0]!r}")
