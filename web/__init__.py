"""The Wegweiser web app (Flask application factory).

One store per process, opened here and closed when the process ends; views reach it with
:func:`web.store.get_store`. The app keeps no state of its own: users and their
session versions live in the store, the session is a signed cookie, and the secret comes
from the environment or the data directory (``web.config``), so any number of processes
can serve the same district. Blueprints are imported inside the factory, as in Flask's
tutorial, so that importing ``web`` has no side effects.
"""

from __future__ import annotations

import atexit
import os
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from graph.stores import StoreSettings, open_store

__all__ = ["create_app"]


def create_app(
    config: dict[str, Any] | None = None, store_settings: StoreSettings | None = None
) -> Flask:
    from web.config import load_secret_key

    settings = store_settings or StoreSettings.from_env()
    app = Flask(__name__)
    app.config.from_mapping(
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("WEGWEISER_SECURE_COOKIES", "") in {"1", "true"},
        WTF_CSRF_TIME_LIMIT=8 * 3600,  # a working day: forms left open still submit
        WEGWEISER_PASSWORD_PROFILE="default",
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,  # uploads (admin imports); larger answer 413
        WEGWEISER_DATA_DIR=str(settings.data_dir),  # job status records, uploaded files
    )
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(settings.data_dir)

    store = open_store(settings)
    app.extensions["wegweiser.store"] = store
    atexit.register(store.close)

    from web import admin, advisor, api, catalogue, coach, employer, home
    from web.audit import init_audit
    from web.auth import init_auth
    from web.errors import init_errors
    from web.i18n import init_i18n
    from web.security import init_security

    CSRFProtect(app)
    init_i18n(app)
    init_auth(app)
    init_errors(app)
    init_security(app)
    init_audit(app)
    for blueprint in (home.bp, advisor.bp, employer.bp, coach.bp, admin.bp, api.bp, catalogue.bp):
        app.register_blueprint(blueprint)
    return app
