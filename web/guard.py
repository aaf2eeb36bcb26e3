"""The gate in front of every audience blueprint, and the 404-outside-your-scope rule.

Each audience (advisor, employer, coach, admin, api) is a blueprint made here: every one
of its views requires a signed-in user with one of its roles, checked before the view
runs, so a view cannot forget it. Objects are then fetched through :func:`find_or_404`,
which asks ``graph.access`` and answers 404 for anything outside the user's scope.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from graph.access import Action, Principal, Resource, require
from graph.errors import NotFound
from graph.model import Label
from web.audit import record_access
from web.store import get_store

__all__ = ["audience_blueprint", "find_or_404", "principal"]


def audience_blueprint(
    name: str, import_name: str, url_prefix: str, roles: Iterable[str], *, api: bool = False
) -> Blueprint:
    """A blueprint whose views need a signed-in user with one of ``roles`` (admins may
    enter every area). Anonymous visitors go to the login page (API: 401); a signed-in
    user with another role gets 403."""
    allowed = frozenset(roles) | {"admin"}
    bp = Blueprint(name, import_name, url_prefix=url_prefix)

    @bp.before_request
    def guard() -> Response | None:
        if not current_user.is_authenticated:
            if api:
                abort(401)
            path = request.full_path.rstrip("?")
            return redirect(url_for("auth.login", next=path))
        if current_user.role not in allowed:
            abort(403)
        return None

    return bp


def principal() -> Principal:
    return Principal.from_user(current_user.user)


def find_or_404(action: Action, label: Label, node_id: str) -> Resource:
    """The object if the current user may do ``action`` on it; else 404, as if the id
    did not exist. Granted reads of candidate data go to the audit trail (``web.audit``)."""
    try:
        resource = require(get_store(), principal(), action, label, node_id)
    except NotFound:
        abort(404)
    record_access(action, resource)  # a GET that shows candidate data is logged
    return resource
