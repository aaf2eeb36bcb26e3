"""The API's operations, registered in one list that both serves and documents them.

``@operation(...)`` adds a read-only (GET) route to the blueprint and records what the
OpenAPI document needs: path, parameters, response model, possible errors. The wrapper
it installs parses the declared parameters (an undeclared one is a 400 too, so a typo
such as ``per-page`` is not silently ignored), calls the view with typed values, and
serialises the pydantic model it returns — adding the ``Link`` header to a page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, json, request
from pydantic import BaseModel

from web.api.params import IntParam, Param
from web.api.problems import BadParameter, InvalidParam
from web.api.schemas import Page

__all__ = ["MAX_PAGE", "MAX_PER_PAGE", "OPERATIONS", "Operation", "operation", "paginate"]

MAX_PER_PAGE = 100
MAX_PAGE = 10_000_000
"""Far beyond any district, and ``page × per_page`` stays a 64-bit integer (a store's
LIMIT; Neo4j's driver refuses anything larger)."""
PAGE_PARAMS: tuple[Param, ...] = (
    IntParam(
        "page",
        f"Page number, from 1 (at most {MAX_PAGE:,}).",
        default=1,
        minimum=1,
        maximum=MAX_PAGE,
    ),
    IntParam(
        "per_page",
        f"Items per page (at most {MAX_PER_PAGE}).",
        default=20,
        minimum=1,
        maximum=MAX_PER_PAGE,
    ),
)


@dataclass(frozen=True)
class Operation:
    path: str
    """OpenAPI form, relative to ``/api/v1``: ``/candidates/{candidate_id}``."""
    operation_id: str
    summary: str
    description: str
    tag: str
    params: tuple[Param, ...]
    response: type[BaseModel]
    errors: tuple[int, ...]
    public: bool = False

    @property
    def paginated(self) -> bool:
        return isinstance(self.response, type) and issubclass(self.response, Page)


OPERATIONS: list[Operation] = []


def operation(
    bp: Blueprint,
    path: str,
    *,
    summary: str,
    response: type[BaseModel],
    tag: str,
    params: tuple[Param, ...] = (),
    errors: tuple[int, ...] = (),
) -> Callable[[Callable[..., BaseModel]], Callable[..., BaseModel]]:
    """Register a GET operation at ``path`` on ``bp``; the view gets the parsed
    parameters as keyword arguments and returns an instance of ``response``."""

    def decorate(view: Callable[..., BaseModel]) -> Callable[..., BaseModel]:
        declared = params
        if issubclass(response, Page):
            declared = (*params, *PAGE_PARAMS)
        op = Operation(
            path=path,
            operation_id=view.__name__,
            summary=summary,
            description=(view.__doc__ or "").strip(),
            tag=tag,
            params=declared,
            response=response,
            errors=_errors(declared, errors),
        )
        OPERATIONS.append(op)

        @functools.wraps(view)
        def endpoint(**path_args: str) -> Response:
            result = view(**_read(op, path_args))
            return _respond(result)

        rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
        # No merging of slashes: an id holding an encoded "//" would otherwise be
        # answered with a redirect to another resource (308, HTML) instead of a 404.
        bp.add_url_rule(
            rule,
            endpoint=view.__name__,
            view_func=endpoint,
            methods=["GET"],
            merge_slashes=False,
        )
        return view

    return decorate


def _errors(params: tuple[Param, ...], extra: tuple[int, ...]) -> tuple[int, ...]:
    codes = {401, 403, 405, 500, *extra}
    if params:
        codes.add(400)
    if any(p.location == "path" for p in params):
        codes.add(404)
    return tuple(sorted(codes))


def _read(op: Operation, path_args: dict[str, str]) -> dict[str, Any]:
    """Typed values of every declared parameter; ``BadParameter`` naming all wrong ones."""
    values: dict[str, Any] = {}
    wrong: list[InvalidParam] = []
    known = {p.name for p in op.params if p.location == "query"}
    for name in request.args:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "none"
            wrong.append(InvalidParam(name, f"is not a parameter here (allowed: {allowed})"))
        elif len(request.args.getlist(name)) > 1:
            wrong.append(InvalidParam(name, "is given more than once"))
    for param in op.params:
        raw = (
            path_args.get(param.name) if param.location == "path" else request.args.get(param.name)
        )
        try:
            values[param.keyword] = param.read(raw)
        except BadParameter as error:
            wrong.extend(error.params)
    if wrong:
        raise BadParameter(*wrong)
    return values


def _respond(result: BaseModel) -> Response:
    response = Response(json.dumps(result.model_dump(mode="json")), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    if isinstance(result, Page):
        links = _links(result.page, result.per_page, result.total)
        if links:
            response.headers["Link"] = links
    return response


def _links(page: int, per_page: int, total: int) -> str:
    """RFC 8288 links to the first, previous, next and last page, keeping the other
    query parameters as they were given."""
    last = max(1, -(-total // per_page))
    others = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]

    def url(number: int) -> str:
        query = urlencode([*others, ("page", str(number)), ("per_page", str(per_page))])
        return f"{request.base_url}?{query}"

    rels = [("first", 1), ("last", last)]
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < last:
        rels.append(("next", page + 1))
    return ", ".join(f'<{url(number)}>; rel="{rel}"' for rel, number in rels)


def paginate(items: list[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """The slice of ``items`` on ``page`` and the total count."""
    start = (page - 1) * per_page
    return items[start : start + per_page], len(items)
