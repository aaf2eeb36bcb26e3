"""Employer pseudonyms: stable per company, different between companies, bound to the
secret, and resolvable only by recomputing them over the candidates one may see."""

from __future__ import annotations

import re

import pytest

from graph.pseudonyms import company_key, pseudonym, resolve_pseudonym

SECRET = b"0123456789abcdef0123456789abcdef"
CANDIDATES = [f"p-{i:04d}" for i in range(2000)]


def test_a_pseudonym_is_stable_and_readable():
    first = pseudonym(SECRET, "c-rurtal-logistik", "p-ahmad-alkhatib")
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", first)
    assert pseudonym(SECRET, "c-rurtal-logistik", "p-ahmad-alkhatib") == first
    assert pseudonym(SECRET.decode(), "c-rurtal-logistik", "p-ahmad-alkhatib") == first


def test_each_employer_sees_another_pseudonym_of_the_same_candidate():
    companies = [f"c-{i}" for i in range(50)]
    names = {pseudonym(SECRET, company, "p-ahmad-alkhatib") for company in companies}
    assert len(names) == len(companies)


def test_pseudonyms_do_not_collide_within_one_company():
    names = {pseudonym(SECRET, "c-rurtal-logistik", c) for c in CANDIDATES}
    assert len(names) == len(CANDIDATES)


def test_the_candidate_id_does_not_show_and_another_secret_gives_other_names():
    name = pseudonym(SECRET, "c-rurtal-logistik", "p-ahmad-alkhatib")
    assert "AHMAD" not in name.upper()
    assert pseudonym(b"another secret", "c-rurtal-logistik", "p-ahmad-alkhatib") != name
    assert company_key(SECRET, "c-a") != company_key(SECRET, "c-b")


def test_resolving_needs_the_company_the_secret_and_a_visible_candidate():
    name = pseudonym(SECRET, "c-rurtal-logistik", "p-0777")
    assert resolve_pseudonym(SECRET, "c-rurtal-logistik", name, CANDIDATES) == "p-0777"
    assert resolve_pseudonym(SECRET, "c-rurtal-logistik", f" {name.lower()} ", CANDIDATES) == (
        "p-0777"
    )
    assert resolve_pseudonym(SECRET, "c-hanssen-bau", name, CANDIDATES) is None
    assert resolve_pseudonym(b"other", "c-rurtal-logistik", name, CANDIDATES) is None
    assert resolve_pseudonym(SECRET, "c-rurtal-logistik", name, ["p-0001"]) is None


def test_an_empty_secret_is_refused():
    with pytest.raises(ValueError, match="non-empty secret"):
        pseudonym(b"", "c-a", "p-1")
