"""schemathesis against ``/api/v1/openapi.json``: generated requests for every operation
and role, every answer checked against the document — the CI-sized run of
``bench/api_fuzz.py`` (which runs 1,000+ examples per operation).

Per role and operation: the coverage cases schemathesis derives from the document, 30
fuzzed requests (positive and negative, deterministic seed, real ids of the sample
district mixed in) and the odd-value corpus. It fails on any 5xx, an undocumented status,
a wrong media type, a body or header the document does not describe, an invalid request
that is not rejected, or an odd value that is accepted. The last tests plant bugs to
show the harness sees them.

Flask app in-process (WSGI, no server) on the embedded store with the sample world.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from bench.api_fuzz import (
    ROLES,
    OperationResult,
    Session,
    fuzz_operation,
    id_pools,
    load_schema,
    make_app,
    operations,
)
from web.api.registry import OPERATIONS

EXAMPLES = 30
SEED = 20240601
PATHS = sorted(op.path for op in OPERATIONS)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("api-fuzz") / "data")
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture(scope="module")
def fuzz(app: Flask) -> dict[str, Any]:
    return {"pools": id_pools(app), "sessions": {}, "operations": {}}


def run(app: Flask, fuzz: dict[str, Any], role: str, path: str, **kwargs: Any) -> OperationResult:
    """One operation for one role; a schema per role (schemathesis remembers the coverage
    cases an operation has sent and would skip them for the next role)."""
    if role not in fuzz["sessions"]:
        fuzz["sessions"][role] = Session(app, role)
        fuzz["operations"][role] = {op.path: op for op in operations(load_schema(app))}
    operation = fuzz["operations"][role][path]
    session = fuzz["sessions"][role]
    return fuzz_operation(operation, session, EXAMPLES, SEED, fuzz["pools"], **kwargs)


def report(result: OperationResult) -> str:
    return (
        f"{result.role} {result.operation}: {dict(result.failures)}, "
        f"{result.server_errors} server errors\n" + "\n".join(result.samples)
    )


def test_every_documented_operation_is_fuzzed(app):
    assert sorted(op.path for op in operations(load_schema(app))) == PATHS
    assert len(PATHS) >= 12


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ROLES)
def test_operation_answers_as_documented(app, fuzz, role, path):
    result = run(app, fuzz, role, path)
    assert result.examples >= EXAMPLES
    assert result.coverage > 0
    assert result.server_errors == 0, report(result)
    assert not result.failures, report(result)
    # the run got past the parameters to the views (a 404 is an id outside the role's
    # scope: an employer sees no candidate), not only rejections
    assert result.statuses[200] + result.statuses[404] > 0, (role, path, dict(result.statuses))
    if path != "/":  # the index has no parameters
        assert result.statuses[400] > 0, (role, path, dict(result.statuses))


def test_real_ids_reach_the_views(app, fuzz):
    """Without real ids every fuzzed candidate would be a 404; with them the advisor's
    own candidates are answered and someone else's stay 404."""
    result = run(app, fuzz, "advisor", "/candidates/{candidate_id}", coverage=False)
    assert result.statuses[200] > 0 and result.statuses[404] > 0, dict(result.statuses)


# --- the harness sees planted bugs -------------------------------------------------------


def test_a_planted_server_error_is_counted(app, fuzz, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("planted")

    monkeypatch.setattr("web.api.catalogue.offer_model", broken)
    result = run(app, fuzz, "advisor", "/offers/{offer_id}", coverage=False)
    assert result.server_errors > 0
    assert result.failures["not_a_server_error"] > 0


def test_a_planted_schema_violation_is_counted(app, fuzz, monkeypatch):
    from flask import Response, json

    def wrong(result: Any) -> Response:
        body = result.model_dump(mode="json")
        body.pop("total", None)  # a page without its total
        return Response(json.dumps(body), mimetype="application/json")

    monkeypatch.setattr("web.api.registry._respond", wrong)
    result = run(app, fuzz, "advisor", "/courses", coverage=False)
    assert result.failures["response_schema_conformance"] > 0


def test_a_planted_lenient_parser_is_counted(app, fuzz, monkeypatch):
    from web.api.params import IntParam

    monkeypatch.setattr(IntParam, "parse", lambda self, raw: int(raw.strip() or "1"))
    result = run(app, fuzz, "advisor", "/coaches")
    assert result.failures["odd_value_rejected"] > 0
