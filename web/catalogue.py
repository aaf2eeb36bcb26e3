"""Catalogue suggestions while someone types: ``GET /catalogue/suggest``.

A full ESCO taxonomy has about 14 000 skills; a page that put them all into a
``<datalist>`` would weigh megabytes. Forms therefore render the whole list only for a
small catalogue (``FULL_LIST_MAX``) and otherwise an empty one that ``static/suggest.js``
fills from this endpoint, asking ``GraphStore.search_items`` for the labels in the
signed-in user's language (German as the fallback). Without JavaScript a typed label
still resolves on save, and an unknown one is answered with :func:`closest` ("Meinten
Sie …").

The catalogue is shared reference data every signed-in role may read
(``graph.access.CATALOGUE``); anonymous callers get 401 as a problem document.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, json, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from graph.access import Action, Resource, can
from graph.model import USER_ROLES, Label
from graph.records import NodeRecord
from graph.search import NO_MATCH, match_rank, normalise, search_key, searched_labels
from graph.store import GraphStore
from web.api.problems import problem
from web.guard import audience_blueprint, principal
from web.store import get_store

__all__ = [
    "FULL_LIST_MAX",
    "KINDS",
    "MIN_QUERY",
    "SHOWN",
    "bp",
    "closest",
    "full_list",
    "quoted",
    "suggestions",
]

bp = audience_blueprint("catalogue", __name__, "/catalogue", roles=USER_ROLES, api=True)

KINDS: dict[str, tuple[Label, ...]] = {
    "skill": (Label.SKILL,),
    "tool": (Label.TOOL,),
    "language": (Label.LANGUAGE,),
    "item": (Label.SKILL, Label.TOOL),
}
"""What ``kind`` may ask for; ``item`` is a skill or a tool (an offer's requirement)."""

_KIND_OF = {Label.SKILL: "skill", Label.TOOL: "tool", Label.LANGUAGE: "language"}

SHOWN = 20
"""Suggestions per answer."""
MIN_QUERY = 2
"""Shorter texts get no suggestions: one letter matches half the catalogue."""
MAX_QUERY = 200
FULL_LIST_MAX = 300
"""Up to this many entries a form renders its whole datalist; above, the script fills it."""


def _lang() -> str:
    return str(get_locale() or "de")


def suggestions(
    store: GraphStore, labels: Sequence[Label], text: str, lang: str, limit: int = SHOWN
) -> list[dict[str, str]]:
    """The best ``limit`` nodes of ``labels`` for ``text`` as ``{"id", "label", "kind"}``.

    Several labels (skills and tools) are merged by the same ranking the stores use. The
    label shown is the one in ``lang`` when that one matched, else the German one that
    did, so the suggestion contains what was typed (browsers hide datalist options that
    do not)."""
    needle = normalise(text)
    hits: list[tuple[tuple, Label, NodeRecord]] = []
    for label in labels:
        for node in store.search_items(label, text, lang, limit):
            key = search_key(needle, node.props, node.id, lang)
            if key is not None:
                hits.append((key, label, node))
    hits.sort(key=lambda hit: (hit[0], str(hit[1])))
    own, german = searched_labels(lang)
    answer = []
    for _key, label, node in hits[: max(limit, 0)]:
        shown = node.props.get(own)
        if shown is None or match_rank(needle, str(shown)) == NO_MATCH:
            shown = node.props.get(german, shown)
        answer.append({"id": node.id, "label": str(shown), "kind": _KIND_OF[label]})
    return answer


def closest(
    store: GraphStore, labels: Sequence[Label], text: str, lang: str, limit: int = 3
) -> list[str]:
    """Labels to offer for a text that names nothing: suggestions for the text itself,
    else for its longest words, else for ever shorter beginnings of it (a typo late in
    the word) — at most eight searches, empty when nothing comes close."""
    text = text.strip()
    tries = [text]
    tries += sorted({w for w in text.split() if len(w) >= 3 and w != text}, key=len, reverse=True)
    tries += [text[:end] for end in range(len(text) - 1, max(len(text) // 2, 3) - 1, -1)]
    for attempt in list(dict.fromkeys(tries))[:8]:
        if len(normalise(attempt)) < MIN_QUERY:
            continue
        found = suggestions(store, labels, attempt, lang, limit)
        if found:
            return list(dict.fromkeys(entry["label"] for entry in found))
    return []


def quoted(names: Sequence[str]) -> str:
    """Labels for a message, each in the quotation marks of the page's language."""
    return ", ".join(_("„%(label)s“", label=name) for name in names)


def full_list(store: GraphStore, labels: Sequence[Label], lang: str) -> list[str] | None:
    """Every label of a small catalogue for a datalist, sorted ignoring case; None when
    it has more than ``FULL_LIST_MAX`` entries (the page then relies on suggestions)."""
    own, german = searched_labels(lang)
    options: set[str] = set()
    count = 0
    for label in labels:
        nodes = store.list_nodes(label, FULL_LIST_MAX + 1)
        count += len(nodes)
        if count > FULL_LIST_MAX:
            return None
        for node in nodes:
            props = node.props
            shown = props.get(own) or props.get(german) or props.get("label_en") or node.id
            options.add(str(shown))
    return sorted(options, key=str.casefold)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    """Not signed in (401), a role without access (403) and the like, as JSON."""
    default = type(error).description
    return problem(error.code or 500, error.description if error.description != default else None)


@bp.errorhandler(500)
def _server_error(error: Exception) -> Response:
    return problem(500)


@bp.get("/suggest")
def suggest() -> Response:
    """``?kind=skill|tool|language|item&q=…`` → ``[{"id", "label", "kind"}]``, best first,
    at most ``SHOWN``, labels in the user's language; ``[]`` for fewer than two letters."""
    kind = request.args.get("kind", "")
    labels = KINDS.get(kind)
    if labels is None:
        return problem(400, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY:
        return problem(400, f"q must be at most {MAX_QUERY} characters long")
    viewer = principal()
    if not all(can(viewer, Action.VIEW, Resource(label, "")) for label in labels):
        return problem(403)
    found = []
    if len(normalise(text)) >= MIN_QUERY:
        found = suggestions(get_store(), labels, text, _lang())
    response = Response(json.dumps(found), mimetype="application/json")
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["Vary"] = "Cookie"
    return response
