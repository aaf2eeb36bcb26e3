"""Checking a whole world file before a single row is written.

Every problem is collected, each with the JSON path where it is, so that one run lists
everything to fix: structure and types (per entity, so that one bad course does not hide
the next), duplicate ids, and references to ids that are neither in the file nor already
in the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from graph.errors import InvalidInput
from graph.model import Label
from graph.records import GraphData
from graph.world import codec
from graph.world import schema as s

__all__ = [
    "ENTITY_ADAPTERS",
    "ExistingIds",
    "ValidWorld",
    "describe_errors",
    "json_type",
    "parse_json",
    "validate_world",
]

ExistingIds = Callable[[Label, Iterable[str]], set[str]]
"""Which of these ids of a label already exist in the store (for partial files)."""

_ADAPTERS = {section: TypeAdapter(model) for section, model in s.ENTITY_SECTIONS.items()}
ENTITY_ADAPTERS = _ADAPTERS
"""One pydantic adapter per section; the JSON Lines reader (``jsonl``) validates with them."""


@dataclass
class ValidWorld:
    """A world that passed every check: its entity counts and the records to write."""

    graph: GraphData
    counts: dict[str, int]


def parse_json(text: str | bytes, source: str) -> Any:
    """JSON with duplicate object keys rejected (``json`` would silently keep the last)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise InvalidInput(
            f"{source}: not JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from None
    except _DuplicateKey as e:
        raise InvalidInput(f"{source}: key {e.args[0]!r} appears twice in one object") from None
    except UnicodeDecodeError as e:
        raise InvalidInput(f"{source}: not UTF-8 text ({e.reason} at byte {e.start})") from None


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def validate_world(data: Any, source: str, existing: ExistingIds | None = None) -> ValidWorld:
    """Check ``data`` (a parsed world document) completely; raise ``InvalidInput`` listing
    every problem, or return the records to import."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: a world file is a JSON object, not {_json_type(data)}")
    if data.get("format") != s.FORMAT:
        problems.append(f"format: must be {s.FORMAT!r}, got {data.get('format')!r}")
    for key in data:
        if key != "format" and key not in s.ENTITY_SECTIONS:
            problems.append(f"{key}: unknown section (known: {', '.join(s.ENTITY_SECTIONS)})")

    encoded: list[tuple[str, Any]] = []  # (path of entity, (node, rels))
    seen: dict[str, str] = {}  # id -> path of the entity that declared it first
    declared: set[tuple[Label, str]] = set()  # also ids of entities with other problems
    counts: dict[str, int] = {}
    for section, adapter in _ADAPTERS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list, not {_json_type(items)}")
            continue
        counts[section] = len(items)
        label = codec.SECTION_LABELS[section]
        for index, item in enumerate(items):
            path = f"{section}[{index}]"
            item_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(item_id, str):
                if item_id in seen:
                    problems.append(f"{path}.id: duplicate id {item_id!r} (also {seen[item_id]})")
                    continue
                seen[item_id] = path
                declared.add((label, item_id))
            try:
                entity = adapter.validate_python(item)
            except ValidationError as e:
                problems.extend(_describe(path, e))
                continue
            encoded.append((path, codec.encode(entity)))

    problems.extend(_dangling_references(encoded, declared, existing))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(f"{source}: {len(problems)} {noun}; nothing was imported", problems)
    graph = GraphData(
        nodes=[node for _, (node, _) in encoded],
        relationships=[rel.record for _, (_, rels) in encoded for rel in rels],
    )
    return ValidWorld(graph=graph, counts=counts)


def _dangling_references(
    encoded: list[tuple[str, Any]],
    in_file: set[tuple[Label, str]],
    existing: ExistingIds | None,
) -> list[str]:
    wanted: dict[tuple[Label, str], list[str]] = {}
    for path, (_, rels) in encoded:
        for rel in rels:
            end = rel.other_end
            if end not in in_file:
                wanted.setdefault(end, []).append(f"{path}.{rel.path}")
    if not wanted:
        return []
    found: set[tuple[Label, str]] = set()
    if existing is not None:
        by_label: dict[Label, list[str]] = {}
        for label, node_id in wanted:
            by_label.setdefault(label, []).append(node_id)
        for label, ids in by_label.items():
            found.update((label, node_id) for node_id in existing(label, ids))
    problems = []
    for (label, node_id), paths in wanted.items():
        if (label, node_id) in found:
            continue
        section = codec.LABEL_SECTIONS[label]
        for path in paths:
            problems.append(f"{path}: unknown {label.lower()} {node_id!r} (not in {section})")
    return problems


def _describe(path: str, error: ValidationError) -> list[str]:
    lines = []
    for detail in error.errors(include_url=False):
        where = path + "".join(_loc_part(part) for part in detail["loc"])
        lines.append(f"{where}: {_message(detail)}")
    return lines


def _loc_part(part: str | int) -> str:
    if isinstance(part, int):
        return f"[{part}]"
    if part.startswith("function-") or part == "[key]":
        return ""
    return f".{part}"


def _message(detail: dict[str, Any]) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(detail["ctx"]["error"])
    message = detail["msg"]
    value = detail.get("input")
    if isinstance(value, str | int | float | bool) or value is None:
        return f"{message[0].lower()}{message[1:]} (got {json.dumps(value, ensure_ascii=False)})"
    return f"{message[0].lower()}{message[1:]} (got {_json_type(value)})"


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null"


describe_errors = _describe
"""``describe_errors(path, error)``: one ``"<path>: <what>"`` line per pydantic error."""
json_type = _json_type
