"""Every route's access rule comes from ``webui/access.py``: the whole URL map is walked as an
anonymous visitor and as each role, for pages (login redirect) and the API (401/403 JSON)."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint, jsonify

from tests.webui.conftest import STAFF, add_staff, log_in, make_app
from webui import access
from webui.auth.accounts import create_token

VISITORS = (None, "admin", "coordinator", "guide")
PROBES = {   # rule -> the visitors it lets in, written out by hand
    "public": {None, "admin", "coordinator", "guide"},
    "staff": {"admin", "coordinator", "guide"},
    "coordinator": {"coordinator"},
    "guide": {"guide"},
    "admin": {"admin"},
    "coordinator|admin": {"coordinator", "admin"},
}


class Visitor:
    """A browser with a session cookie for the pages and a bearer token for the API."""

    def __init__(self, app, role: str | None):
        self.role = role
        self.client = app.test_client()
        self.headers = {}
        if role is not None:
            assert log_in(self.client, STAFF[role]).status_code == 302
            token = create_token(app.extensions["brobygger"].sessions, STAFF[role])
            self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str):
        headers = self.headers if path.startswith("/api/") else {}
        return self.client.open(path, method=method, headers=headers)


def routes(app):
    """(endpoint, method, a path for it) for every rule in the URL map."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def assert_refused(response, path: str, role: str | None, listed: bool = True) -> None:
    """Refused as the contract says; an endpoint missing from the table is 403 for everyone."""
    if not listed:
        assert response.status_code == 403
    elif path.startswith("/api/"):
        assert response.status_code == (401 if role is None else 403)
        error = response.get_json()["error"]
        assert set(error) == {"da", "en", "field"}
    elif role is None:
        assert response.status_code == 302
        assert response.headers["Location"] == f"/login?next={path}"
    else:
        assert response.status_code == 403 and "Det har du ikke adgang til" in response.text


def assert_let_in(response) -> None:
    assert response.status_code not in (401, 403)
    assert not response.headers.get("Location", "").startswith("/login")


def walk(app, expected_visitors) -> int:
    visitors = [Visitor(app, role) for role in VISITORS]
    checked = 0
    for endpoint, method, path in routes(app):
        let_in = expected_visitors(endpoint)
        for visitor in visitors:
            response = visitor.request(method, path)
            if visitor.role in let_in:
                assert_let_in(response)
            else:
                assert_refused(response, path, visitor.role, endpoint in access.RULES)
            checked += 1
    return checked


@pytest.fixture
def app_with_staff(tmp_path, database_url):
    """On SQLite and on PostgreSQL: the rules must hold on the production database too."""
    app = make_app(tmp_path, database_url)
    add_staff(app)
    yield app
    app.extensions["brobygger"].engine.dispose()


def test_every_endpoint_has_a_rule_and_every_rule_an_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(access.RULES)
    for rule in set(access.RULES.values()) - {"public", "staff"}:
        assert set(rule.split("|")) <= set(access.ROLES)


def test_the_whole_url_map_lets_in_exactly_whom_the_table_says(app_with_staff):
    def expected(endpoint):
        return {role for role in VISITORS if access.allows(access.RULES[endpoint], role)}

    assert walk(app_with_staff, expected) >= 4 * len(access.RULES)


def test_what_anonymous_visitors_reach_is_only_the_public_catalogue_search_login_links_probes():
    public = {e for e, rule in access.RULES.items() if rule == "public"}
    assert public == {"static", "catalogue.index", "catalogue.offers", "catalogue.offer",
                      "search.search", "api.offers", "api.offer", "api.suggestions", "auth.login",
                      "api_v1.openapi", "api_v1.search", "api_v1.offers", "api_v1.offer",
                      # token links: the token in the path authorises (tests/webui/test_links.py)
                      "links.provider", "links.citizen_checkin", "api_v1.provider_referral",
                      "api_v1.provider_answer",
                      # probes: status codes only (tests/webui/test_health.py)
                      "health.healthz", "health.readyz"}


def test_each_rule_lets_in_its_own_roles_only_and_an_unlisted_route_nobody(tmp_path, monkeypatch):
    app = make_app(tmp_path)
    add_staff(app)
    probe = Blueprint("probe", __name__)
    for number, rule in enumerate([*PROBES, "unlisted"]):
        endpoint = f"rule{number}"
        probe.add_url_rule(f"/probe/{endpoint}", f"{endpoint}_page", lambda: "ok")
        probe.add_url_rule(f"/api/probe/{endpoint}", f"{endpoint}_api",
                           lambda: jsonify({"ok": True}), methods=["GET", "POST"])
        if rule != "unlisted":
            monkeypatch.setitem(access.RULES, f"probe.{endpoint}_page", rule)
            monkeypatch.setitem(access.RULES, f"probe.{endpoint}_api", rule)
    app.register_blueprint(probe)
    rules = [*PROBES, "unlisted"]

    def expected(endpoint):
        if not endpoint.startswith("probe."):
            return {role for role in VISITORS if access.allows(access.RULES[endpoint], role)}
        rule = rules[int(re.search(r"rule(\d+)", endpoint).group(1))]
        return PROBES.get(rule, set())

    walk(app, expected)
    app.extensions["brobygger"].engine.dispose()


def test_an_unlisted_route_is_refused_even_to_an_admin(tmp_path):
    app = make_app(tmp_path)
    add_staff(app)
    app.add_url_rule("/glemt", "forgotten", lambda: "hemmeligt")
    admin = Visitor(app, "admin")
    response = admin.request("GET", "/glemt")
    assert response.status_code == 403 and "hemmeligt" not in response.text
    app.extensions["brobygger"].engine.dispose()
