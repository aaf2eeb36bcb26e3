"""API fuzzing: schemathesis against ``/api/v1/openapi.json``, every operation, every role.

What is run, and why
--------------------
The JSON API (``web/api``) promises in its OpenAPI document which status codes, media
types and bodies each operation answers. This benchmark holds it to that promise with
generated requests: the app is built in-process (embedded store, the bundled sample
district, one user per role), the document is loaded from the app itself
(``schemathesis.openapi.from_wsgi``) and every request goes through the WSGI app with a
signed-in session cookie — no server, no network.

Per role (advisor, employer, coach, admin) and per documented operation:

1. the **coverage** cases schemathesis derives from the document (boundary values,
   missing required parameters, wrong types, unexpected parameters), positive and
   negative, once;
2. **fuzzing**: ``--examples`` requests drawn by Hypothesis from the operation's
   strategies, positive (valid by the document) and negative (violating it) mixed,
   deterministic for ``--seed``. Operations whose whole input space is smaller than the
   wanted number (``GET /`` has no parameters) are drawn again with the next seed until
   the number of requests is reached; *distinct* says how many different requests that
   was. Half of the valid cases get a real id of the sample district (in and out of the
   role's scope) for each id parameter, so the views' real answers are checked too;
3. **odd values** (:data:`ODD_VALUES`, :data:`EDGE_VALUES`), one parameter at a time:
   numbers and dates Python would parse but the document does not allow ("1_0",
   Arabic-Indic digits, "20250101"), ids with quotes, braces, slashes, control and
   bidi characters, too long; each must be rejected (400; ids 400 or 404). Extreme
   but valid values (``EDGE_VALUES``: "9999-12-31", "1e308" …) may get any documented
   answer.

Every answer is checked by schemathesis' checks (:data:`CHECKS`): no 5xx, the status
code is documented for the operation, the media type is the documented one, the body
validates against the documented schema, the documented headers (``Link``) are well
formed, a request that violates the document is rejected with a 4xx
(``negative_data_rejection``), a method the document does not list answers 405 with an
``Allow`` header and ``OPTIONS`` names the allowed methods; plus ``odd_value_rejected``
for the odd values. A failure is counted per check; the run exits 1 on any failure or
server error.

The same driver runs in CI with a few examples per operation (``tests/test_api_fuzz.py``).

Run from the repository root: ``.venv/bin/python -m bench.api_fuzz --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote

import hypothesis
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from graph.model import Label
from graph.store import User
from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.passwords import Passwords
from web.store import get_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"
OPENAPI = "/api/v1/openapi.json"
PASSWORD = "richtig-geheim-42"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
USERS = {
    "advisor": User(
        id="u-advisor",
        email="advisor@jobcenter.example",
        role="advisor",
        organization="o-jobcenter-hs",
    ),
    "employer": User(
        id="u-employer",
        email="employer@rurtal.example",
        role="employer",
        company="c-rurtal-logistik",
    ),
    "coach": User(id="u-coach", email="coach@drk.example", role="coach", coach="co-walid-saleh"),
    "admin": User(id="u-admin", email="admin@kreis.example", role="admin"),
}
ROLES = tuple(USERS)
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    unsupported_method,
    allow_header_conformance,
)
CHECK_NAMES = frozenset(check.__name__ for check in CHECKS) | {"odd_value_rejected"}
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def make_app(data_dir: Path) -> Flask:
    """The app on an embedded store in ``data_dir`` with the sample district and one
    user per role (cheap password hashing; admins without the second factor, as in the
    tests — the API itself does not change with it)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "api-fuzz",
            "WEGWEISER_PASSWORD_PROFILE": "cheap",
            "WEGWEISER_REQUIRE_ADMIN_TOTP": False,
        },
        store_settings=StoreSettings(data_dir=data_dir),
    )
    with app.app_context():
        store = get_store()
        store.init_schema()
        import_world(store, SAMPLE)
        hashed = Passwords("cheap").hash(PASSWORD)
        for user in USERS.values():
            store.save_user(replace(user, password_hash=hashed))
    return app


