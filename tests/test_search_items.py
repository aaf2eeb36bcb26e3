"""``GraphStore.search_items`` on both stores: the suggestions a picker shows while
someone types. Same ranking (exact, prefix, word prefix, substring; then label, id), the
German fallback, the limit, and texts with quote, wildcard, escape and pattern characters
matched literally. Nothing here depends on the store kind."""

from __future__ import annotations

import pytest

from graph.model import Label
from graph.records import GraphData, NodeRecord
from graph.search import match_rank, normalise


def skill(node_id: str, de: str | None = None, **labels: str) -> NodeRecord:
    props = {f"label_{lang}": text for lang, text in labels.items()}
    if de is not None:
        props["label_de"] = de
    return NodeRecord(Label.SKILL, node_id, props)


def load(store, *nodes: NodeRecord) -> None:
    store.import_graph(GraphData(list(nodes), []))


def ids(found: list[NodeRecord]) -> list[str]:
    return [node.id for node in found]


def test_ranks_exact_then_prefix_then_word_prefix_then_substring(store):
    load(
        store,
        skill("s-sub", "Autogenschweißen"),
        skill("s-word-dash", "MAG-Schweißen"),
        skill("s-word-space", "Rohre schweißen"),
        skill("s-word-paren", "Lichtbogen (Schweißen)"),
        skill("s-word-slash", "Löten/Schweißen"),
        skill("s-prefix", "Schweißen von Rohren"),
        skill("s-exact-b", "Schweißen"),
        skill("s-exact-a", "Schweißen"),
        skill("s-exact-lower", "schweißen"),
        skill("s-none", "Kochen"),
    )
    found = store.search_items(Label.SKILL, "  SCHWEIßEN ", "de")
    assert ids(found) == [
        # exact: same label ignoring case; "Schweißen" < "schweißen", then by id
        "s-exact-a",
        "s-exact-b",
        "s-exact-lower",
        "s-prefix",
        # word prefixes, by label ignoring case
        "s-word-paren",
        "s-word-slash",
        "s-word-dash",
        "s-word-space",
        "s-sub",
    ]
    assert found[0].label == Label.SKILL
    assert found[0].props["label_de"] == "Schweißen"
    assert "id" not in found[0].props


def test_other_labels_are_not_searched(store):
    load(store, skill("s-1", "Stapler fahren"))
    store.import_graph(GraphData([NodeRecord(Label.TOOL, "t-1", {"label_de": "Stapler"})], []))
    assert ids(store.search_items(Label.TOOL, "stapler", "de")) == ["t-1"]
    assert ids(store.search_items(Label.SKILL, "stapler", "de")) == ["s-1"]


def test_searches_chosen_language_and_german_and_sorts_by_chosen_language(store):
    load(
        store,
        skill("s-weld", "Schweißen", en="welding"),
        skill("s-solder", "Weichlöten", en="soldering"),
        skill("s-only-de", "Schweißnaht prüfen"),
        skill("s-fr", "Malen", en="painting", fr="soudure"),
    )
    # the English label matches
    assert ids(store.search_items(Label.SKILL, "weld", "en")) == ["s-weld"]
    # the German one too, and a node without an English label falls back to German;
    # ties sort by the shown label: "Schweißnaht prüfen" (no English) before "welding"
    assert ids(store.search_items(Label.SKILL, "schweiß", "en")) == ["s-only-de", "s-weld"]
    # sorted by the label in the chosen language: "soldering" < "welding" although
    # German puts "Schweißen" before "Weichlöten"; all these match by substring
    assert ids(store.search_items(Label.SKILL, "ld", "en")) == ["s-solder", "s-weld"]
    assert ids(store.search_items(Label.SKILL, "ei", "de")) == ["s-weld", "s-only-de", "s-solder"]
    # a language that is not asked for is not searched
    assert store.search_items(Label.SKILL, "soudure", "en") == []
    assert ids(store.search_items(Label.SKILL, "soudure", "fr")) == ["s-fr"]
    # a language no node has: German only
    assert ids(store.search_items(Label.SKILL, "schweiß", "ar")) == ["s-weld", "s-only-de"]
    assert store.search_items(Label.SKILL, "welding", "ar") == []


def test_limit_keeps_the_best(store):
    load(store, *(skill(f"s-{i:02}", f"Lager {i:02}") for i in range(30)))
    load(store, skill("s-exact", "Lager"))
    assert len(store.search_items(Label.SKILL, "lager", "de")) == 20
    top = store.search_items(Label.SKILL, "lager", "de", limit=3)
    assert ids(top) == ["s-exact", "s-00", "s-01"]
    assert len(store.search_items(Label.SKILL, "lager", "de", limit=100)) == 31
    assert store.search_items(Label.SKILL, "lager", "de", limit=0) == []


def test_no_match_and_empty_text(store):
    load(store, skill("s-1", "Kochen"))
    assert store.search_items(Label.SKILL, "backen", "de") == []
    assert store.search_items(Label.SKILL, "", "de") == []
    assert store.search_items(Label.SKILL, "   ", "de") == []
    store.clear()
    assert store.search_items(Label.SKILL, "kochen", "de") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["s-percent"]),
        ("_", ["s-underscore"]),
        ("\\", ["s-backslash"]),
        ("'", ["s-quotes"]),
        ('"', ["s-quotes"]),
        (".*", ["s-regex"]),
        ("[a-z]+", ["s-class"]),
        ("c++", ["s-cpp"]),
        ("(sprache)", ["s-cpp"]),
        ("^$", ["s-anchors"]),
        ("a.b", ["s-dot"]),
        ("`", []),
    ],
)
def test_special_characters_are_matched_literally(store, text, expected):
    load(
        store,
        skill("s-percent", "100% Einsatz"),
        skill("s-underscore", "snake_case"),
        skill("s-backslash", "Pfad C:\\Daten"),
        skill("s-quotes", 'O\'Brien "Zitat"'),
        skill("s-regex", "Muster .*"),
        skill("s-class", "Klasse [a-z]+"),
        skill("s-cpp", "C++ (Sprache)"),
        skill("s-anchors", "Anker ^$"),
        skill("s-dot", "a.b"),
        skill("s-plain", "axb Verfahren"),
    )
    assert ids(store.search_items(Label.SKILL, text, "de")) == expected


def test_ties_sort_the_same_beyond_the_basic_plane(store):
    """Both stores order strings by UTF-16 code units (Neo4j's order), so a character
    beyond U+FFFF sorts before U+FF21 on both."""
    load(store, skill("s-fullwidth", "x\uff21"), skill("s-emoji", "x\U0001f600"))
    assert ids(store.search_items(Label.SKILL, "x", "de")) == ["s-emoji", "s-fullwidth"]


def test_match_rank_definition():
    needle = normalise("  Schweiß ")
    assert needle == "schweiß"
    assert match_rank(needle, "SCHWEIß") == 0
    assert match_rank(needle, "Schweißen") == 1
    assert match_rank(needle, "MAG-Schweißen") == 2
    assert match_rank(needle, "Autogenschweißen") == 3
    assert match_rank(needle, "Kochen") == 4
    assert match_rank(needle, None) == 4
    assert match_rank("", "Kochen") == 4
