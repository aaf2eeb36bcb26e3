"""Pseudonyms under which employers see candidates.

An employer must be able to talk about "candidate K7F3-Q9XA" (ask for contact, come back
to them next week) without learning who it is, and two employers must not be able to
join their lists to follow one person across companies. So the pseudonym is an HMAC of
the candidate id under a key that is itself derived from the app's secret and the
company id: stable for one company, different for every company, and not reversible
without the secret. Nothing is stored; the server finds the candidate behind a pseudonym
by recomputing the pseudonyms of the candidates the employer may see.

Rotating the secret changes every pseudonym (employers' notes then no longer match).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

__all__ = ["company_key", "pseudonym", "resolve_pseudonym"]

_PURPOSE = b"wegweiser/candidate-pseudonym/v1/company:"
_LENGTH = 8
"""Base-32 characters: 40 bits, collision-free far beyond a district's candidates."""


def company_key(secret: bytes | str, company_id: str) -> bytes:
    """The per-company key, derived from the app secret (HMAC-SHA256 as a KDF)."""
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not secret_bytes:
        raise ValueError("a pseudonym needs a non-empty secret")
    return hmac.new(secret_bytes, _PURPOSE + company_id.encode("utf-8"), hashlib.sha256).digest()


def pseudonym(secret: bytes | str, company_id: str, candidate_id: str) -> str:
    """The pseudonym of ``candidate_id`` for ``company_id``, e.g. ``"K7F3-Q9XA"``."""
    return _code(company_key(secret, company_id), candidate_id)


def resolve_pseudonym(
    secret: bytes | str, company_id: str, given: str, candidate_ids: Iterable[str]
) -> str | None:
    """The candidate among ``candidate_ids`` (those the employer may see) whose pseudonym
    for ``company_id`` is ``given`` (case and spaces ignored), or None."""
    wanted = given.strip().upper()
    key = company_key(secret, company_id)
    for candidate_id in candidate_ids:
        if hmac.compare_digest(_code(key, candidate_id), wanted):
            return candidate_id
    return None


def _code(key: bytes, candidate_id: str) -> str:
    digest = hmac.new(key, candidate_id.encode("utf-8"), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:_LENGTH]
    return f"{text[:4]}-{text[4:]}"
