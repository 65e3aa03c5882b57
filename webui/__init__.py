"""Brobygger's web app: browse the catalogue and search it, every page with a JSON twin;
staff log in with accounts whose rules of access live in ``webui/access.py``."""

from __future__ import annotations

from flask import Flask

from catalogue.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app for ``settings`` (read from the environment when not given); raises
    ``catalogue.db.DatabaseNotReady`` unless ``brobygger init-db`` has made the database ready."""
    from catalogue.db import open_database
    from webui.runtime import Runtime

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies)

    engine = open_database(settings)        # migrating is `brobygger init-db`'s job alone
    app.extensions["brobygger"] = Runtime.create(settings, engine)

    from webui import access, admin, api, catalogue, coordinator, errors, guide, i18n, search, security
    from webui import contacts, coordinator_import, dashboard, followup, links, templating
    from webui import v1
    from webui.auth import web as auth

    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    auth.init_app(app, settings)
    access.init_app(app)
    security.init_app(app)
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(v1.bp)
    app.register_blueprint(coordinator.bp)   # with its import pages (coordinator_import)
    assert coordinator_import.bp is coordinator.bp
    app.register_blueprint(guide.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(links.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(followup.bp)
    return app
