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

    from webui.params import BoundedJSONProvider

    from webui import requestlog

    settings = settings or load_settings()
    app = Flask(__name__)
    requestlog.init_app(app, behind_proxy=settings.trusted_proxies > 0)
    app.json = BoundedJSONProvider(app)
    app.config["SECRET_KEY"] = settings.secret_key
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies)

    engine = open_database(settings)        # migrating is `brobygger init-db`'s job alone
    app.extensions["brobygger"] = Runtime.create(settings, engine)

    from webui import access, errors, i18n, security, templating
    from webui.auth import web as auth

    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    auth.init_app(app, settings)
    access.init_app(app)
    security.init_app(app)
    register_blueprints(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Every area of the site; on a bare app too, to list the routes (``webui.routes``)."""
    from webui import admin, api, catalogue, contacts, coordinator, coordinator_import, dashboard
    from webui import coordinator_listings
    from webui import followup, guide, health, links, search, v1
    from webui.auth import views as auth_views

    for blueprint in (auth_views.bp, catalogue.bp, search.bp, api.bp, v1.bp, coordinator.bp,
                      guide.bp, admin.bp, links.bp, contacts.bp, dashboard.bp, followup.bp,
                      health.bp):
        app.register_blueprint(blueprint)
    assert coordinator_import.bp is coordinator.bp     # the import pages are coordinator pages
    assert coordinator_listings.bp is coordinator.bp   # and the listing links
