"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``).

Every failure under ``/api/v1`` — a bad query parameter, not signed in, another role's
area, an id outside the caller's scope, a wrong method, a bug — answers with the same
small object, so a client needs one error path. Views raise :class:`BadParameter` (or
``abort``); the handlers here turn everything into a problem. Errors Flask raises before
a view is chosen (no such path: 404, wrong method: 405) are answered by the app's error
handler and rewritten here on their way out, so they look the same.

Titles are the standard HTTP reason phrases in English (``type`` is ``about:blank``, as
RFC 9457 §4.2.1 asks for titles that only restate the status); ``detail`` says what went
wrong in this request, and ``instance`` is the request's path and query.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus

from flask import Blueprint, Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from graph.errors import Conflict, InvalidInput, NotFound, StoreUnavailable
from graph.planning.planner import RouteSearchTooLarge

__all__ = ["PROBLEM_TYPE", "BadParameter", "init_problems", "problem"]

PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"
PREFIX = "/api/v1"

_DETAILS = {
    400: "The request is malformed.",
    401: "Sign in first: the API uses the session cookie of the web app.",
    403: "Your role has no access to the API.",
    404: "There is no such resource, or it is not visible to you.",
    405: "This resource is read-only: only GET (and HEAD) are allowed.",
    409: "The request conflicts with a newer change.",
    413: "The request body is too large.",
    422: "The request is well-formed but cannot be processed.",
    500: "Something went wrong on the server. Please try again later.",
    503: "The data store cannot be reached. Please try again later.",
}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InvalidParam:
    name: str
    reason: str


class BadParameter(Exception):
    """A query parameter a view cannot use: answered as 400 naming the parameter(s)."""

    def __init__(self, *params: InvalidParam) -> None:
        self.params = params
        super().__init__("; ".join(f"{p.name}: {p.reason}" for p in params))

    @classmethod
    def one(cls, name: str, reason: str) -> BadParameter:
        return cls(InvalidParam(name, reason))


def problem(
    status: int, detail: str | None = None, invalid_params: tuple[InvalidParam, ...] = ()
) -> Response:
    """One problem details response for the current request."""
    body: dict[str, object] = {
        "type": PROBLEM_TYPE,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or _DETAILS.get(status, HTTPStatus(status).description),
        "instance": request.full_path.rstrip("?"),
    }
    if invalid_params:
        body["invalid_params"] = [{"name": p.name, "reason": p.reason} for p in invalid_params]
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    if status == 405:
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response


def _from_http(error: HTTPException) -> Response:
    status = error.code or 500
    # Our own abort(…, description) carries a detail; werkzeug's default texts do not
    # fit an API client, so they are replaced by ours.
    default = type(error).description
    detail = error.description if error.description != default else None
    return problem(status, detail)


def init_problems(bp: Blueprint) -> None:
    """Register the problem handlers on the API blueprint, and the rewriting of errors
    that happen under ``/api/v1`` before the blueprint is reached."""

    @bp.errorhandler(BadParameter)
    def bad_parameter(error: BadParameter) -> Response:
        names = ", ".join(p.name for p in error.params)
        return problem(400, f"Invalid parameter: {names}. {error}", error.params)

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _from_http(error)

    @bp.errorhandler(NotFound)
    def not_found(error: NotFound) -> Response:
        return problem(404, str(error))

    @bp.errorhandler(Conflict)
    def conflict(error: Conflict) -> Response:
        return problem(409, str(error))

    @bp.errorhandler(InvalidInput)
    def invalid(error: InvalidInput) -> Response:
        return problem(422, str(error))

    @bp.errorhandler(RouteSearchTooLarge)
    def too_large(error: RouteSearchTooLarge) -> Response:
        return problem(422, str(error))

    @bp.errorhandler(StoreUnavailable)
    def unavailable(error: StoreUnavailable) -> Response:
        log.error("store unavailable: %s", error)
        return problem(503)

    @bp.errorhandler(Exception)
    def bug(error: Exception) -> Response:
        log.exception("API request %s failed", request.full_path)
        return problem(500)

    @bp.record_once
    def rewrite_outside_errors(state: object) -> None:
        app: Flask = state.app  # type: ignore[attr-defined]

        @app.after_request
        def as_problem(response: Response) -> Response:
            outside = request.blueprint != bp.name
            under_prefix = request.path == PREFIX or request.path.startswith(PREFIX + "/")
            if outside and under_prefix and response.status_code >= 400:
                return problem(response.status_code)
            return response
