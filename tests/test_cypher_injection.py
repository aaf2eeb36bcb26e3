"""A Cypher-injection corpus through every string parameter of the store API (issue #6).

Every value reaches Cypher as a parameter and every label or relationship type is taken
from the model's fixed allow-list, so a hostile string can only ever be a value that
matches nothing. This test sends a corpus of quotes, braces, comments, ``RETURN``,
``UNION``, backticks, ``LOAD CSV`` and ``CALL`` through each string-taking method on both
stores and through the web's ids and query strings: the only acceptable outcomes are an
answer (usually empty), ``NotFound`` or ``InvalidInput`` — never a Neo4j error, which is
what a string spliced into a statement would raise (syntax errors first of all). Nothing
is changed by any of it: the graph's counts stay as they were.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from neo4j.exceptions import Neo4jError

from graph.errors import InvalidInput, NotFound
from graph.model import Label
from graph.records import GraphData, NodeRecord
from graph.world import import_world

TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"

CORPUS = [
    "'",
    '"',
    "\\",
    "`",
    "x' OR '1'='1",
    'x" OR "1"="1',
    "p-1' RETURN 1 //",
    "p-1'}) RETURN n //",
    "'}) MATCH (n) DETACH DELETE n //",
    "\"}) MATCH (n) DETACH DELETE n //",
    "x` MATCH (n) DETACH DELETE n //",
    "Candidate`) DETACH DELETE n WITH 1 AS x MATCH (`x",
    "1 UNION MATCH (u:User) RETURN u.password_hash AS id",
    "' UNION CALL db.labels() YIELD label RETURN label //",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "' LOAD CSV FROM 'http://127.0.0.1/' AS l RETURN l //",
    "CALL dbms.components() YIELD name RETURN name",
    "CALL { MATCH (n) DETACH DELETE n }",
    "{id: 'p-1'}",
    "$id",
    "/* comment */ p-1",
    "p-1 // comment",
    "%",
    "_",
    ".*",
    "(?i).*",
    "\x00",
    "\u202e\u0644\u0627",
    "x" * 5000,
]

_LABELLED = (Label.CANDIDATE, Label.OFFER, Label.SKILL, Label.TOOL, Label.USER)


def _answers_or_refuses(call):
    """Run one call: an answer or a clean refusal, never a database error."""
    try:
        return call()
    except (NotFound, InvalidInput):
        return None
    except Neo4jError as e:  # pragma: no cover - this is the failure being tested for
        pytest.fail(f"a string reached Cypher as code: {e.code}: {e.message}")


@pytest.fixture
def tiny(store):
    import_world(store, TINY)
    return store


@pytest.mark.parametrize("payload", CORPUS, ids=range(len(CORPUS)))
def test_every_string_parameter_is_only_ever_a_value(tiny, payload):
    store = tiny
    before = store.counts()
    calls = [
        lambda: store.existing_ids(Label.CANDIDATE, [payload]),
        lambda: store.ids_by_esco_uri(Label.SKILL, [payload]),
        lambda: store.skills_for_kldb(payload),
        lambda: store.find_items_by_text(Label.SKILL, [payload]),
        lambda: store.search_items(Label.SKILL, payload, "de"),
        lambda: store.search_items(Label.TOOL, payload, payload[:5]),
        lambda: store.candidate_profile(payload),
        lambda: store.offer_profile(payload),
        lambda: store.offers_by_id([payload]),
        lambda: store.candidates_by_id([payload]),
        lambda: store.offer_profiles(kind=payload),
        lambda: store.offer_fits({payload: 1}, payload, True, 5),
        lambda: store.offer_fits({payload: 1}, None, False, 5),
        lambda: store.courses_that_matter([("skill", payload), ("tool", payload)], {payload: 1}),
        lambda: store.get_user(payload),
        lambda: store.user_by_email(payload),
        lambda: store.erased_ids([payload]),
        lambda: store.audit_events(candidate_id=payload, user_id=payload),
    ]
    for label in _LABELLED:
        calls += [
            lambda label=label: store.get_node(label, payload),
            lambda label=label: store.get_nodes(label, [payload, "p-1"]),
            lambda label=label: store.relationships(label, payload),
        ]
    for call in calls:
        _answers_or_refuses(call)
    assert store.counts() == before
    assert store.get_node(Label.CANDIDATE, "p-1").id == "p-1"


@pytest.mark.parametrize("payload", CORPUS[:20], ids=range(20))
def test_hostile_strings_are_stored_and_read_back_verbatim(tiny, payload):
    """As property values and ids they are data: written and read back unchanged."""
    store = tiny
    node = store.get_node(Label.CANDIDATE, "p-1")
    props = {**node.props, "name": payload}
    version = int(props.get("version") or 0)
    data = GraphData([NodeRecord(Label.CANDIDATE, "p-1", props)], [])
    _answers_or_refuses(
        lambda: store.save_entity_if_version(Label.CANDIDATE, "p-1", version, data)
    )
    assert store.get_node(Label.CANDIDATE, "p-1").props["name"] == payload
    hostile_id = f"k-{payload}"[:200]
    course = store.get_node(Label.COURSE, store.list_nodes(Label.COURSE)[0].id)
    _answers_or_refuses(
        lambda: store.import_graph(
            GraphData([replace(course, id=hostile_id)], []), merge=True
        )
    )
    found = store.get_nodes(Label.COURSE, [hostile_id])
    assert hostile_id not in found or found[hostile_id].props["title"] == course.props["title"]


# --- through the web: every GET route with hostile ids and query strings ------------------


@pytest.fixture
def web(request, tmp_path):
    """The app on the Neo4j store (the embedded store has no query language to inject)."""
    from graph.stores import open_store
    from tests.conftest import settings_for
    from tests.test_web_admin import make_app

    settings = settings_for("neo4j", request, tmp_path / "data")
    with open_store(settings) as fresh:
        fresh.clear()
        fresh.init_schema()
    app = make_app(settings)
    yield app
    app.extensions["wegweiser.store"].close()


def _get_routes(app) -> list[tuple[str, list[str]]]:
    """(rule, its path arguments) of every GET route but static files."""
    return sorted(
        (rule.rule, sorted(rule.arguments))
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


WEB_CORPUS = [
    "'",
    "`",
    "p-1'}) RETURN n //",
    "'}) MATCH (n) DETACH DELETE n //",
    "x` MATCH (n) DETACH DELETE n //",
    "' UNION CALL db.labels() YIELD label RETURN label //",
    "' LOAD CSV FROM 'http://127.0.0.1/' AS l RETURN l //",
    "CALL { MATCH (n) DETACH DELETE n }",
    "{id: 'p-1'}",
    "a/../../etc/passwd",
]


def test_hostile_ids_and_queries_never_reach_the_database_as_code(web):
    from urllib.parse import quote

    from tests.test_web_auth import USERS, login

    routes = _get_routes(web)
    assert len(routes) > 40
    sent = 0
    for role in ("admin", "advisor", "employer", "coach"):
        client = web.test_client()
        assert login(client, USERS[role].email).status_code == 302
        for rule, arguments in routes:
            for payload in WEB_CORPUS:
                path = rule
                for name in arguments:
                    path = path.replace(f"<path:{name}>", quote(payload, safe=""))
                    path = path.replace(f"<{name}>", quote(payload, safe=""))
                query = f"?q={quote(payload)}&town={quote(payload)}&skill={quote(payload)}"
                response = client.get(path + query)
                sent += 1
                assert response.status_code < 500, (role, path, response.status_code)
    assert sent > 1000
    store = web.extensions["wegweiser.store"]
    assert store.get_node(Label.CANDIDATE, "p-rahel-tesfay").id == "p-rahel-tesfay"
