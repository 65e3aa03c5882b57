"""Every form of the app, found by opening every page as each role, gets the payload lists:
each answer is inert (``tests/security/payloads.py``), a refusal writes nothing, and afterwards
every page, now showing what was stored, is inert too."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.security.conftest import EVERYTHING
from tests.security.forms import Form, forms_on
from tests.security.payloads import Payload, assert_inert, load, pairs
from tests.security.world import OFFER, attack_app, build_world, fill_path
from webui import access

ROLES = (None, "coordinator", "guide", "admin")
PAYLOADS = load()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = attack_app(tmp_path_factory.mktemp("forms"))
    yield build_world(app)
    app.extensions["brobygger"].engine.dispose()


def pages(world, role: str | None) -> list[str]:
    """Every page (not the API, not files) ``role`` may open, with team A's ids."""
    values = {**world.team_a.ids, "source": "test", "external_id": OFFER, "ref": OFFER,
              "organization_id": "1"}
    found = []
    for rule in world.app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.rule.startswith(("/api/", "/static"))
                or not access.allows(access.RULES[rule.endpoint], role)):
            continue
        token = world.team_a.checkin_path if rule.rule.startswith("/c/") else \
            world.team_a.provider_path
        found.append(token if rule.rule in ("/c/<token>", "/p/<token>")
                     else fill_path(rule.rule, values))
    return sorted(found)


def html_pages(client, paths: list[str]):
    for path in paths:
        response = client.get(path)
        if response.mimetype == "text/html":
            yield path, response


def discover(world) -> list[tuple[str | None, object, Form]]:
    """(role, that role's client, form) for every distinct form: one per endpoint and set of
    fields (the same form for another offer or seen by another role is the same form)."""
    adapter = world.app.url_map.bind("localhost")
    seen, found = set(), []
    for role in ROLES:
        client = world.session_client(role)
        for path, response in html_pages(client, pages(world, role)):
            for form in forms_on(path, response.text):
                action = form.action.split("?")[0]
                endpoint = adapter.match(action, method=form.method.upper())[0]
                key = (endpoint, form.method, tuple(form.fields()))
                if form.fields() and key not in seen:
                    seen.add(key)
                    found.append((role, client, form))
    return found


def encoded(data: dict[str, list], field: str, payload: Payload) -> str:
    """The form as a browser would send it, ``field`` holding the payload (raw bytes kept)."""
    value = payload.value if isinstance(payload.value, bytes) else payload.value.encode()
    return urlencode([(name, value if name == field else v.encode())
                      for name, values in data.items() for v in values]
                     + ([] if field in data else [(field, value)]))


def test_every_form_leaves_every_payload_inert(world, payload_report):
    forms = discover(world)
    actions = {form.action.split("?")[0] for _, _, form in forms}
    # the forms a person meets: search, login, the guide's intake and conversation, a step,
    # the referral, the follow-up, a provider's and a citizen's token pages, contacts, import
    for expected in ("/soeg", "/login", "/vejleder/borgere/ny", world.team_a.provider_path,
                     world.team_a.checkin_path, "/koordinator/tilbud/ny", "/koordinator/import"):
        assert expected in actions, expected
    assert any(a.startswith("/vejleder/borgere/") and a.endswith("/trin") for a in actions)
    for role, client, form in forms:
        for payload, field in pairs(PAYLOADS, form.fields(EVERYTHING), EVERYTHING):
            before = world.row_counts()
            body = encoded(form.baseline(), field, payload)
            where = f"{role} {form.method.upper()} {form.action} {field}={payload.value!r:.60}"
            if form.method == "get":
                response = client.get(form.action.split("?")[0] + "?" + body)
            else:
                response = client.post(form.action, data=body,
                                       content_type="application/x-www-form-urlencoded")
            assert_inert(response, [payload], where)
            if 400 <= response.status_code < 500:
                assert world.row_counts() == before, where
            if response.status_code in (302, 303):
                assert_inert(client.get(response.headers["Location"]), [payload], where)
            payload_report["forms"] += 1
    payload_report["forms_found"] = len(forms)


def test_afterwards_every_page_shows_what_was_stored_inert(world):
    """Runs after the forms above: the stored payloads, on every page of every role."""
    for role in ROLES:
        client = world.session_client(role)
        for path, response in html_pages(client, pages(world, role)):
            assert_inert(response, PAYLOADS, f"{role} GET {path}")
