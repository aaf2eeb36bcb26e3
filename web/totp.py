"""The optional second factor: time-based one-time codes (TOTP, RFC 6238) with pyotp.

A code is six digits for a 30-second step; one step of clock drift either way is
accepted. The step of the last accepted code is stored on the user
(``User.totp_last_step``) and only later steps are accepted afterwards, so a code seen
over someone's shoulder or replayed from a log is refused even inside its window — in
every app process, because the step lives in the store.

While someone sets the factor up, the secret is not put into the session cookie (which
is signed, not encrypted): the cookie carries only a random nonce, and the secret is
derived from it with the app's secret key (HMAC). Only the confirmed secret is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

__all__ = [
    "ISSUER",
    "STEP_SECONDS",
    "CodeForm",
    "DisableForm",
    "derived_secret",
    "grouped",
    "matching_step",
    "provisioning_uri",
    "qr_data_uri",
]

ISSUER = "Wegweiser"
STEP_SECONDS = 30
DRIFT_STEPS = 1
_CODE = re.compile(r"^\d{6}$")


class CodeForm(FlaskForm):
    """Six digits from the authenticator app (also used to confirm the set-up)."""

    code = StringField(
        _l("Code aus der Authenticator-App"),
        validators=[
            DataRequired(_l("Bitte geben Sie den sechsstelligen Code ein.")),
            Length(max=20),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Bestätigen"))


class DisableForm(CodeForm):
    """Switching the second factor off needs a current code, too."""

    submit = SubmitField(_l("Zweiten Faktor abschalten"))


def derived_secret(app_secret: str, user_id: str, nonce: str) -> str:
    """The base32 secret offered during set-up: 160 bits derived from the app's secret,
    the user and the session's nonce (so the cookie never holds the secret itself)."""
    digest = hmac.new(
        app_secret.encode(), f"totp-setup:{user_id}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code or by hand)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI for an ``<img>`` (segno writes plain
    SVG paths; an image needs no inline style or script, so the CSP stays strict)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four letters, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, last_step: int, at: float) -> int | None:
    """The 30-second step whose code ``code`` is, if it is within the allowed drift of
    time ``at`` and later than ``last_step`` (the last accepted one); else None."""
    code = re.sub(r"\s+", "", code or "")
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now_step = int(at // STEP_SECONDS)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None
