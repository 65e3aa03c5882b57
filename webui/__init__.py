"""Brobygger's web app: browse the catalogue and search it, every page with a JSON twin."""

from __future__ import annotations

from flask import Flask

from catalogue.db import engine_for, init_db
from catalogue.settings import Settings, load_settings
from webui.runtime import Runtime


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    engine = engine_for(settings)
    init_db(engine)
    app.extensions["brobygger"] = Runtime.create(settings, engine)

    from webui import api, catalogue, errors, search, templating

    templating.init_app(app)
    errors.init_app(app)
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)
    return app
