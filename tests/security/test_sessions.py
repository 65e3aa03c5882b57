"""Sessions under attack: fixation (the cookie changes at login and a cookie from before the
login never becomes a logged-in one), logout ends the session even where the cookie was copied,
a line break in ``next`` is no header, and CSRF on every state-changing page route of the URL
map, generated: each refuses a request without the token (400) and writes nothing. The lockout
is tested in ``tests/webui/test_auth.py``."""

from __future__ import annotations

import pytest

from tests.security.world import OFFER, attack_app, build_world, fill_path
from tests.webui.conftest import STAFF, csrf_token, log_in
from webui import access
from webui.auth.web import SESSION_COOKIE


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = attack_app(tmp_path_factory.mktemp("sessions"))
    yield build_world(app)
    app.extensions["brobygger"].engine.dispose()


def cookie(client) -> str | None:
    found = client.get_cookie(SESSION_COOKIE)
    return found.value if found else None


def holding(world, value: str):
    """A second browser holding a copy of ``value`` as its session cookie."""
    other = world.app.test_client()
    other.set_cookie(SESSION_COOKIE, value, secure=True, httponly=True)
    return other


def is_logged_in(client) -> bool:
    return client.get("/personale").status_code == 200


def test_a_cookie_from_before_the_login_never_becomes_logged_in(world):
    victim = world.app.test_client()
    victim.get("/login")                               # the attacker planted or read this one
    planted = cookie(victim)
    assert planted is not None
    assert log_in(victim, STAFF["guide"]).status_code == 302
    assert cookie(victim) != planted and is_logged_in(victim)
    assert not is_logged_in(holding(world, planted))


def test_logout_ends_the_session_even_where_the_cookie_was_copied(world):
    victim = world.app.test_client()
    assert log_in(victim, STAFF["coordinator"]).status_code == 302
    stolen = holding(world, cookie(victim))
    assert is_logged_in(stolen)
    victim.post("/logout", data={"csrf_token": csrf_token(victim, "/personale")})
    assert not is_logged_in(victim) and not is_logged_in(stolen)
    again = world.app.test_client()                    # logging in afresh works at once
    assert log_in(again, STAFF["coordinator"]).status_code == 302 and is_logged_in(again)


@pytest.mark.parametrize("target", ["/personale\r\nX-Injected: ja", "/\nSet-Cookie: a=1",
                                    "//ondt.example", "https://ondt.example/"])
def test_next_after_login_is_only_a_plain_path_on_this_site(world, target):
    client = world.app.test_client()
    path = "/login?next=" + target.replace("\r", "%0D").replace("\n", "%0A")
    response = client.post(path, data={"csrf_token": csrf_token(client, "/login"),
                                       "email": STAFF["admin"], "password": "korrekt-hest-batteri"})
    assert response.status_code == 302 and response.headers["Location"] == "/personale"


def state_changing_pages(app):
    """(endpoint, method, rule) of every page route that changes state."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            yield rule.endpoint, method, rule.rule


def test_every_state_changing_page_refuses_a_request_without_its_csrf_token(world):
    values = {**world.team_a.ids, "ref": OFFER, "organization_id": "1"}
    clients = {role: world.session_client(role) for role in (None, *STAFF)}
    checked = 0
    for endpoint, method, rule in state_changing_pages(world.app):
        role = next(r for r in clients if access.allows(access.RULES[endpoint], r))
        token = {"/c/<token>": world.team_a.checkin_path[3:]}.get(rule, values["token"])
        path = fill_path(rule, {**values, "token": token})
        before = world.row_counts()
        response = clients[role].open(path, method=method, data={
            "confirm": "yes", "q": "gåtur", "email": STAFF["admin"], "status": "accepted",
            "action": "accept", "happened": "ja", "dreams": "Ændret uden token"})
        assert response.status_code == 400, (method, path, response.status_code)
        assert "Formularen kunne ikke sendes" in response.text
        assert world.row_counts() == before, path
        checked += 1
    assert checked >= 20
    assert is_logged_in(clients["admin"])               # the refused logout did nothing
