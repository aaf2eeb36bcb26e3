"""Password hashing with Argon2id (argon2-cffi), used by the login and by the CLI.

The cost parameters travel inside each hash, so verifying follows the hash; hashes made
with weaker parameters than the current ones are upgraded at the next login
(``needs_rehash``). The "cheap" profile exists for tests only.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["MIN_LENGTH", "Passwords", "generate_password", "password_problems"]

MIN_LENGTH = 10
_PROFILES = {"default": profiles.RFC_9106_LOW_MEMORY, "cheap": profiles.CHEAPEST}


class Passwords:
    def __init__(self, profile: str = "default") -> None:
        if profile not in _PROFILES:
            raise ValueError(f"unknown password profile {profile!r} (use {', '.join(_PROFILES)})")
        self._hasher = PasswordHasher.from_parameters(_PROFILES[profile])

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def waste_time(self, password: str) -> None:
        """Verify against a dummy hash, so that an unknown e-mail address takes as long
        as a wrong password and the login does not reveal who has an account."""
        self.verify(_dummy_hash(self), password)


@cache
def _dummy_hash(passwords: Passwords) -> str:
    return passwords.hash(secrets.token_hex(16))


def password_problems(password: str) -> list[str]:
    """Why a new password is not acceptable (empty list: it is)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"password: at least {MIN_LENGTH} characters, got {len(password)}")
    if password != password.strip():
        problems.append("password: must not start or end with a space")
    return problems


def generate_password() -> str:
    """A random password people can type: 4 groups of 4 letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    groups = ("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
    return "-".join(groups)
