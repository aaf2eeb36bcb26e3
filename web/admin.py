"""Admins: users and roles (organisations, imports and taxonomy come with issue #5)."""

from __future__ import annotations

from flask import render_template

from web.guard import audience_blueprint
from web.store import get_store

bp = audience_blueprint("admin", __name__, "/admin", roles=["admin"])


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html", users=get_store().list_users())
