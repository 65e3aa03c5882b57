"""docs/routes.md lists every route of the app with its rule from ``webui/access.py``."""

from __future__ import annotations

from pathlib import Path

from webui.routes import bare_app, describe, route_rows, routes_markdown

ROUTES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "routes.md"


def test_docs_routes_md_is_up_to_date():
    assert ROUTES_PAGE.read_text(encoding="utf-8") == routes_markdown(), (
        "docs/routes.md is stale: run `python -m webui.routes > docs/routes.md`")


def test_the_bare_url_map_is_the_real_apps(app):
    assert route_rows(bare_app()) == route_rows(app)


def test_rules_read_in_danish_then_english():
    assert describe("public") == "offentlig / public"
    assert describe("coordinator|admin") == "koordinator eller admin / coordinator or admin"
    assert describe(None).startswith("ingen regel")
