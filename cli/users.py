"""`wegweiser user add|list`, and the demo logins of `wegweiser demo`.

Users live in the graph (label ``User``) so that every app process sees the same ones.
A password is read from standard input (``--password-stdin``, for scripts) or asked for
twice without echo; only its Argon2 hash is stored.
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import click

from cli.context import Context
from graph.errors import InvalidInput
from graph.model import USER_ROLES, Label
from graph.store import GraphStore, User
from web.passwords import Passwords, generate_password, password_problems

__all__ = ["DemoLogin", "create_demo_users", "format_logins", "user"]

_SCOPES = (
    ("organization", Label.ORGANIZATION),
    ("company", Label.COMPANY),
    ("coach", Label.COACH),
)


@click.group()
def user() -> None:
    """Logins of the web app."""


@user.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), required=True)
@click.option("--name", "display_name", default="", help="Name shown in the web app.")
@click.option("--organization", help="Organization id (advisors: whose candidates they see).")
@click.option("--company", help="Company id (employers).")
@click.option("--coach", help="Coach id (coaches).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.pass_obj
def add_user(
    obj: Context,
    email: str,
    role: str,
    display_name: str,
    organization: str | None,
    company: str | None,
    coach: str | None,
    password_stdin: bool,
) -> None:
    """Create a login for EMAIL with role R, tied to its organization, company or coach."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    new = User(
        id=f"u-{uuid.uuid4().hex[:12]}",
        email=email.strip().lower(),
        role=role,
        display_name=display_name.strip(),
        organization=organization,
        company=company,
        coach=coach,
    )
    with obj.store() as store:
        store.init_schema()
        problems = password_problems(password) + _unknown_scopes(store, new)
        if problems:
            raise InvalidInput(f"user {new.email!r} was not created", problems)
        saved = store.save_user(replace(new, password_hash=Passwords().hash(password)))
    click.echo(f"created {saved.role} {saved.email} ({saved.id}){_scope_text(saved)}")


@user.command("list")
@click.pass_obj
def list_users(obj: Context) -> None:
    """Every login: e-mail, role, what it is tied to, active or not."""
    with obj.store() as store:
        users = store.list_users()
    if not users:
        click.echo("no users yet (wegweiser user add EMAIL --role R)")
        return
    width = max(len(u.email) for u in users)
    for u in users:
        scope = u.organization or u.company or u.coach or "-"
        state = "active" if u.active else "inactive"
        click.echo(f"{u.email:<{width}}  {u.role:<8}  {scope:<28}  {state}")


def _unknown_scopes(store: GraphStore, new: User) -> list[str]:
    problems = []
    for field, label in _SCOPES:
        value = getattr(new, field)
        if value and not store.existing_ids(label, [value]):
            problems.append(f"--{field}: no {label} with id {value!r} in the store")
    return problems


def _scope_text(u: User) -> str:
    for field, _label in _SCOPES:
        if getattr(u, field):
            return f" for {field} {getattr(u, field)}"
    return ""


# --- demo logins -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    scope: str


_DEMO_DOMAIN = "demo.wegweiser.example"


def create_demo_users(store: GraphStore, world: Path) -> list[DemoLogin]:
    """One login per role on the demo district, each with a new random password.

    The advisor belongs to the district's Jobcenter, the employer to the first company
    that posts an offer, the coach to the first coach with mentees. Running it again
    gives the same users new passwords (and ends their old sessions).
    """
    document = json.loads(Path(world).read_text(encoding="utf-8"))
    offered = {offer["company"] for offer in document.get("offers", [])}
    picks = {
        "advisor": _first(document, "organizations", lambda o: o.get("kind") == "jobcenter"),
        "employer": _first(document, "companies", lambda c: c["id"] in offered),
        "coach": _first(document, "coaches", lambda c: bool(c.get("mentees"))),
        "admin": None,
    }
    field = {"advisor": "organization", "employer": "company", "coach": "coach"}
    hasher = Passwords()
    logins = []
    for role, pick in picks.items():
        if role != "admin" and pick is None:
            continue
        password = generate_password()
        email = f"{role}@{_DEMO_DOMAIN}"
        scope = {field[role]: pick["id"]} if pick else {}
        name = f"Demo {role}" if pick is None else f"Demo {role} ({pick['name']})"
        wanted = User(id=f"u-demo-{role}", email=email, role=role, display_name=name, **scope)
        current = store.user_by_email(email)
        if current is None:
            store.save_user(replace(wanted, password_hash=hasher.hash(password)))
        else:
            store.save_user(
                replace(
                    wanted,
                    id=current.id,
                    version=current.version,
                    password_hash=hasher.hash(password),
                    session_version=current.session_version + 1,
                )
            )
        logins.append(DemoLogin(role, email, password, pick["name"] if pick else ""))
    return logins


def _first(document: dict, section: str, wanted) -> dict | None:
    return next((item for item in document.get(section, []) if wanted(item)), None)


def format_logins(logins: list[DemoLogin]) -> str:
    lines = ["Demo logins (new passwords on every start):"]
    width = max((len(login.email) for login in logins), default=0)
    for login in logins:
        scope = f"  ({login.scope})" if login.scope else ""
        lines.append(f"  {login.role:<9}{login.email:<{width}}  {login.password}{scope}")
    if any(login.role == "admin" for login in logins):
        lines.append(
            "The admin sets up a second factor (TOTP, any authenticator app) at the first "
            "sign-in;\n  WEGWEISER_REQUIRE_ADMIN_TOTP=0 turns it off for a local demo."
        )
    return "\n".join(lines)
