"""How a typed text is matched against catalogue labels: the one definition behind
``GraphStore.search_items`` on both stores, and behind merging the answers of several
labels (skills and tools in one picker).

A text matches a label ignoring case, literally (no pattern characters: ``%``, ``_``,
``*``, quotes and backslashes are just characters). The rank says how well:

0. the label *is* the text,
1. the label starts with it,
2. a word of the label starts with it (after a space, ``-``, ``/`` or ``(``),
3. the label contains it.

Ties are broken by the shown label ignoring case, then the shown label, then the id. The
Neo4j store does the same in Cypher (``cypher/query/search_items.cypher``) with the same
separators, so both stores answer in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import LABEL_PROPERTY_PREFIX

__all__ = [
    "NO_MATCH",
    "WORD_SEPARATORS",
    "match_rank",
    "normalise",
    "search_key",
    "searched_labels",
    "shown_label",
]

WORD_SEPARATORS: tuple[str, ...] = (" ", "-", "/", "(")
"""Characters after which a word starts, for rank 2 (word prefix)."""

NO_MATCH = 4
"""The rank of a label that does not contain the text."""

FALLBACK_LANGUAGE = "de"
"""Every catalogue label exists in German; a search in another language also looks there."""


def normalise(text: str) -> str:
    """The text as it is compared: trimmed and in lower case."""
    return str(text).strip().lower()


def match_rank(needle: str, text: str | None) -> int:
    """How well ``text`` matches the normalised ``needle`` (0 best, ``NO_MATCH`` none)."""
    if text is None or not needle:
        return NO_MATCH
    lowered = str(text).lower()
    if needle not in lowered:
        return NO_MATCH
    if lowered == needle:
        return 0
    if lowered.startswith(needle):
        return 1
    if any(separator + needle in lowered for separator in WORD_SEPARATORS):
        return 2
    return 3


def searched_labels(lang: str) -> tuple[str, str]:
    """The node properties a search in ``lang`` reads: that language's label and German's."""
    return f"{LABEL_PROPERTY_PREFIX}{lang}", f"{LABEL_PROPERTY_PREFIX}{FALLBACK_LANGUAGE}"


def shown_label(props: Mapping[str, Any], lang: str) -> str | None:
    """The label a hit is sorted by: in ``lang``, else German (None if it has neither)."""
    own, german = searched_labels(lang)
    value = props.get(own)
    if value is None:
        value = props.get(german)
    return None if value is None else str(value)


def search_key(needle: str, props: Mapping[str, Any], node_id: str, lang: str) -> tuple | None:
    """The sort key of one node for a search, or None when it does not match.

    Strings compare by UTF-16 code units, as Neo4j's ``ORDER BY`` does (Python compares
    code points; the two differ only for characters beyond U+FFFF)."""
    own, german = searched_labels(lang)
    rank = min(match_rank(needle, props.get(own)), match_rank(needle, props.get(german)))
    if rank == NO_MATCH:
        return None
    shown = shown_label(props, lang) or ""
    return (rank, _utf16(shown.lower()), _utf16(shown), _utf16(node_id))


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")
