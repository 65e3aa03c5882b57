"""Every route and its access rule (``webui.access.RULES``) as the Markdown of docs/routes.md.

``python -m webui.routes > docs/routes.md`` regenerates the page; a test fails when it is out of
date. The URL map comes from the blueprints on a bare app, so no database is needed.
"""

from __future__ import annotations

from flask import Flask

from webui.access import PUBLIC, RULES, STAFF

ROLE_NAMES = {"admin": ("admin", "admin"), "coordinator": ("koordinator", "coordinator"),
              "guide": ("vejleder", "guide")}
HEADER = """# Ruter og adgang / routes and access

Genereret af `python -m webui.routes > docs/routes.md` fra `webui/access.py`; ret ikke i hånden.
Generated from `webui/access.py`'s table; do not edit by hand (a test fails when it is stale).

| sti / path | metoder / methods | endpoint | adgang / access |
|---|---|---|---|
"""


def describe(rule: str | None) -> str:
    """An access rule in Danish, then English."""
    if rule is None:
        return "ingen regel: afvist for alle / no rule: refused to everyone"
    if rule == PUBLIC:
        return "offentlig / public"
    if rule == STAFF:
        return "personale, enhver rolle / staff, any role"
    roles = [ROLE_NAMES[role] for role in rule.split("|")]
    return (" eller ".join(da for da, _ in roles) + " / " + " or ".join(en for _, en in roles))


def route_rows(app: Flask) -> list[tuple[str, str, str, str]]:
    """(path, methods, endpoint, access) for every rule of ``app``'s URL map, by path."""
    rows = [(rule.rule, ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})), rule.endpoint,
             describe(RULES.get(rule.endpoint))) for rule in app.url_map.iter_rules()]
    return sorted(rows)


def bare_app() -> Flask:
    from webui import register_blueprints

    app = Flask("webui")
    register_blueprints(app)
    return app


def routes_markdown(app: Flask | None = None) -> str:
    rows = route_rows(app or bare_app())
    return HEADER + "".join(f"| `{path}` | {methods} | `{endpoint}` | {access} |\n"
                            for path, methods, endpoint, access in rows)


if __name__ == "__main__":
    print(routes_markdown(), end="")
