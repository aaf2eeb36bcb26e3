"""World files as JSON Lines: ``wegweiser-world/1`` for worlds too large for one document.

A JSON document must be parsed whole before the first entity can be checked; a world of a
million job seekers does not fit that way. In the lines layout the first line is a header
(``{"format": "wegweiser-world/1"}``) and every further line one entity with its
``section`` (``{"section": "towns", "id": "t-1", …}``), sections in the canonical order.

Reading streams: each line is checked by the same pydantic models as the document layout
and encoded at once; only the ids seen so far are kept (one small dict entry per entity),
plus the references that point at ids not seen yet. Those are resolved by a later line or,
at the end, by the store. The encoded records go to ``GraphStore.import_batches`` in
batches, inside ONE transaction: a problem anywhere stops the writing, every further line
is still checked (so that one run lists everything to fix), and the transaction is rolled
back — nothing is imported. Writing is streaming too (:class:`WorldWriter`); ``.gz`` is
written without a timestamp, so a seed always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from graph.errors import InvalidInput
from graph.model import Label
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore, ProgressCallback
from graph.world import codec
from graph.world.schema import ENTITY_SECTIONS, FORMAT
from graph.world.validate import (
    ENTITY_ADAPTERS,
    ExistingIds,
    describe_errors,
    json_type,
    parse_json,
)

__all__ = [
    "BATCH",
    "LINES_SUFFIXES",
    "WorldWriter",
    "import_world_lines",
    "is_lines_file",
    "validate_world_lines",
]

LINES_SUFFIXES = (".jsonl", ".jsonl.gz")
BATCH = 2_000
"""Entities per batch handed to the store (their relationships come with them)."""
MAX_PROBLEMS = 200
"""Problems listed in full; the rest are counted (a broken generator breaks every line)."""
_PATHS_PER_REFERENCE = 3
_HEADER_KEYS = ("format", "about")
_ORDER = {section: index for index, section in enumerate(ENTITY_SECTIONS)}


def is_lines_file(path: Path | str) -> bool:
    """Whether ``path`` names a JSON Lines world (``.jsonl`` or ``.jsonl.gz``)."""
    return str(path).lower().endswith(LINES_SUFFIXES)


# --- reading -------------------------------------------------------------------------------


def import_world_lines(
    store: GraphStore,
    path: Path,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH,
) -> Any:
    """Check and import a JSON Lines world in one all-or-nothing transaction.

    Returns an ``ImportReport``; raises ``InvalidInput`` listing every problem (with its
    line number) and leaves the store untouched when anything is wrong.
    """
    from graph.world.files import ImportReport

    with _open_for_reading(path) as (handle, position, size):
        check = _LinesCheck(str(path), store.existing_ids)

        def batches() -> Iterator[GraphData]:
            for batch in check.batches(handle, batch_size):
                yield batch
                if progress is not None:
                    progress(position(), size)

        summary = store.import_batches(batches())
    return ImportReport(check.counts, summary.nodes, summary.relationships)


def validate_world_lines(path: Path, existing: ExistingIds | None = None) -> dict[str, int]:
    """Check a JSON Lines world without writing anything; entities per section."""
    with _open_for_reading(path) as (handle, _, _):
        check = _LinesCheck(str(path), existing)
        for _ in check.batches(handle, BATCH):
            pass
    return check.counts


class _LinesCheck:
    """The state of one pass over a lines file: bounded by the ids, not by the file."""

    def __init__(self, source: str, existing: ExistingIds | None) -> None:
        self.source = source
        self.existing = existing
        self.counts = dict.fromkeys(ENTITY_SECTIONS, 0)
        self.seen: dict[str, Label] = {}
        self.unresolved: dict[tuple[Label, str], list[str]] = {}
        self.problems: list[str] = []
        self.problem_count = 0

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)

    def batches(self, handle: Iterable[bytes], batch_size: int) -> Iterator[GraphData]:
        nodes: list[NodeRecord] = []
        rels: list[RelRecord] = []
        deferred: list[RelRecord] = []  # relationships to ids not seen yet: written last
        last_section = ""
        lines = 0
        for lines, raw in enumerate(handle, start=1):
            if lines == 1:
                self._header(raw)
                continue
            if not raw.strip():
                continue
            entity = self._entity(lines, raw, last_section)
            if entity is None:
                continue
            section, node, encoded = entity
            last_section = section
            if self.problem_count:
                continue  # keep checking, stop collecting: nothing will be written
            nodes.append(node)
            for rel in encoded:
                label, other_id = rel.other_end
                (rels if self.seen.get(other_id) == label else deferred).append(rel.record)
            if len(nodes) >= batch_size:
                yield GraphData(nodes, rels)
                nodes, rels = [], []
        if lines == 0:
            self.problem(f"line 1: the file is empty (expected a header with format {FORMAT!r})")
        self._resolve_with_store()
        if self.problem_count:
            noun = "problem" if self.problem_count == 1 else "problems"
            listed = list(self.problems)
            if self.problem_count > len(listed):
                listed.append(f"… and {self.problem_count - len(listed)} more")
            raise InvalidInput(
                f"{self.source}: {self.problem_count} {noun}; nothing was imported", listed
            )
        if nodes or rels:
            yield GraphData(nodes, rels)
        if deferred:
            yield GraphData([], deferred)

    def _header(self, raw: bytes) -> None:
        data = self._parse(1, raw)
        if data is None:
            return
        if not isinstance(data, dict):
            self.problem(f"line 1: the header is a JSON object, not {json_type(data)}")
            return
        if "section" in data:
            self.problem(f"line 1: the first line must be the header {{'format': {FORMAT!r}}}")
            return
        if data.get("format") != FORMAT:
            self.problem(f"line 1: format: must be {FORMAT!r}, got {data.get('format')!r}")
        for key in data:
            if key not in _HEADER_KEYS:
                self.problem(f"line 1: {key}: unknown key (known: {', '.join(_HEADER_KEYS)})")
        if "about" in data and not isinstance(data["about"], dict):
            self.problem(f"line 1: about: must be an object, not {json_type(data['about'])}")

    def _entity(
        self, line: int, raw: bytes, last_section: str
    ) -> tuple[str, NodeRecord, list[codec.EncodedRel]] | None:
        data = self._parse(line, raw)
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem(f"line {line}: an entity is a JSON object, not {json_type(data)}")
            return None
        section = data.pop("section", None)
        if section not in ENTITY_SECTIONS:
            known = ", ".join(ENTITY_SECTIONS)
            what = "is required" if section is None else f"unknown section {section!r}"
            self.problem(f"line {line}: section: {what} (known: {known})")
            return None
        if last_section and _ORDER[section] < _ORDER[last_section]:
            self.problem(
                f"line {line}: section {section!r} after {last_section!r}: sections must "
                f"come in the order {', '.join(ENTITY_SECTIONS)}"
            )
        path = f"line {line}: {section}[{self.counts[section]}]"
        self.counts[section] += 1
        label = codec.SECTION_LABELS[section]
        item_id = data.get("id")
        if isinstance(item_id, str):
            if item_id in self.seen:
                earlier = codec.LABEL_SECTIONS[self.seen[item_id]]
                self.problem(f"{path}.id: duplicate id {item_id!r} (also earlier in {earlier})")
                return None
            self.seen[item_id] = label
            self.unresolved.pop((label, item_id), None)
        try:
            entity = ENTITY_ADAPTERS[section].validate_python(data)
        except ValidationError as e:
            for text in describe_errors(path, e):
                self.problem(text)
            return None
        node, encoded = codec.encode(entity)
        for rel in encoded:
            end = rel.other_end
            if self.seen.get(end[1]) != end[0]:
                paths = self.unresolved.setdefault(end, [])
                if len(paths) < _PATHS_PER_REFERENCE:
                    paths.append(f"{path}.{rel.path}")
        return section, node, encoded

    def _parse(self, line: int, raw: bytes) -> Any:
        try:
            return parse_json(raw, f"line {line}")
        except InvalidInput as e:
            self.problem(e.summary.replace(" at line 1, column ", " at column "))
            return None

    def _resolve_with_store(self) -> None:
        """References to ids the file never declared must name nodes in the store."""
        by_label: dict[Label, list[str]] = {}
        for label, node_id in self.unresolved:
            by_label.setdefault(label, []).append(node_id)
        found: set[tuple[Label, str]] = set()
        if self.existing is not None:
            for label, ids in by_label.items():
                found.update((label, i) for i in self.existing(label, ids))
        for (label, node_id), paths in self.unresolved.items():
            if (label, node_id) in found:
                continue
            section = codec.LABEL_SECTIONS[label]
            for path in paths:
                self.problem(f"{path}: unknown {label.lower()} {node_id!r} (not in {section})")


class _Opened:
    """A lines file opened for reading, with the position in the raw (compressed) bytes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.raw = self.path.open("rb")
        except FileNotFoundError:
            raise InvalidInput(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InvalidInput(f"{path}: is a directory, not a world file") from None
        except PermissionError:
            raise InvalidInput(f"{path}: not readable (permission denied)") from None
        self.size = os.fstat(self.raw.fileno()).st_size
        gz = str(path).lower().endswith(".gz")
        self.handle: IO[bytes] = gzip.GzipFile(fileobj=self.raw) if gz else self.raw

    def __enter__(self) -> tuple[Iterator[bytes], Callable[[], int], int]:
        return _checked_lines(self.handle, self.path), self.raw.tell, self.size

    def __exit__(self, *exc_info: object) -> None:
        self.handle.close()
        self.raw.close()


def _open_for_reading(path: Path) -> _Opened:
    return _Opened(path)


def _checked_lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    """The lines of ``handle``; a corrupt ``.gz`` becomes ``InvalidInput``."""
    try:
        yield from handle
    except (gzip.BadGzipFile, EOFError, OSError) as e:
        raise InvalidInput(f"{path}: not a readable gzip file ({e})") from None


# --- writing -------------------------------------------------------------------------------


class WorldWriter:
    """Write a world entity by entity: ``.jsonl``, ``.jsonl.gz`` or one ``.json`` document.

    Memory stays flat whatever the size. The file appears only when :meth:`close` succeeds
    (written to a temporary file, then renamed), so a failed run leaves no half world.
    Sections must come in the canonical order; entities are written as given (compact
    JSON, UTF-8, keys in the order of the dicts).
    """

    def __init__(self, path: Path | str, about: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        name = self.path.name.lower()
        if not (name.endswith(LINES_SUFFIXES) or name.endswith(".json")):
            raise InvalidInput(f"{path}: a world file ends in .jsonl, .jsonl.gz or .json")
        self.lines = name.endswith(LINES_SUFFIXES)
        directory = self.path.parent if str(self.path.parent) else Path(".")
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        except FileNotFoundError:
            raise InvalidInput(f"{path}: directory {directory} does not exist") from None
        except PermissionError:
            raise InvalidInput(f"{path}: directory {directory} is not writable") from None
        self._raw = os.fdopen(fd, "wb")
        self._out: IO[bytes] = self._raw
        if name.endswith(".gz"):  # no name and no timestamp in the header: same bytes each run
            self._out = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)
        self._buffer = io.BufferedWriter(_Sink(self._out), buffer_size=1 << 20)
        self._section = ""
        self.counts: dict[str, int] = dict.fromkeys(ENTITY_SECTIONS, 0)
        header: dict[str, Any] = {"format": FORMAT}
        if about and self.lines:  # a JSON document has no place for it
            header["about"] = about
        if self.lines:
            self._buffer.write(_dumps(header) + b"\n")
        else:
            self._buffer.write(_dumps(header)[:-1])  # the document stays open: '{"format":…'

    def write(self, section: str, entity: dict[str, Any]) -> None:
        if section != self._section:
            if section not in ENTITY_SECTIONS:
                raise ValueError(f"unknown section {section!r}")
            if self._section and _ORDER[section] < _ORDER[self._section]:
                raise ValueError(f"section {section!r} after {self._section!r}")
            if not self.lines:
                self._buffer.write(b"\n]" if self._section else b"")
                self._buffer.write(b',\n"' + section.encode() + b'":[\n')
            self._section = section
        elif not self.lines:
            self._buffer.write(b",\n")
        if self.lines:
            self._buffer.write(_dumps({"section": section, **entity}) + b"\n")
        else:
            self._buffer.write(_dumps(entity))
        self.counts[section] += 1

    def write_all(self, entities: Iterable[tuple[str, dict[str, Any]]]) -> None:
        for section, entity in entities:
            self.write(section, entity)

    def close(self) -> int:
        """Finish the file and move it into place; returns its size in bytes."""
        if not self.lines:
            self._buffer.write(b"\n]}\n" if self._section else b"}\n")
        self._buffer.flush()
        if self._out is not self._raw:
            self._out.close()
        self._raw.close()
        os.replace(self._tmp, self.path)
        return self.path.stat().st_size

    def abort(self) -> None:
        """Drop the temporary file (after an error)."""
        for stream in (self._out, self._raw):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        Path(self._tmp).unlink(missing_ok=True)

    def __enter__(self) -> WorldWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class _Sink(io.RawIOBase):
    def __init__(self, out: IO[bytes]) -> None:
        super().__init__()
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._out.write(data)
        return len(data)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
