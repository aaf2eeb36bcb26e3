"""The OpenAPI 3.1 document of ``/api/v1``, generated from the registry and the models.

Nothing here is written by hand per operation: paths and parameters come from
``web.api.registry.OPERATIONS``, body schemas from the pydantic models in
``web.api.schemas`` (JSON Schema 2020-12, which OpenAPI 3.1 uses as it is).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from web.api.problems import MEDIA_TYPE, PREFIX
from web.api.registry import OPERATIONS, Operation
from web.api.schemas import Problem

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{model}"

DESCRIPTION = """\
Read-only JSON API of Wegweiser, with the same users, roles and scopes as the web pages.

**Authentication**: the session cookie of the web app (sign in at `/login`). Without it
every operation answers 401. The API is read-only for now, so it needs no CSRF token;
writes, when they come, will need the `X-CSRFToken` header like the forms.

**Scopes**: advisors see the candidates of their organisation, coaches their mentees,
employers their own offers and — only through `GET /offers/{offer_id}/matches` —
pseudonymised candidates who agreed to profile sharing; admins everything. An id
outside the caller's scope answers 404, exactly like an id that does not exist.

**Errors** are RFC 9457 problem details (`application/problem+json`); a bad query
parameter is a 400 that names it in `invalid_params`.

**Lists** are paginated with `page` and `per_page` (at most 100): the body is
`{items, page, per_page, total}` and the `Link` header names the first, previous, next
and last page.
"""


def openapi_document() -> dict[str, Any]:
    models: list[type[BaseModel]] = [Problem, *(op.response for op in OPERATIONS)]
    unique = list(dict.fromkeys(models))
    names, defs = models_json_schema(
        [(model, "serialization") for model in unique], ref_template=_REF
    )
    schemas = dict(defs.get("$defs", {}))
    refs = {model: names[(model, "serialization")] for model in unique}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})["get"] = _operation(op, refs[op.response])
    paths["/openapi.json"] = {"get": _self_description()}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "Wegweiser API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": PREFIX}],
        "tags": [{"name": tag} for tag in dict.fromkeys(op.tag for op in OPERATIONS)],
        "security": [{"session": []}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The web app's session cookie, set by signing in at /login.",
                }
            },
        },
    }


def _operation(op: Operation, response_ref: dict[str, str]) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": response_ref}},
        }
    }
    if op.paginated:
        responses["200"]["headers"] = {
            "Link": {
                "description": 'RFC 8288 links: rel="first", "prev", "next", "last".',
                "schema": {"type": "string"},
            }
        }
    for status in op.errors:
        responses[str(status)] = {
            "description": HTTPStatus(status).phrase,
            "content": {MEDIA_TYPE: {"schema": {"$ref": _REF.format(model="Problem")}}},
        }
    document: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": [param.openapi() for param in op.params],
        "responses": responses,
    }
    if op.description:
        document["description"] = op.description
    if op.public:
        document["security"] = []
    return document


def _self_description() -> dict[str, Any]:
    return {
        "operationId": "openapi",
        "summary": "This document (public: it holds no data)",
        "tags": ["meta"],
        "security": [],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    }
