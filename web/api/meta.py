"""The API's entry point and its OpenAPI document.

``GET /api/v1/`` tells a client who it is signed in as. ``GET /api/v1/openapi.json`` is
public (it describes the API and holds no data), so it is an app route rather than a
view of the guarded blueprint; errors under the prefix are problem details all the same.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json
from flask_login import current_user

from web.api import schemas
from web.api.blueprint import bp
from web.api.problems import PREFIX
from web.api.registry import operation

OPENAPI_PATH = "/openapi.json"


@operation(bp, "/", summary="Who you are signed in as", tag="meta", response=schemas.Index)
def index() -> schemas.Index:
    user = current_user.user
    return schemas.Index(
        api="wegweiser",
        version="v1",
        user=schemas.UserInfo(id=user.id, email=user.email, role=user.role),
    )


def openapi_json() -> Response:
    from web.api.openapi import openapi_document

    response = Response(json.dumps(openapi_document()), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.record_once
def _register_openapi(state: Any) -> None:
    app: Flask = state.app
    app.add_url_rule(
        PREFIX + OPENAPI_PATH, endpoint="api_openapi", view_func=openapi_json, methods=["GET"]
    )
