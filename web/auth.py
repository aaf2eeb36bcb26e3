"""Signing in and out, and who the current user is.

Nothing about a session lives in the app process: the signed session cookie carries the
user id and the user's ``session_version``, and every request reads the user from the
store. Logging out bumps ``session_version`` in the store, so the old cookie, replayed
from anywhere, no longer names a valid session — in any process.

The cookie also carries when the session began and when it was last used (signed, so
the browser cannot change them): a session unused for ``WEGWEISER_SESSION_IDLE_MINUTES``
or older than ``WEGWEISER_SESSION_MAX_HOURS`` ends at its next request. Wrong passwords
lock the account with a back-off (15 minutes, then 30, 60 … up to a day), and
``web.ratelimit`` limits failed attempts per account and per address. Users may add a
second factor (TOTP, ``web.totp``); admins must, before any other page opens for them.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
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
from web import totp
from web.config import session_settings
from web.forms import LoginForm, LogoutForm
from web.passwords import Passwords
from web.ratelimit import init_ratelimit
from web.store import get_store

__all__ = [
    "LANDING",
    "SessionUser",
    "authenticate",
    "bp",
    "end_sessions",
    "init_auth",
    "landing_url",
    "now",
    "safe_next",
]

bp = Blueprint("auth", __name__)

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MAX_LOCK_MINUTES = 24 * 60
SECOND_STEP_SECONDS = 300
"""Time to type the code after the password was right."""
SEEN_EVERY_SECONDS = 30
"""How often the last-use time in the cookie is renewed (not on every request)."""
OPEN_TO_ADMINS_WITHOUT_TOTP = frozenset({"static", "auth.totp", "auth.logout", "auth.login"})
LANDING = {
    "advisor": "advisor.index",
    "employer": "employer.index",
    "coach": "coach.index",
    "dpo": "admin.audit",
    "admin": "admin.index",
}
ROLE_NAMES = {
    "advisor": _l("Beratung"),
    "employer": _l("Arbeitgeber"),
    "coach": _l("Patenschaft"),
    "dpo": _l("Datenschutz"),
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


def now() -> float:
    """The time in seconds (one place, so tests can move the clock)."""
    return time.time()


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
def login() -> str | Response | tuple[str, int]:
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
    target = safe_next(form.next.data) or ""
    if user.totp_secret:
        _fresh_session()
        session["mfa"] = {
            "user": user.id,
            "email": user.email,
            "version": user.session_version,
            "at": now(),
            "next": target,
        }
        return redirect(url_for("auth.second_factor"))
    _start_session(user)
    return redirect(target or landing_url(user.role))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> str | Response | tuple[str, int]:
    """The second step of a login with TOTP: the password was right a moment ago."""
    pending = session.get("mfa")
    if not pending or now() - float(pending.get("at", 0)) > SECOND_STEP_SECONDS:
        session.pop("mfa", None)
        flash(_("Bitte melden Sie sich erneut an."), "info")
        return redirect(url_for("auth.login"))
    form = totp.CodeForm()
    if request.method == "GET":
        return render_template("auth/code.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), 400
    user = check_code(get_store(), pending["user"], int(pending["version"]), form.code.data)
    if user is None:
        flash(_("Der Code ist falsch oder wurde schon benutzt."), "error")
        return render_template("auth/code.html", form=form), 401
    _start_session(user)
    return redirect(safe_next(pending.get("next")) or landing_url(user.role))


@bp.post("/logout")
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("home.index"))
    if current_user.is_authenticated:
        end_sessions(get_store(), current_user.user.id)
    logout_user()
    _fresh_session()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/second-factor", methods=["GET", "POST"], endpoint="totp")
def totp_setup() -> str | Response | tuple[str, int]:
    """Set up the second factor (secret as text, ``otpauth://`` URI and QR code,
    confirmed with a first code), or switch it off where that is allowed."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    user = current_user.user
    required = _totp_required(user)
    if user.totp_secret:
        form = totp.DisableForm()
        if request.method == "POST":
            if required:
                abort(403)
            if not form.validate_on_submit():
                return _totp_page(user, form, required), 400
            changed = _switch_totp(user, form.code.data, enable=None)
            if changed is None:
                flash(_("Der Code ist falsch oder wurde schon benutzt."), "error")
                return _totp_page(user, form, required), 400
            flash(_("Der zweite Faktor ist abgeschaltet."), "info")
            return redirect(url_for("auth.totp"))
        return _totp_page(user, form, required)
    if "totp_nonce" not in session:
        session["totp_nonce"] = secrets.token_hex(16)
    secret = totp.derived_secret(current_app.secret_key, user.id, session["totp_nonce"])
    form = totp.CodeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _totp_page(user, form, required, secret), 400
        changed = _switch_totp(user, form.code.data, enable=secret)
        if changed is None:
            flash(_("Der Code passt nicht. Bitte prüfen Sie die Uhrzeit des Geräts."), "error")
            return _totp_page(user, form, required, secret), 400
        session.pop("totp_nonce", None)
        flash(_("Der zweite Faktor ist eingerichtet."), "info")
        return redirect(landing_url(changed.role))
    return _totp_page(user, form, required, secret)


def _totp_page(user: User, form: Any, required: bool, secret: str | None = None) -> str:
    uri = totp.provisioning_uri(secret, user.email) if secret else ""
    return render_template(
        "auth/totp.html",
        form=form,
        enrolled=bool(user.totp_secret),
        required=required,
        secret=totp.grouped(secret) if secret else "",
        uri=uri,
        qr=totp.qr_data_uri(uri) if uri else "",
    )


