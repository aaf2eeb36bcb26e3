"""Rate limits on signing in, per account and per client address, shared by every app
process on the machine.

Flask-Limiter counts, with the moving-window strategy of the ``limits`` library. Its
counters must be shared by all worker processes (gunicorn starts several), or each
worker would allow the full number again; ``limits`` offers Redis, Memcached and
MongoDB for that, all servers. Wegweiser runs without a server, so this module adds a
``limits`` storage backed by a SQLite file in the data directory (scheme
``wegweiser-sqlite://``, owner-only like the store). Several machines behind a load
balancer set ``RATELIMIT_STORAGE_URI`` (environment ``WEGWEISER_RATELIMIT_STORAGE``) to
a shared server such as ``redis://…`` instead.

Only failed attempts count (a wrong password or code, an invalid form): an office
where many people sign in from one address is not slowed down, a password guesser is.
A refused attempt answers 429 with a page saying how long to wait and ``Retry-After``.
"""

from __future__ import annotations

import ipaddress
import math
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from limits.storage import MovingWindowSupport, Storage
from werkzeug.wrappers import Response

__all__ = [
    "RATELIMIT_FILE",
    "SCHEME",
    "SQLiteStorage",
    "client_address",
    "init_ratelimit",
]

SCHEME = "wegweiser-sqlite"
RATELIMIT_FILE = "ratelimits.sqlite3"
ACCOUNT_LIMIT = "10 per 15 minutes"
ADDRESS_LIMIT = "30 per 15 minutes"
_KEEP_SECONDS = 86400  # events older than the longest window are swept now and then


class SQLiteStorage(Storage, MovingWindowSupport):
    """A ``limits`` storage in one SQLite file: every process that opens the same file
    shares the counts. Each change runs in a ``BEGIN IMMEDIATE`` transaction, so two
    processes never both take the last free slot of a window."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the registry reads a list)

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        path = Path(urlsplit(uri).path)
        if not path.is_absolute():
            raise ValueError(f"{SCHEME} needs an absolute path, got {uri!r}")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # owner-only from the start
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS counters (
                key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS events (key TEXT NOT NULL, at REAL NOT NULL);
            CREATE INDEX IF NOT EXISTS events_by_key ON events (key, at);
            """
        )
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def _write(self, work: Callable[[sqlite3.Connection, float], object]) -> object:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db, time.time())
                if random.random() < 1 / 64:
                    self._sweep()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return result

    def _sweep(self) -> None:
        now = time.time()
        self._db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        self._db.execute("DELETE FROM events WHERE at <= ?", (now - _KEEP_SECONDS,))

    # --- fixed window (what Flask-Limiter's other strategies use) ----------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def work(db: sqlite3.Connection, now: float) -> int:
            db.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            db.execute(
                "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            return db.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0]

        return int(self._write(work))  # type: ignore[arg-type]

    def get(self, key: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM counters WHERE key = ? AND expires > ?", (key, time.time())
            ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        with self._lock:
            row = self._db.execute(
                "SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, time.time())
            ).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1").fetchone() == (1,)

    def reset(self) -> int | None:
        def work(db: sqlite3.Connection, now: float) -> int:
            count = db.execute("SELECT count(*) FROM counters").fetchone()[0]
            count += db.execute("SELECT count(DISTINCT key) FROM events").fetchone()[0]
            db.execute("DELETE FROM counters")
            db.execute("DELETE FROM events")
            return int(count)

        return int(self._write(work))  # type: ignore[arg-type]

    def clear(self, key: str) -> None:
        def work(db: sqlite3.Connection, now: float) -> None:
            db.execute("DELETE FROM counters WHERE key = ?", (key,))
            db.execute("DELETE FROM events WHERE key = ?", (key,))

        self._write(work)

    # --- moving window (what the login limits use) -------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False

        def work(db: sqlite3.Connection, now: float) -> bool:
            db.execute("DELETE FROM events WHERE key = ? AND at <= ?", (key, now - expiry))
            taken = db.execute("SELECT count(*) FROM events WHERE key = ?", (key,)).fetchone()[0]
            if taken + amount > limit:
                return False
            db.executemany("INSERT INTO events (key, at) VALUES (?, ?)", [(key, now)] * amount)
            return True

        return bool(self._write(work))

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with self._lock:
            oldest, count = self._db.execute(
                "SELECT min(at), count(*) FROM events WHERE key = ? AND at > ?",
                (key, now - expiry),
            ).fetchone()
        return (float(oldest) if oldest is not None else now), int(count)

    def close(self) -> None:
        with self._lock:
            self._db.close()


# --- the keys -------------------------------------------------------------------------


def client_address() -> str:
    """The client's address (``ProxyFix`` has put the real one there when the app runs
    behind trusted proxies); IPv6 clients count per /64 network, which one household
    or machine usually owns whole."""
    raw = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return f"addr:{raw}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return f"addr:{address.ipv4_mapped}"
        return f"net:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"addr:{address}"


def account_key() -> str:
    """The account an attempt is for: the e-mail address typed on the login form, or
    the one whose password was right when the second-factor code is asked for."""
    if request.endpoint == "auth.second_factor":
        pending = session.get("mfa") or {}
        return f"account:{pending.get('email', '')}"
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email[:254]}"


def _failed(response: Response) -> bool:
    return response.status_code in (400, 401)


# --- set-up ---------------------------------------------------------------------------


def init_ratelimit(app: Flask, endpoints: tuple[str, ...]) -> Limiter:
    """One limiter per app, its counters in the data directory unless configured;
    ``endpoints`` get both limits (their POSTs)."""
    default_uri = f"{SCHEME}://{Path(app.config['WEGWEISER_DATA_DIR']).resolve() / RATELIMIT_FILE}"
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("WEGWEISER_RATELIMIT_STORAGE") or default_uri
    )
    app.config.setdefault("WEGWEISER_LOGIN_LIMIT_ACCOUNT", ACCOUNT_LIMIT)
    app.config.setdefault("WEGWEISER_LOGIN_LIMIT_ADDRESS", ADDRESS_LIMIT)
    limiter = Limiter(
        key_func=client_address,
        strategy="moving-window",
        headers_enabled=False,  # no counts to the guesser; Retry-After only when refused
        key_prefix="wegweiser",
    )
    limiter.init_app(app)
    app.extensions["wegweiser.limiter"] = limiter
    per_account = limiter.shared_limit(
        lambda: current_app.config["WEGWEISER_LOGIN_LIMIT_ACCOUNT"],
        scope="login-account",
        key_func=account_key,
        methods=["POST"],
        deduct_when=_failed,
    )
    per_address = limiter.shared_limit(
        lambda: current_app.config["WEGWEISER_LOGIN_LIMIT_ADDRESS"],
        scope="login-address",
        key_func=client_address,
        methods=["POST"],
        deduct_when=_failed,
    )
    for endpoint in endpoints:
        app.view_functions[endpoint] = per_account(per_address(app.view_functions[endpoint]))

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
        current = limiter.current_limit
        wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
        message = _(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)s Minuten "
            "und versuchen Sie es dann erneut.",
            minutes=max(1, math.ceil(wait / 60)),
        )
        page = render_template("auth/too_many.html", message=message)
        return page, 429, {"Retry-After": str(wait)}

    return limiter
