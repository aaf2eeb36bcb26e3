"""Signing in and out, and who the current user is.

Nothing about a session lives in the app process: the signed session cookie carries the
user id and the user's ``session_version``, and every request reads the user from the
store. Logging out bumps ``session_version`` in the store, so the old cookie, replayed
from anywhere, no longer names a valid session — in any process.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from graph.errors import Conflict, NotFound
from graph.store import GraphStore, User
from web.forms import LoginForm, LogoutForm
from web.passwords import Passwords
from web.store import get_store

__all__ = ["LANDING", "SessionUser", "bp", "init_auth", "landing_url", "safe_next"]

bp = Blueprint("auth", __name__)

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
LANDING = {
    "advisor": "advisor.index",
    "employer": "employer.index",
    "coach": "coach.index",
    "admin": "admin.index",
}
ROLE_NAMES = {
    "advisor": _l("Beratung"),
    "employer": _l("Arbeitgeber"),
    "coach": _l("Patenschaft"),
    "admin": _l("Verwaltung"),
}


class SessionUser:
    """The signed-in user as Flask-Login sees it, read fresh from the store per request."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def role_name(self) -> str:
        return str(ROLE_NAMES[self.user.role])

    @property
    def display_name(self) -> str:
        return self.user.display_name or self.user.email


def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _sep, version = session_id.rpartition(":")
    try:
        user = get_store().get_user(user_id)
    except NotFound:
        return None
    if not user.active or str(user.session_version) != version:
        return None  # logged out elsewhere, password changed, or deactivated
    return SessionUser(user)


def passwords() -> Passwords:
    return current_app.extensions["wegweiser.passwords"]


def landing_url(role: str) -> str:
    return url_for(LANDING.get(role, "home.index"))


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or any(ch in target for ch in "\\\r\n\t") or not target.startswith("/"):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --- the views ---------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        return render_template("auth/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400
    user = authenticate(get_store(), passwords(), form.email.data, form.password.data)
    if user is None:
        flash(_("E-Mail-Adresse oder Passwort ist falsch."), "error")
        return render_template("auth/login.html", form=form), 401
    lang = session.get("lang")
    session.clear()  # a fresh session: no fixation across the login
    if lang:
        session["lang"] = lang
    login_user(SessionUser(user))
    return redirect(safe_next(form.next.data) or landing_url(user.role))


@bp.post("/logout")
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("home.index"))
    if current_user.is_authenticated:
        end_sessions(get_store(), current_user.user.id)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))


# --- the rules ---------------------------------------------------------------------------


def authenticate(store: GraphStore, hasher: Passwords, email: str, password: str) -> User | None:
    """The user if the password is right and the account is usable; counts failures and
    locks the account for ``LOCK_MINUTES`` after ``MAX_FAILED_LOGINS`` wrong passwords."""
    now = datetime.now(UTC)
    for _attempt in range(3):  # someone else saved the user in between: read again
        user = store.user_by_email(email)
        if user is None or not user.active or not user.password_hash:
            hasher.waste_time(password)
            return None
        if user.locked_until and datetime.fromisoformat(user.locked_until) > now:
            hasher.waste_time(password)
            return None
        try:
            if not hasher.verify(user.password_hash, password):
                failed = user.failed_logins + 1
                locked = None
                if failed >= MAX_FAILED_LOGINS:
                    failed, locked = 0, (now + timedelta(minutes=LOCK_MINUTES)).isoformat()
                store.save_user(replace(user, failed_logins=failed, locked_until=locked))
                return None
            changed = replace(user, failed_logins=0, locked_until=None)
            if hasher.needs_rehash(user.password_hash):
                changed = replace(changed, password_hash=hasher.hash(password))
            return store.save_user(changed) if changed != user else user
        except Conflict:
            continue
    return None


def end_sessions(store: GraphStore, user_id: str) -> None:
    """Invalidate every session of a user, in every process (bump ``session_version``)."""
    for _attempt in range(3):
        try:
            user = store.get_user(user_id)
            store.save_user(replace(user, session_version=user.session_version + 1))
            return
        except Conflict:
            continue
        except NotFound:
            return
    raise Conflict(f"could not end the sessions of user {user_id!r}; try again")


def init_auth(app: Flask) -> None:
    app.extensions["wegweiser.passwords"] = Passwords(
        app.config.get("WEGWEISER_PASSWORD_PROFILE", "default")
    )
    manager = LoginManager(app)
    manager.user_loader(load_session_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Bitte melden Sie sich an.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    app.register_blueprint(bp)

    @app.context_processor
    def auth_context() -> dict[str, object]:
        return {"logout_form": LogoutForm(), "nav": navigation(), "role_names": ROLE_NAMES}


def navigation() -> list[tuple[str, str]]:
    """(url, name) of the areas the current user may open."""
    if not current_user.is_authenticated:
        return []
    role = current_user.role
    areas = [
        ("advisor", "advisor.index", _("Beratung")),
        ("employer", "employer.index", _("Unternehmen")),
        ("coach", "coach.index", _("Patenschaften")),
        ("admin", "admin.index", _("Verwaltung")),
    ]
    return [(url_for(endpoint), name) for area, endpoint, name in areas if role in (area, "admin")]
