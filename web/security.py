"""Response headers that make the pages safe by default: a strict Content Security
Policy (no inline script or style, nothing from other origins — the app needs no CDN),
no framing (``frame-ancestors 'none'`` and ``X-Frame-Options``), no MIME sniffing, no
referrer to other sites, HSTS whenever the request came over TLS, and nothing with
personal data kept in caches.

The session cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request
came over TLS (or ``WEGWEISER_SECURE_COOKIES`` says so). Behind a reverse proxy that
terminates TLS, set ``WEGWEISER_TRUSTED_PROXIES`` to the number of proxies in front of
the app: their ``X-Forwarded-For``/``-Proto`` headers are then believed (``ProxyFix``),
so the client address for rate limits and the TLS check are the real ones — and never
believed without that setting, since any client can send them.
"""

from __future__ import annotations

import os

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

__all__ = ["CSP", "HSTS", "init_security"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
_NO_STORE = {"text/html", "application/json", "application/problem+json", "text/csv"}


class _SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, Secure also when the request itself came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_security(app: Flask) -> None:
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if app.config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = _SessionInterface()
    proxies = int(
        app.config.get("WEGWEISER_TRUSTED_PROXIES")
        or os.environ.get("WEGWEISER_TRUSTED_PROXIES", "0")
        or 0
    )
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype in _NO_STORE:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