class Session:
    """A signed-in session of one role: logs in through ``/login`` (with its CSRF token)
    and keeps the cookie up to date from every answer's ``Set-Cookie``, as a browser
    would (the session records when it was last used)."""

    def __init__(self, app: Flask, role: str) -> None:
        self.role = role
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = CSRF.search(page)
        assert token, "no CSRF token on /login"
        answer = client.post(
            "/login",
            data={"csrf_token": token.group(1), "email": USERS[role].email, "password": PASSWORD},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{role} could not sign in ({answer.status_code})")
        cookie = client.get_cookie("session")
        assert cookie is not None
        self.cookie = cookie.value

    @property
    def cookies(self) -> dict[str, str]:
        return {"session": self.cookie}

    def update(self, headers: dict[str, list[str]]) -> None:
        """Take the session cookie from an answer's headers (lower-case names)."""
        for line in headers.get("set-cookie", []):
            jar = SimpleCookie()
            jar.load(line)
            if "session" in jar and jar["session"].value:
                self.cookie = jar["session"].value


@dataclass
class OperationResult:
    """What one operation answered one role."""

    role: str
    operation: str
    examples: int = 0
    distinct: int = 0
    coverage: int = 0
    odd: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def record(self, check: str, message: str) -> None:
        self.failures[check] += 1
        if len(self.samples) < 5:
            self.samples.append(f"[{check}] {message}")


def load_schema(app: Flask) -> Any:
    """The API's OpenAPI document as schemathesis reads it, bound to the WSGI app.

    The session cookie the document names as the security scheme is not generated: every
    request carries a real signed-in session (:class:`Session`). A generated cookie can
    only ever be rejected (401), and a case "without the cookie" would in fact carry it."""
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    schema.config.generation.update(with_security_parameters=False)
    return schema


def operations(schema: Any) -> list[Any]:
    """Every documented operation. schemathesis leaves out ``GET /openapi.json``, the
    document it was loaded from (public, no parameters; tests/test_api.py checks it)."""
    return [result.ok() for result in schema.get_all_operations()]


def _request_text(case: Any) -> str:
    query = "&".join(f"{k}={v!r}" for k, v in (case.query or {}).items())
    path = case.formatted_path if hasattr(case, "formatted_path") else case.path
    return f"GET {path}{'?' + query if query else ''}"


def _exercise(case: Any, session: Session, result: OperationResult) -> None:
    response = case.call(cookies=session.cookies)
    session.update(response.headers)
    result.statuses[response.status_code] += 1
    if response.status_code >= 500:
        result.server_errors += 1
    try:
        case.validate_response(response, checks=list(CHECKS))
    except FailureGroup as group:
        for failure in group.exceptions:
            name = _check_name(failure)
            text = _request_text(case)
            result.record(name, f"{text} -> {response.status_code}: {failure.title}")
    except AssertionError as error:  # a check raised a plain assertion
        result.record("assertion", f"{_request_text(case)} -> {response.status_code}: {error}")


def _check_name(failure: Any) -> str:
    names = [name for name in getattr(failure, "checks", ()) if name in CHECK_NAMES]
    return names[0] if names else type(failure).__name__


def fuzz_operation(
    operation: Any,
    session: Session,
    examples: int,
    seed: int,
    pools: dict[str, list[str]],
    *,
    coverage: bool = True,
) -> OperationResult:
    """Coverage cases once, then at least ``examples`` fuzzed requests, then the odd
    values (see the module docstring); every answer checked, failures counted, not
    raised. ``coverage=False`` leaves out the first and the last."""
    result = OperationResult(role=session.role, operation=operation.label)
    seen: set[str] = set()
    if coverage:
        generation = operation.schema.config.generation_for(operation=operation, phase="coverage")
        generator = CoverageGenerator(
            operation=operation,
            generation_modes=MODES,
            generation_config=generation,
            auth_storage=None,
            override=_override(),
            feedback=FeedbackSources(),
        )
        for case in generator:
            _exercise(case, session, result)
            result.coverage += 1
    strategy = _case_strategy(operation, pools)
    round_seed = seed
    while result.examples < examples:
        before = result.examples

        @hypothesis.seed(round_seed)
        @hypothesis.settings(
            max_examples=examples - result.examples,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            verbosity=hypothesis.Verbosity.quiet,
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            seen.add(_request_text(case))
            result.examples += 1
            _exercise(case, session, result)

        run()
        round_seed += 1
        if result.examples == before:  # nothing can be drawn at all
            break
    result.distinct = len(seen)
    if coverage:
        for case, allowed in odd_value_cases(operation, pools):
            _check_odd(case, allowed, session, result)
    return result


# Which node ids a parameter takes: random strings almost never name a node, so half of
# the valid (positive) cases get a real id of the sample district instead — in and out
# of the role's scope — and reach the views' real answers, not only their 404s.
ID_PARAMS = {
    "candidate_id": Label.CANDIDATE,
    "offer_id": Label.OFFER,
    "offer": Label.OFFER,
    "course_id": Label.COURSE,
    "town": Label.TOWN,
    "language": Label.LANGUAGE,
    "skill": Label.SKILL,
    "tool": Label.TOOL,
}


def id_pools(app: Flask) -> dict[str, list[str]]:
    """Every id of each label a parameter takes (the sample district is small)."""
    with app.app_context():
        store = get_store()
        counts = store.counts()
        return {
            name: [node.id for node in store.list_nodes(label, limit=max(counts[label], 1))]
            for name, label in ID_PARAMS.items()
        }


def _case_strategy(operation: Any, pools: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """Positive and negative cases of ``operation``; in positive ones each id parameter
    is, half of the time, replaced by (or given) a real id."""
    base = st.one_of([operation.as_strategy(generation_mode=mode) for mode in MODES])
    targets = [
        (param.location, param.name)
        for param in operation.iter_parameters()
        if pools.get(param.name) and param.location in ("path", "query")
    ]
    if not targets:
        return base

    @st.composite
    def cases(draw: st.DrawFn) -> Any:
        case = draw(base)
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return case
        for location, name in targets:
            if draw(st.booleans()):
                value = draw(st.sampled_from(pools[name]))
                if location == "path":
                    case.path_parameters[name] = value
                else:
                    case.query = {**(case.query or {}), name: value}
        return case

    return cases()


# Odd values for each kind of parameter, sent one at a time with every other parameter
# valid. Numbers and dates take only what the document promises (Python's own parsers
# take far more: "1_0", Arabic-Indic or full-width digits, "20250101"), so each odd one
# must be a 400; ids may hold anything printable up to 200 characters and are answered
# 400 (not an id) or 404 (no such node). EDGE_VALUES are valid but extreme: any
# documented answer will do. Nothing may ever be a 5xx.
ODD_VALUES: dict[str, tuple[str, ...]] = {
    "integer": (
        "",
        " 1",
        "1 ",
        "+1",
        "1_0",
        "1.0",
        "1e3",
        "0x10",
        "\u0661",
        "\uff11",
        "-",
        "--1",
        "1" + "0" * 5000,
        "NaN",
        "true",
        "\x00",
    ),
    "number": (
        "",
        " 1",
        "1_0",
        ".5",
        "1.",
        "0x10",
        "\u0661",
        "inf",
        "-inf",
        "NaN",
        "1e400",
        "true",
        "\x00",
    ),
    "date": (
        "",
        "20250101",
        "2025-W01-1",
        "2025-001",
        "2025-01-01T00:00",
        "2025-1-1",
        " 2025-01-01",
        "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661",
        "0000-01-01",
        "2025-02-30",
        "morgen",
        "\x00",
    ),
    "enum": ("", " ", "JOB", "job ", "\uff4a\uff4f\uff42", "\x00"),
    "id": (
        "",
        " ",
        "\t",
        "\x00",
        "\x7f",
        "a" * 201,
        "a" * 200,
        "%",
        "%00",
        "'",
        '"',
        "\\",
        "{",
        "}",
        "`",
        "a/b",
        "..",
        "../..",
        "?",
        "#",
        ";",
        "\u202e",
        "\u00ad",
        "\U0001f600",
        "x' RETURN 1 //",
        "a" + " " * 300,
    ),
}
ODD_ALLOWED = {"id": {400, 404}}
EDGE_VALUES: dict[str, tuple[str, ...]] = {
    "integer": ("0", "-1", "2147483648", "9223372036854775808", "1" * 4300, "007"),
    "number": ("0", "0.0", "-0", "1e-400", "1e308", "9" * 400, "1E3"),
    "date": ("0001-01-01", "9999-12-31", "2024-02-29", "1970-01-01"),
    "enum": (),
    "id": (),
}


def _kind(schema: dict[str, Any]) -> str | None:
    if "enum" in schema:
        return "enum"
    if schema.get("format") == "date":
        return "date"
    if schema.get("type") in ("integer", "number"):
        return str(schema["type"])
    if schema.get("type") == "string" and schema.get("minLength"):
        return "id"
    return None


def odd_value_cases(
    operation: Any, pools: dict[str, list[str]]
) -> Iterator[tuple[Any, set[int] | None]]:
    """Cases of ``operation`` with one parameter set to an odd or extreme value, every
    other required parameter to a real id; with the statuses allowed (None: any
    documented one)."""
    params = operation.definition.raw.get("parameters", [])
    valid: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    for param in params:
        if param["in"] == "path" or param.get("required"):
            pool = pools.get(param["name"]) or ["x"]
            valid[param["in"]][param["name"]] = pool[0]
    for param in params:
        kind = _kind(param.get("schema", {}))
        if kind is None:
            continue
        values = [(v, ODD_ALLOWED.get(kind, {400})) for v in ODD_VALUES[kind]]
        values += [(v, None) for v in EDGE_VALUES[kind]]
        for value, allowed in values:
            parts = {where: dict(given) for where, given in valid.items()}
            # Generated path values come percent-encoded; these are sent the same way,
            # dots too: a client resolves a bare ".." before sending (RFC 3986).
            parts[param["in"]][param["name"]] = (
                quote(value, safe="").replace(".", "%2E") if param["in"] == "path" else value
            )
            yield operation.Case(path_parameters=parts["path"], query=parts["query"]), allowed


def _check_odd(
    case: Any, allowed: set[int] | None, session: Session, result: OperationResult
) -> None:
    response = case.call(cookies=session.cookies)
    session.update(response.headers)
    result.odd += 1
    result.statuses[response.status_code] += 1
    if response.status_code >= 500:
        result.server_errors += 1
    text = _request_text(case)
    if allowed is not None and response.status_code not in allowed:
        expected = " or ".join(map(str, sorted(allowed)))
        result.record("odd_value_rejected", f"{text} -> {response.status_code}, not {expected}")
    checks = [check for check in CHECKS if check is not negative_data_rejection]
    try:
        case.validate_response(response, checks=checks)
    except FailureGroup as group:
        for failure in group.exceptions:
            result.record(
                _check_name(failure), f"{text} -> {response.status_code}: {failure.title}"
            )


def _override() -> Any:
    from schemathesis.generation.overrides import Override

    return Override()


# --- command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples", type=int, default=1000, help="fuzzed requests per operation and role"
    )
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="only operations whose path contains this")
    parser.add_argument("--json", dest="json_file", help="also write the figures to this file")
    args = parser.parse_args(argv)
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    for role in roles:
        if role not in USERS:
            parser.error(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    logging.getLogger("web.api.problems").setLevel(logging.CRITICAL)  # the 5xx are counted
    warnings.simplefilter("ignore")
    started = time.monotonic()
    results: list[OperationResult] = []
    with tempfile.TemporaryDirectory(prefix="wegweiser-api-fuzz-") as tmp:
        app = make_app(Path(tmp) / "data")
        try:
            pools = id_pools(app)
            ops = [op for op in operations(load_schema(app)) if args.only in op.path]
            print(
                f"schemathesis {schemathesis.__version__}, hypothesis {hypothesis.__version__}; "
                f"{len(ops)} operations × roles {', '.join(roles)}; {args.examples} fuzzed "
                f"examples each, seed {args.seed}"
            )
            print(
                f"{'role':<9} {'operation':<38} {'fuzzed':>7} {'distinct':>8} {'coverage':>8} "
                f"{'odd':>4} {'5xx':>4}  failures by check  [statuses] (seconds)"
            )
            for role in roles:
                session = Session(app, role)
                # A fresh schema per role: schemathesis remembers the coverage cases an
                # operation has sent and would not send them for the next role.
                fresh = {op.label: op for op in operations(load_schema(app))}
                for op in (fresh[op.label] for op in ops):
                    t0 = time.monotonic()
                    result = fuzz_operation(op, session, args.examples, args.seed, pools)
                    results.append(result)
                    print(_line(result, time.monotonic() - t0), flush=True)
                    for sample in result.samples:
                        print(f"    {sample}")
        finally:
            app.extensions["wegweiser.store"].close()
    fuzzed = sum(r.examples for r in results)
    covered = sum(r.coverage for r in results)
    odd = sum(r.odd for r in results)
    failures: Counter[str] = Counter()
    for result in results:
        failures.update(result.failures)
    server_errors = sum(r.server_errors for r in results)
    by_check = ", ".join(f"{k} {v}" for k, v in sorted(failures.items())) or "none"
    print(
        f"total: {len(results)} operation×role runs, {fuzzed + covered + odd} requests "
        f"({fuzzed} fuzzed, {covered} coverage, {odd} odd values); fewest fuzzed per run "
        f"{min((r.examples for r in results), default=0)}; {sum(failures.values())} "
        f"failures ({by_check}); {server_errors} server errors; "
        f"{time.monotonic() - started:.0f} s"
    )
    if args.json_file:
        Path(args.json_file).write_text(
            json.dumps([_as_json(r) for r in results], indent=2), encoding="utf-8"
        )
    return 1 if failures or server_errors else 0


def _line(result: OperationResult, seconds: float) -> str:
    statuses = " ".join(f"{k}:{v}" for k, v in sorted(result.statuses.items()))
    by_check = ", ".join(f"{k} {v}" for k, v in sorted(result.failures.items())) or "none"
    return (
        f"{result.role:<9} {result.operation:<38} {result.examples:>7} {result.distinct:>8} "
        f"{result.coverage:>8} {result.odd:>4} {result.server_errors:>4}  {by_check}  "
        f"[{statuses}] ({seconds:.1f})"
    )


def _as_json(result: OperationResult) -> dict[str, Any]:
    return {
        "role": result.role,
        "operation": result.operation,
        "examples": result.examples,
        "distinct": result.distinct,
        "coverage": result.coverage,
        "odd": result.odd,
        "server_errors": result.server_errors,
        "statuses": dict(result.statuses),
        "failures": dict(result.failures),
        "samples": result.samples,
    }


if __name__ == "__main__":
    sys.exit(main())
