"""What the advisor pages share: the scope, labels in the reader's language, the names
of the model's enumerations, the write forms and the tool pictograms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, SubmitField

from graph.access import Action, Resource, candidate_scope, visible_groups
from graph.audit import GROUP_IDENTITY_CONTACT
from graph.model import Label
from graph.profiles import labels_of
from graph.store import GraphStore
from web.advisor import bp
from web.guard import find_or_404, principal

__all__ = [
    "CATEGORY_NAMES",
    "GENDER_NAMES",
    "KIND_NAMES",
    "OFFER_KIND_NAMES",
    "SOURCE_NAMES",
    "STATUS_NAMES",
    "EnrolForm",
    "Labeller",
    "ProposeForm",
    "candidate_or_404",
    "current_lang",
    "inline",
    "pick",
    "scope_ids",
    "tool_icon",
]

OFFER_KIND_NAMES = {
    "internship": _l("Praktikum"),
    "apprenticeship": _l("Ausbildung"),
    "job": _l("Stelle"),
}
STATUS_NAMES = {
    "proposed": _l("vorgeschlagen"),
    "contacted": _l("kontaktiert"),
    "interview": _l("Vorstellungsgespräch"),
    "internship": _l("im Praktikum"),
    "hired": _l("eingestellt"),
    "ended": _l("beendet"),
    "planned": _l("geplant"),
    "enrolled": _l("angemeldet"),
    "completed": _l("abgeschlossen"),
    "dropped": _l("abgebrochen"),
}
GENDER_NAMES = {
    "f": _l("Frauen"),
    "m": _l("Männer"),
    "d": _l("divers"),
    "unknown": _l("ohne Angabe"),
}
SOURCE_NAMES = {
    "self-reported": _l("selbst angegeben"),
    "assessed": _l("festgestellt"),
    "certificate": _l("Zertifikat"),
}
CATEGORY_NAMES = {
    "machine": _l("Maschine"),
    "tool": _l("Werkzeug"),
    "vehicle": _l("Fahrzeug"),
    "software": _l("Software"),
    "equipment": _l("Gerät"),
}
KIND_NAMES = {"skill": _l("Fähigkeit"), "tool": _l("Werkzeug"), "language": _l("Sprache")}


class ProposeForm(FlaskForm):
    offer = HiddenField()
    submit = SubmitField(_l("Für dieses Angebot vorschlagen"))


class EnrolForm(FlaskForm):
    course = HiddenField()
    start = HiddenField()
    submit = SubmitField(_l("Für den Kurs anmelden"))


def current_lang() -> str:
    return str(get_locale() or "de")


def scope_ids(store: GraphStore, action: Action = Action.EDIT) -> list[str]:
    """The ids of the candidates the signed-in advisor may do ``action`` on, sorted. The
    default is their own organisation's candidates (dashboard, pipeline, contact requests
    count only those); ``Action.VIEW`` adds the candidates shared with it."""
    scope = candidate_scope(store, principal(), action=action)
    if scope.is_everything:
        return [c.id for c in store.candidate_profiles()]
    return sorted(scope.ids or ())


def candidate_or_404(candidate_id: str, action: Action = Action.VIEW) -> Resource:
    resource = find_or_404(action, Label.CANDIDATE, candidate_id)
    g.setdefault("candidate_groups", {})[candidate_id] = visible_groups(principal(), resource)
    return resource


@bp.app_template_filter("person_name")
def person_name(profile: Any) -> str:
    """A candidate's name where the page's reader may see identity and contact (as
    ``candidate_or_404`` found for this request), else "Person <id>": a share that does
    not open identity must not show the name in a page title either."""
    groups = g.get("candidate_groups", {}).get(profile.id, frozenset())
    if GROUP_IDENTITY_CONTACT not in groups:  # also when no check ran: never by default
        return _("Person %(id)s", id=profile.id)
    return str(profile.name)


class Labeller:
    """Labels of taxonomy nodes (skills, tools, languages) in one language, German where
    the taxonomy has none; each node is read once per request, and ``prefetch`` reads a
    page's worth in one round trip instead of one query per label."""

    def __init__(self, store: GraphStore, lang: str) -> None:
        self.store, self.lang = store, lang
        self._props: dict[tuple[str, str], Mapping[str, Any]] = {}

    def prefetch(self, label: Label, ids: Iterable[str]) -> None:
        """Read the nodes not read yet in one call; unknown ids show as themselves."""
        wanted = [i for i in dict.fromkeys(ids) if (str(label), i) not in self._props]
        if not wanted:
            return
        found = self.store.get_nodes(label, wanted)
        for node_id in wanted:
            node = found.get(node_id)
            self._props[(str(label), node_id)] = node.props if node is not None else {}

    def props(self, label: Label, node_id: str) -> Mapping[str, Any]:
        """The node's properties (empty for a dangling id)."""
        self.prefetch(label, [node_id])
        return self._props[(str(label), node_id)]

    def labels(self, label: Label, node_id: str) -> dict[str, str]:
        return labels_of(self.props(label, node_id))

    def __call__(self, label: Label, node_id: str, lang: str | None = None) -> str:
        return pick(self.labels(label, node_id), lang or self.lang, node_id)


def pick(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``, else German, else English, else ``fallback``."""
    return labels.get(lang) or labels.get("de") or labels.get("en") or fallback


_ICON_SHAPES = {
    "machine": '<circle cx="8" cy="8" r="5" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<circle cx="8" cy="8" r="1.5" fill="currentColor"/>',
    "tool": '<path d="M3 13 L10 6 M9 3 a3 3 0 1 0 4 4" fill="none" stroke="currentColor"'
    ' stroke-width="2" stroke-linecap="round"/>',
    "vehicle": '<rect x="1" y="5" width="9" height="6" fill="none" stroke="currentColor"'
    ' stroke-width="1.5"/><path d="M10 7 h3 l2 3 v1 h-5z" fill="currentColor"/>'
    '<circle cx="4" cy="13" r="1.6" fill="currentColor"/>'
    '<circle cx="12" cy="13" r="1.6" fill="currentColor"/>',
    "software": '<rect x="1.5" y="2.5" width="13" height="9" fill="none" stroke="currentColor"'
    ' stroke-width="1.5"/><path d="M5 14 h6" stroke="currentColor" stroke-width="2"/>',
    "equipment": '<rect x="3" y="3" width="10" height="10" rx="2" fill="none"'
    ' stroke="currentColor" stroke-width="1.5"/><path d="M6 8 h4 M8 6 v4"'
    ' stroke="currentColor" stroke-width="1.5"/>',
}


def tool_icon(category: str | None) -> Markup:
    """A small inline pictogram for a tool category; decorative (the category is written
    next to it), so hidden from screen readers."""
    shape = _ICON_SHAPES.get(category or "", _ICON_SHAPES["equipment"])
    return Markup(
        '<svg class="wg-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"'
        f' focusable="false">{shape}</svg>'
    )


_SVG_NS = ' xmlns="http://www.w3.org/2000/svg"'


def inline(svg: str) -> Markup:
    """A picture from ``web.render`` for embedding in HTML: the HTML parser puts ``<svg>``
    into the SVG namespace itself, so the ``xmlns`` URL (which reads like an external
    reference to page checks) is dropped. The picture's text is escaped by the renderer."""
    return Markup(svg.replace(_SVG_NS, "", 1))
