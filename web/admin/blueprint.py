"""The admin blueprint, its start page, and what its views share."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from graph.model import LABEL_PROPERTY_PREFIX, Label
from web.guard import audience_blueprint
from web.store import get_store

__all__ = ["bp", "data_dir", "label_in", "lang", "node_name"]

bp = audience_blueprint("admin", __name__, "/admin", roles=["admin", "dpo"])

DPO_ENDPOINTS = frozenset({"admin.audit", "admin.retention"})
"""What the data-protection officer may open of this area: the audit trail and the
retention review (ids and dates, no candidate data)."""


@bp.before_request
def only_privacy_pages_for_the_dpo() -> None:
    if current_user.role == "dpo" and request.endpoint not in DPO_ENDPOINTS:
        abort(403)


def data_dir() -> Path:
    return Path(current_app.config["WEGWEISER_DATA_DIR"])


def lang() -> str:
    return str(get_locale())


def label_in(props: Mapping[str, object], language: str, fallback: str) -> str:
    """The label in ``language``, else German, else English, else the name or ``fallback``."""
    for code in (language, "de", "en"):
        value = props.get(f"{LABEL_PROPERTY_PREFIX}{code}")
        if value:
            return str(value)
    return str(props.get("name") or props.get("title") or fallback)


def node_name(label: Label, props: Mapping[str, object], node_id: str) -> str:
    if label == Label.KLDB_CLASS and props.get("code"):
        return f"{props['code']} {label_in(props, lang(), '')}".strip()
    return label_in(props, lang(), node_id)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    # The body was refused unread; the page's own forms (logout) must not try to read it.
    request.form = request.files = ImmutableMultiDict()
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    detail = _(
        "Die Datei ist zu groß. Erlaubt sind höchstens %(size)s; teilen Sie die Datei "
        "oder importieren Sie sie über die Kommandozeile.",
        size=f"{limit // 2**20} MB" if limit >= 2**20 else f"{max(1, limit // 1024)} KB",
    )
    title = _("Datei zu groß")
    return render_template("errors/error.html", status=413, title=title, detail=detail), 413


@bp.get("/")
def index() -> str:
    users = get_store().list_users()
    return render_template(
        "admin/index.html",
        counts={
            "users": len(users),
            "active": sum(u.active for u in users),
            "admins": sum(u.active and u.role == "admin" for u in users),
        },
    )
