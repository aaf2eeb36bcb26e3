"""Reading and writing world files, and the import/export use cases on a store."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import InvalidInput, WegweiserError
from graph.store import GraphStore, ProgressCallback
from graph.world import codec
from graph.world.jsonl import import_world_lines, is_lines_file
from graph.world.schema import FORMAT
from graph.world.validate import parse_json, validate_world

__all__ = ["ImportReport", "dumps_world", "export_world", "import_world", "read_world"]


@dataclass(frozen=True)
class ImportReport:
    entities: dict[str, int]
    nodes: int
    relationships: int


def read_world(path: Path) -> Any:
    """The parsed JSON document at ``path``, or ``InvalidInput`` saying why not."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a directory, not a world file") from None
    except PermissionError:
        raise InvalidInput(f"{path}: not readable (permission denied)") from None
    return parse_json(raw, str(path))


def import_world(
    store: GraphStore, path: Path, progress: ProgressCallback | None = None
) -> ImportReport:
    """Validate the whole file, then write it in one all-or-nothing transaction.

    ``.jsonl`` / ``.jsonl.gz`` files are read line by line (:mod:`graph.world.jsonl`).
    """
    if is_lines_file(path):
        return import_world_lines(store, path, progress=progress)
    valid = validate_world(read_world(path), str(path), existing=store.existing_ids)
    summary = store.import_graph(valid.graph, progress=progress)
    return ImportReport(valid.counts, summary.nodes, summary.relationships)


def dumps_world(store: GraphStore) -> str:
    """The whole graph as canonical ``wegweiser-world/1`` text.

    Canonical: sections in fixed order, entities sorted by id, keys in schema order, maps
    sorted by key, two-space indent, UTF-8 without escapes, one trailing newline. Two
    stores holding the same graph produce the same bytes.
    """
    try:
        sections = codec.decode(store.export_graph())
    except ValueError as e:
        raise WegweiserError(f"the stored graph cannot be written as a world file: {e}") from e
    return json.dumps({"format": FORMAT, **sections}, ensure_ascii=False, indent=2) + "\n"


def export_world(store: GraphStore, path: Path) -> int:
    """Write the canonical world file atomically (never a half-written file); return bytes."""
    text = dumps_world(store).encode("utf-8")
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: directory {directory} does not exist") from None
    except PermissionError:
        raise InvalidInput(f"{path}: directory {directory} is not writable") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(text)
