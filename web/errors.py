"""Errors as pages in the visitor's language, and as RFC 9457 problem details under
``/api/``: one place that maps HTTP errors (and CSRF failures) to responses."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

__all__ = ["init_errors"]


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Ungültige Anfrage"), _("Die Anfrage war unvollständig oder fehlerhaft.")),
        401: (_("Anmeldung nötig"), _("Bitte melden Sie sich an.")),
        403: (_("Kein Zugriff"), _("Dieser Bereich ist für Ihre Rolle nicht freigegeben.")),
        404: (_("Nicht gefunden"), _("Diese Seite gibt es nicht – oder nicht für Sie.")),
        405: (_("Ungültige Anfrage"), _("Die Anfrage war unvollständig oder fehlerhaft.")),
        500: (_("Fehler"), _("Etwas ist schiefgegangen. Bitte versuchen Sie es später erneut.")),
    }


def _respond(status: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, text = _messages().get(status, (_("Fehler"), ""))
    detail = detail or text
    if request.path.startswith("/api/"):
        body = jsonify(type="about:blank", title=title, status=status, detail=detail)
        body.mimetype = "application/problem+json"
        return body, status
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[Response | str, int]:
        return _respond(
            400,
            _(
                "Das Formular ist abgelaufen oder kam nicht von dieser Seite. "
                "Bitte laden Sie die Seite neu und senden Sie es erneut."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return _respond(error.code or 500)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[Response | str, int]:
        return _respond(500)