def _switch_totp(user: User, code: str, enable: str | None) -> User | None:
    """Turn the factor on (``enable``: the offered secret, checked against ``code``) or
    off (``code`` checked against the stored secret). Other sessions of the user end;
    this one goes on under the new session version."""
    store = get_store()
    for _attempt in range(3):
        current = store.get_user(user.id)
        secret = enable or current.totp_secret
        if not secret:
            return None
        last = 0 if enable else current.totp_last_step
        step = totp.matching_step(secret, code, last, now())
        if step is None:
            return None
        changed = replace(
            current,
            totp_secret=enable,
            totp_last_step=step if enable else 0,
            session_version=current.session_version + 1,
        )
        try:
            saved = store.save_user(changed)
        except Conflict:
            continue
        login_user(SessionUser(saved))
        return saved
    return None


def _fresh_session() -> None:
    """An empty session that keeps only the chosen language (no fixation across a
    change of who is signed in)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _start_session(user: User) -> None:
    _fresh_session()
    login_user(SessionUser(user))
    session["login_at"] = session["seen_at"] = now()


# --- the rules ---------------------------------------------------------------------------


def authenticate(store: GraphStore, hasher: Passwords, email: str, password: str) -> User | None:
    """The user if the password is right and the account is usable. Wrong passwords
    count; every ``MAX_FAILED_LOGINS``-th in a row locks the account (``lock_minutes``:
    15 minutes, doubling with each further lock). While locked, even the right password
    is refused, and the answer takes as long as a wrong one."""
    moment = datetime.now(UTC)
    for _attempt in range(3):  # someone else saved the user in between: read again
        user = store.user_by_email(email)
        if user is None or not user.active or not user.password_hash:
            hasher.waste_time(password)
            return None
        if is_locked(user, moment):
            hasher.waste_time(password)
            return None
        try:
            if not hasher.verify(user.password_hash, password):
                store.save_user(with_failure(user, moment))
                return None
            changed = replace(user, failed_logins=0, locked_until=None)
            if hasher.needs_rehash(user.password_hash):
                changed = replace(changed, password_hash=hasher.hash(password))
            return store.save_user(changed) if changed != user else user
        except Conflict:
            continue
    return None


def check_code(store: GraphStore, user_id: str, version: int, code: str) -> User | None:
    """The user if ``code`` is the current TOTP code, not used before, and the user may
    still sign in (active, not locked, sessions not ended since the password step).
    A wrong code counts like a wrong password."""
    moment = datetime.now(UTC)
    for _attempt in range(3):
        try:
            user = store.get_user(user_id)
        except NotFound:
            return None
        if not user.active or not user.totp_secret or user.session_version != version:
            return None
        if is_locked(user, moment):
            return None
        step = totp.matching_step(user.totp_secret, code, user.totp_last_step, now())
        try:
            if step is None:
                store.save_user(with_failure(user, moment))
                return None
            return store.save_user(
                replace(user, totp_last_step=step, failed_logins=0, locked_until=None)
            )
        except Conflict:
            continue  # e.g. the same code sent twice at once: the second finds it used
    return None


def is_locked(user: User, moment: datetime) -> bool:
    return bool(user.locked_until) and datetime.fromisoformat(user.locked_until) > moment


def lock_minutes(failed: int) -> int:
    """How long the ``failed``-th wrong attempt in a row locks the account (0: not)."""
    if failed < MAX_FAILED_LOGINS or failed % MAX_FAILED_LOGINS:
        return 0
    rounds = failed // MAX_FAILED_LOGINS
    return min(LOCK_MINUTES * 2 ** min(rounds - 1, 16), MAX_LOCK_MINUTES)


def with_failure(user: User, moment: datetime) -> User:
    """``user`` after one more wrong password or code (locked if it is time)."""
    failed = user.failed_logins + 1
    minutes = lock_minutes(failed)
    locked = (moment + timedelta(minutes=minutes)).isoformat() if minutes else None
    return replace(user, failed_logins=failed, locked_until=locked)


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
    for key, value in session_settings().items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    init_ratelimit(app, ("auth.login", "auth.second_factor"))
    app.before_request(session_rules)

    @app.context_processor
    def auth_context() -> dict[str, object]:
        return {"logout_form": LogoutForm(), "nav": navigation(), "role_names": ROLE_NAMES}


def session_rules() -> Response | None:
    """Before every request: end a session that was idle too long or is too old, and
    keep admins without a second factor on its set-up page (when that is required)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    moment = now()
    idle = float(current_app.config["WEGWEISER_SESSION_IDLE_MINUTES"]) * 60
    longest = float(current_app.config["WEGWEISER_SESSION_MAX_HOURS"]) * 3600
    began, seen = session.get("login_at"), session.get("seen_at")
    if began is None or seen is None or moment - seen > idle or moment - began > longest:
        logout_user()
        _fresh_session()
        if request.blueprint == "api":
            abort(401)
        flash(_("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."), "info")
        target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))
    if moment - seen >= SEEN_EVERY_SECONDS:
        session["seen_at"] = moment
    user = current_user.user
    if (
        _totp_required(user)
        and not user.totp_secret
        and request.endpoint not in OPEN_TO_ADMINS_WITHOUT_TOTP
    ):
        if request.blueprint == "api":
            abort(403)
        flash(_("Bitte richten Sie zuerst den zweiten Faktor ein."), "info")
        return redirect(url_for("auth.totp"))
    return None


def _totp_required(user: User) -> bool:
    """Admins, and the data-protection officer who reads the whole audit trail."""
    privileged = user.role in ("admin", "dpo")
    return privileged and bool(current_app.config["WEGWEISER_REQUIRE_ADMIN_TOTP"])


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
    if role == "dpo":
        return [(url_for("admin.audit"), _("Datenschutz"))]
    return [(url_for(endpoint), name) for area, endpoint, name in areas if role in (area, "admin")]
