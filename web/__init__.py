"""The Wegweiser web app (Flask application factory).

One store per process, opened here and closed when the process ends; views reach it with
:func:`web.store.get_store`. Blueprints are imported inside the factory, as in Flask's
tutorial, so that importing ``web`` has no side effects.
"""

from __future__ import annotations

import atexit
from typing import Any

from flask import Flask

from graph.stores import StoreSettings, open_store

__all__ = ["create_app"]


def create_app(
    config: dict[str, Any] | None = None, store_settings: StoreSettings | None = None
) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(JSON_SORT_KEYS=False)
    if config:
        app.config.update(config)

    store = open_store(store_settings or StoreSettings.from_env())
    app.extensions["wegweiser.store"] = store
    atexit.register(store.close)

    from web import home

    app.register_blueprint(home.bp)
    return app
