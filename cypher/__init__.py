"""Every Cypher statement of Wegweiser, one ``.cypher`` file each, loaded by name.

A statement's name is its path below this package without the suffix, e.g.
``query/get_node``. Values always travel as parameters (``$id``). Labels and relationship
types cannot be parameters, so a statement may hold placeholders such as ``<<label>>``;
:func:`render` fills them only with members of the model's enums (``graph.model.Label``,
``graph.model.Rel``), never with text from outside, which keeps this the allow-list the
Neo4j driver manual asks for.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from pathlib import Path

__all__ = ["UnknownStatement", "load", "names", "placeholders", "render"]

_ROOT = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"<<([a-z_]+)>>")
_NAME = re.compile(r"^[a-z_]+(/[a-z_]+)*$")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class UnknownStatement(LookupError):
    """A statement name with no file behind it: a bug, caught the first time it runs."""


def names() -> list[str]:
    """All statement names, sorted."""
    return sorted(
        path.relative_to(_ROOT).with_suffix("").as_posix() for path in _ROOT.rglob("*.cypher")
    )


@cache
def load(name: str) -> str:
    """The text of statement ``name`` (cached; placeholders left in place)."""
    path = _ROOT / f"{name}.cypher"
    if not _NAME.match(name) or not path.is_file():
        raise UnknownStatement(f"no Cypher statement named {name!r} in {_ROOT}")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    return set(_PLACEHOLDER.findall(load(name)))


@cache
def render(name: str, **tokens: Enum) -> str:
    """Statement ``name`` with its ``<<placeholders>>`` filled from model enums."""
    wanted = placeholders(name)
    if set(tokens) != wanted:
        raise ValueError(f"{name} takes placeholders {sorted(wanted)}, got {sorted(tokens)}")
    for key, value in tokens.items():
        if not isinstance(value, Enum) or not _IDENTIFIER.match(str(value.value)):
            raise TypeError(f"{name}: placeholder {key} must be a model enum, got {value!r}")
    return _PLACEHOLDER.sub(lambda m: str(tokens[m.group(1)].value), load(name))
