"""Response headers that make the pages safe by default: a strict Content Security
Policy (no inline script or style, nothing from other origins — the app needs no CDN),
no framing, no MIME sniffing, no referrer to other sites."""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

__all__ = ["CSP", "init_security"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_security(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
