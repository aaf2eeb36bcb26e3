"""Users in the graph: both stores save, find and list them the same way, refuse lost
updates with ``Conflict``, and never let a user into a world-file export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import Label
from graph.store import User
from graph.world import dumps_world, import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def advisor(**changes) -> User:
    base = User(
        id="u-anna",
        email="anna.berger@jobcenter.example",
        role="advisor",
        display_name="Anna Berger",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        organization="o-jobcenter-hs",
    )
    return replace(base, **changes)


def test_a_new_user_is_saved_with_version_one_and_found_by_id_and_email(store):
    saved = store.save_user(advisor())
    assert saved.version == 1
    assert store.get_user("u-anna") == saved
    assert store.user_by_email("Anna.Berger@Jobcenter.example ") == saved
    assert store.user_by_email("nobody@example.org") is None
    assert store.counts()[Label.USER] == 1


def test_every_property_survives_a_round_trip(store):
    user = advisor(
        role="coach",
        organization=None,
        coach="co-walid-saleh",
        session_version=7,
        active=False,
        failed_logins=3,
        locked_until="2027-01-01T10:00:00+00:00",
    )
    assert store.get_user(store.save_user(user).id) == replace(user, version=1)


def test_unknown_user_is_not_found(store):
    with pytest.raises(NotFound, match="u-nobody"):
        store.get_user("u-nobody")
    with pytest.raises(NotFound, match="u-nobody"):
        store.save_user(advisor(id="u-nobody", version=4))


def test_list_users_is_sorted_by_email(store):
    store.save_user(advisor(id="u-2", email="zora@example.org"))
    store.save_user(advisor(id="u-1", email="bert@example.org"))
    store.save_user(User(id="u-3", email="admin@example.org", role="admin"))
    assert [u.email for u in store.list_users()] == [
        "admin@example.org",
        "bert@example.org",
        "zora@example.org",
    ]


def test_an_update_needs_the_stored_version(store):
    first = store.save_user(advisor())
    mine, theirs = first, first  # two people loaded the same user
    theirs = store.save_user(replace(theirs, display_name="Anna B."))
    assert theirs.version == 2
    with pytest.raises(Conflict, match="changed by someone else"):
        store.save_user(replace(mine, session_version=2))
    assert store.get_user("u-anna") == theirs  # nothing was overwritten
    again = store.save_user(replace(theirs, session_version=2))
    assert (again.version, again.session_version) == (3, 2)
    assert store.get_user("u-anna") == again


def test_ids_and_emails_are_unique(store):
    store.save_user(advisor())
    with pytest.raises(Conflict, match="exists already"):
        store.save_user(advisor(email="other@example.org"))
    with pytest.raises(Conflict, match="belongs to another user"):
        store.save_user(advisor(id="u-other"))
    assert [u.id for u in store.list_users()] == ["u-anna"]


def test_invalid_users_are_refused_with_every_problem(store):
    with pytest.raises(InvalidInput) as caught:
        store.save_user(User(id="u-x", email="Not An Email", role="boss"))
    text = str(caught.value)
    assert "email: 'Not An Email' is not an e-mail address" in text
    assert "role: 'boss' is not one of advisor, employer, coach, dpo, admin" in text
    with pytest.raises(InvalidInput, match="company: a user with role employer needs one"):
        store.save_user(User(id="u-y", email="y@example.org", role="employer"))
    assert store.list_users() == []


def test_users_never_reach_a_world_export(store):
    import_world(store, SAMPLE)
    before = dumps_world(store)
    store.save_user(advisor())
    after = dumps_world(store)
    assert after == before
    assert "argon2" not in after
    assert "anna.berger" not in after


def test_importing_a_world_leaves_users_alone(store):
    store.save_user(advisor())
    import_world(store, SAMPLE)
    store.clear()
    assert store.list_users() == []
    saved = store.save_user(advisor())
    import_world(store, SAMPLE)
    assert store.get_user("u-anna") == saved
