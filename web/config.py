"""Settings of the web app that must be the same in every app process.

The secret key signs the session cookie and the CSRF tokens and seeds the employers'
pseudonyms, so all processes serving one district must share it. It comes from
``WEGWEISER_SECRET_KEY`` or, failing that, from a file in the data directory that the
first process creates (owner-only) and every later one reads: several processes on one
machine then agree without configuration. Behind a load balancer on several machines,
set ``WEGWEISER_SECRET_KEY``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

__all__ = ["SECRET_FILE", "env_flag", "env_number", "load_secret_key", "session_settings"]

SECRET_FILE = "secret_key"


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment; anything but a clear "no" keeps the
    default, so a typo never switches a protection off."""
    value = os.environ.get(name, "").strip().lower()
    if value in {"0", "false", "no", "off"}:
        return False
    if value in {"1", "true", "yes", "on"}:
        return True
    return default


def env_number(name: str, default: float) -> float:
    """A positive number from the environment, else ``default`` (a bad value is an
    error at start-up, not a silently different timeout)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise RuntimeError(f"{name}={value!r} is not a number") from None
    if number <= 0:
        raise RuntimeError(f"{name}={value!r} must be greater than 0")
    return number


def session_settings() -> dict[str, object]:
    """Session timeouts and the admins' second factor, from the environment:

    - ``WEGWEISER_SESSION_IDLE_MINUTES`` (30): a session unused this long ends;
    - ``WEGWEISER_SESSION_MAX_HOURS`` (10): any session ends this long after the login;
    - ``WEGWEISER_REQUIRE_ADMIN_TOTP`` (on): admins must set up a second factor before
      any page but its set-up works.
    """
    return {
        "WEGWEISER_SESSION_IDLE_MINUTES": env_number("WEGWEISER_SESSION_IDLE_MINUTES", 30),
        "WEGWEISER_SESSION_MAX_HOURS": env_number("WEGWEISER_SESSION_MAX_HOURS", 10),
        "WEGWEISER_REQUIRE_ADMIN_TOTP": env_flag("WEGWEISER_REQUIRE_ADMIN_TOTP", True),
    }


def load_secret_key(data_dir: Path) -> str:
    """The app's secret: the environment's, else the data directory's (made once)."""
    from_env = os.environ.get("WEGWEISER_SECRET_KEY", "").strip()
    if from_env:
        return from_env
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE
    if not path.exists():
        _create_once(path)
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise RuntimeError(f"{path} holds no usable secret; delete it to have a new one made")
    return text


def _create_once(path: Path) -> None:
    """Write the secret to a private temporary file and link it into place: ``link``
    fails if another process got there first, so every process ends up reading the
    same complete file (no reader ever sees a half-written one)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
