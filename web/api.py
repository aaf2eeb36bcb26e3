"""The JSON API under ``/api/v1``: the same users, roles and scopes as the pages.

Only the entry point so far; candidates, offers, courses, gap, plan and match come with
issue #5. Errors are RFC 9457 problem details (``web.errors``).
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from web.guard import audience_blueprint

bp = audience_blueprint(
    "api", __name__, "/api/v1", roles=["advisor", "employer", "coach"], api=True
)


@bp.get("/")
def index() -> Response:
    user = current_user.user
    return jsonify(
        api="wegweiser",
        version="v1",
        user={"id": user.id, "email": user.email, "role": user.role},
    )
