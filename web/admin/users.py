"""Users and roles: list, create, edit, deactivate, reset passwords.

Every change goes through ``store.save_user`` with the version the form was loaded with,
so two admins saving the same user at once cannot overwrite each other. A change of role
or links, a deactivation and a password reset bump ``session_version`` in the same save:
the user's open sessions end in every process at once. The last active admin can be
neither demoted nor deactivated, or nobody could administer the district any more.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import Label
from graph.store import GraphStore, User
from web.admin.blueprint import bp, node_name
from web.admin.forms import ActionForm, UserForm, role_choices
from web.auth import passwords
from web.passwords import generate_password, password_problems
from web.store import get_store

__all__ = ["last_admin_problem"]

_LINKS = {"advisor": "organization", "employer": "company", "coach": "coach"}
_LINK_LABELS = {
    "organization": Label.ORGANIZATION,
    "company": Label.COMPANY,
    "coach": Label.COACH,
}


def last_admin_problem(store: GraphStore, before: User, after: User) -> str | None:
    """Why ``after`` may not replace ``before``: it would leave no active admin."""
    was_admin = before.role == "admin" and before.active
    stays_admin = after.role == "admin" and after.active
    if not was_admin or stays_admin:
        return None
    others = [
        u for u in store.list_users() if u.id != before.id and u.role == "admin" and u.active
    ]
    if others:
        return None
    return _(
        "%(email)s ist die letzte aktive Verwaltung. Legen Sie zuerst eine andere an.",
        email=before.email,
    )


def _fill_choices(form: UserForm, store: GraphStore) -> None:
    form.role.choices = role_choices()
    for field_name, label in _LINK_LABELS.items():
        nodes = store.list_nodes(label)
        getattr(form, field_name).choices = [("", "–")] + [
            (n.id, f"{node_name(label, n.props, n.id)} ({n.id})") for n in nodes
        ]


def _links(form: UserForm) -> dict[str, str | None]:
    """Only the link the role uses is kept; the others are cleared."""
    wanted = _LINKS.get(form.role.data)
    return {
        name: (getattr(form, name).data or None) if name == wanted else None
        for name in _LINKS.values()
    }


def _save(store: GraphStore, user: User) -> User | None:
    """Save, or flash why not (None)."""
    try:
        return store.save_user(user)
    except InvalidInput as e:
        for problem in e.problems or [str(e)]:
            flash(problem, "error")
    except Conflict:
        flash(
            _(
                "Jemand anderes hat diesen Benutzer inzwischen gespeichert, oder die "
                "E-Mail-Adresse ist schon vergeben. Bitte laden Sie die Seite neu."
            ),
            "error",
        )
    return None


def _user_or_404(store: GraphStore, user_id: str) -> User:
    try:
        return store.get_user(user_id)
    except NotFound:
        abort(404)


@bp.get("/users")
def users() -> str:
    store = get_store()
    names = {
        label: {n.id: node_name(label, n.props, n.id) for n in store.list_nodes(label)}
        for label in _LINK_LABELS.values()
    }
    rows = []
    for user in store.list_users():
        field_name = _LINKS.get(user.role)
        link = getattr(user, field_name) if field_name else None
        linked = names[_LINK_LABELS[field_name]].get(link, link) if field_name and link else ""
        rows.append((user, linked))
    return render_template("admin/users.html", rows=rows)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> str | Response | tuple[str, int]:
    store = get_store()
    form = UserForm()
    _fill_choices(form, store)
    if request.method == "GET":
        form.role.data = "advisor"
        return render_template("admin/user_form.html", form=form, user=None)
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", form=form, user=None), 400
    password = form.password.data or generate_password()
    problems = password_problems(password)
    if problems:
        form.password.errors = [
            _("Das Passwort braucht mindestens 10 Zeichen und darf nicht mit einem "
              "Leerzeichen beginnen oder enden.")
        ]
        return render_template("admin/user_form.html", form=form, user=None), 400
    user = User(
        id=f"u-{uuid.uuid4().hex[:12]}",
        email=form.email.data.strip().lower(),
        role=form.role.data,
        display_name=(form.display_name.data or "").strip(),
        password_hash=passwords().hash(password),
        **_links(form),
    )
    saved = _save(store, user)
    if saved is None:
        return render_template("admin/user_form.html", form=form, user=None), 400
    return render_template(
        "admin/user_created.html",
        user=saved,
        password=password if not form.password.data else None,
    )


@bp.route("/users/<user_id>", methods=["GET", "POST"])
def edit_user(user_id: str) -> str | Response | tuple[str, int]:
    store = get_store()
    user = _user_or_404(store, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form, store)
    actions = ActionForm()
    if request.method == "GET":
        form.version.data = str(user.version)
        return render_template("admin/user_form.html", form=form, user=user, actions=actions)
    if not form.validate_on_submit():
        return render_template(
            "admin/user_form.html", form=form, user=user, actions=actions
        ), 400
    if form.version.data != str(user.version):
        flash(
            _("Jemand anderes hat diesen Benutzer inzwischen gespeichert. Bitte prüfen Sie "
              "die Angaben und speichern Sie erneut."),
            "error",
        )
        return redirect(url_for("admin.edit_user", user_id=user.id))
    changed = replace(
        user,
        email=form.email.data.strip().lower(),
        role=form.role.data,
        display_name=(form.display_name.data or "").strip(),
        **_links(form),
    )
    problem = last_admin_problem(store, user, changed)
    if problem:
        flash(problem, "error")
        return render_template(
            "admin/user_form.html", form=form, user=user, actions=actions
        ), 409
    if any(getattr(changed, f) != getattr(user, f) for f in ("role", *_LINKS.values())):
        changed = replace(changed, session_version=user.session_version + 1)
    if form.password.data:
        if password_problems(form.password.data):
            form.password.errors = [
                _("Das Passwort braucht mindestens 10 Zeichen und darf nicht mit einem "
                  "Leerzeichen beginnen oder enden.")
            ]
            return render_template(
                "admin/user_form.html", form=form, user=user, actions=actions
            ), 400
        changed = replace(
            changed,
            password_hash=passwords().hash(form.password.data),
            session_version=user.session_version + 1,
            failed_logins=0,
            locked_until=None,
        )
    if changed != user and _save(store, changed) is None:
        return render_template(
            "admin/user_form.html", form=form, user=user, actions=actions
        ), 409
    flash(_("Gespeichert."), "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<user_id>/active")
def toggle_active(user_id: str) -> Response:
    """Deactivate an active user (ending their sessions) or reactivate an inactive one."""
    store = get_store()
    user = _user_or_404(store, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = replace(user, active=not user.active, session_version=user.session_version + 1)
    problem = last_admin_problem(store, user, changed)
    if problem:
        flash(problem, "error")
    elif _save(store, changed) is not None:
        flash(_("Deaktiviert.") if user.active else _("Wieder aktiviert."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<user_id>/password")
def reset_password(user_id: str) -> str | Response:
    """A new generated password, shown once; the user's sessions end."""
    store = get_store()
    user = _user_or_404(store, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = generate_password()
    changed = replace(
        user,
        password_hash=passwords().hash(password),
        session_version=user.session_version + 1,
        failed_logins=0,
        locked_until=None,
    )
    saved = _save(store, changed)
    if saved is None:
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_created.html", user=saved, password=password, reset=True)


@bp.post("/users/<user_id>/second-factor")
def reset_second_factor(user_id: str) -> Response:
    """For someone who lost the device: the TOTP key is removed and their sessions end;
    at the next login they set up a new one (admins must, before any page works)."""
    store = get_store()
    user = _user_or_404(store, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = replace(
        user, totp_secret=None, totp_last_step=0, session_version=user.session_version + 1
    )
    if _save(store, changed) is not None:
        flash(_("Der zweite Faktor wurde zurückgesetzt; alle Sitzungen sind beendet."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))
