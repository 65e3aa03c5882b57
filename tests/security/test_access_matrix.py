"""A generated access matrix: every route and method of the URL map × every kind of visitor
(anonymous, a citizen's or provider's token link, a guide of team A, a guide of team B, a
coordinator, an admin) × both ways of carrying credentials (session cookie, bearer token).

Each cell is one request with team A's real ids in the path. It is let in exactly when
``webui/access.py`` allows the role, the credentials suit the route (the API reads only bearer
tokens, the pages only the session), and, for a guide, the citizen is their own team's; every
other cell is refused as the contract says (401/403, or a login redirect for a page), and team
B's guide gets 403 on every citizen-scoped route of team A. The size is printed and recorded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.security.bodies import PAGE_FORMS, baselines, openapi_path
from tests.security.world import OFFER, attack_app, build_world, fill_path
from tests.webui.conftest import csrf_token
from tests.webui.test_access import assert_let_in
from webui import access

REPORT = os.environ.get("BROBYGGER_ACCESS_REPORT")
KINDS = ("anonymous", "token_link", "guide", "guide_b", "coordinator", "admin")
MODES = ("session", "bearer")
# after every other cell: erasing team A's citizen, and logging out (which ends the sessions)
LAST = ("api_v1.erase_citizen", "auth.logout")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = attack_app(tmp_path_factory.mktemp("matrix"))
    yield build_world(app)
    app.extensions["brobygger"].engine.dispose()


class Visitor:
    """One kind of visitor with one way of carrying credentials."""

    def __init__(self, world, kind: str, mode: str):
        self.kind, self.mode, self.form = kind, mode, {}
        self.role = {"guide_b": "guide", "anonymous": None, "token_link": None}.get(kind, kind)
        self.headers = {}
        if mode == "session":
            self.client = world.session_client(self.role and kind)
            if kind == "token_link":            # a session cookie from opening the link
                self.client.get(world.team_a.checkin_path)
            # the session's CSRF token goes with every form, so that a refusal is about access
            self.form = {"csrf_token": csrf_token(self.client, "/login")}
        else:
            self.client = world.app.test_client()
            self.headers = {"anonymous": {"Authorization": "Bearer ikke-et-token"},
                            "token_link": {"Authorization": "Bearer "
                                           + world.team_a.provider_path[3:]}
                            }.get(kind) or world.headers[kind]

    def expects_in(self, endpoint: str, path: str, citizen_scoped: bool) -> bool:
        rule = access.RULES[endpoint]
        if rule == access.PUBLIC:
            return True
        suits = (self.mode == "bearer") == path.startswith("/api/")
        return suits and access.allows(rule, self.role) and not (
            citizen_scoped and self.kind == "guide_b")

    def request(self, method: str, path: str, body: dict | None):
        if path.startswith("/api/"):
            return self.client.open(path, method=method, headers=self.headers, json=body)
        data = {**self.form, **(body or {})} if method != "GET" else None
        return self.client.open(path, method=method, headers=self.headers, data=data)


def path_values(rule: str, world) -> dict[str, str]:
    """Team A's ids for the variables of ``rule``; ``id`` means what the path says it is."""
    course = world.team_a
    token = course.checkin_path[3:] if rule.startswith("/c/") else course.provider_path[3:]
    prefixes = {"/api/v1/citizens/": course.citizen, "/api/v1/steps/": course.step,
                "/api/v1/referrals/": course.referral, "/api/v1/consents/": course.consent,
                "/api/v1/organizations/": "1"}
    value = next((v for prefix, v in prefixes.items() if rule.startswith(prefix)), OFFER)
    return {**course.ids, "token": token, "id": value, "source": "test",
            "external_id": OFFER, "ref": OFFER,
            "organization_id": "1", "filename": "style.css"}


def cells(app):
    """(endpoint, method, rule) for the whole URL map, the erasing ones last."""
    found = [(rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda cell: ((LAST.index(cell[0]) + 1) if cell[0] in LAST else 0,
                                           cell[2], cell[1]))


def assert_refused(response, visitor: Visitor, path: str) -> None:
    authenticated = visitor.role is not None and (visitor.mode == "bearer") == path.startswith("/api/")
    if path.startswith("/api/"):
        assert response.status_code == (403 if authenticated else 401), (path, visitor.kind)
        assert set(response.get_json()["error"]) == {"da", "en", "field"}
    elif not authenticated:
        assert response.status_code == 302, (path, visitor.kind, visitor.mode)
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == 403, (path, visitor.kind)


def test_a_guide_of_team_b_finds_no_trace_of_team_a_in_lists_and_bodies(world):
    """The ids team B's guide may send in a body or read in a list never reach team A (before
    the matrix below, which erases team A's citizen at its end)."""
    client, headers, course = world.app.test_client(), world.headers["guide_b"], world.team_a
    for path in ("/api/v1/citizens", "/api/v1/followups?due_before=2100-01-01"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200 and course.citizen not in answer.text
    before = world.row_counts()
    stolen = client.post("/api/v1/referrals", headers=headers, json={
        "citizen_id": course.citizen, "offer_id": "aarhus-gaagruppe",
        "consent_id": course.consent, "message": "Hej"})
    assert stolen.status_code == 403 and world.row_counts() == before
    page = world.session_client("guide_b")
    for path in ("/vejleder/", "/vejleder/opfoelgning"):
        shown = page.get(path)
        assert shown.status_code == 200
        assert course.name not in shown.text and course.citizen not in shown.text


def test_every_route_role_and_credential_is_let_in_exactly_as_the_table_says(world):
    visitors = [Visitor(world, kind, mode) for kind in KINDS for mode in MODES]
    counted = {"cells": 0, "refused": 0, "let_in": 0, "cross_team_refused": 0}
    bodies = baselines(world.team_a)
    for endpoint, method, rule in cells(world.app):
        path = fill_path(rule, path_values(rule, world))
        body = bodies.get((method.lower(), openapi_path(rule)), PAGE_FORMS.get(endpoint))
        # citizen-scoped: a guide's route naming team A's citizen in its path or its body
        scoped = access.RULES[endpoint] == access.GUIDE and ("<" in rule or "citizen_id" in
                                                             (body or {}))
        ordered = sorted(visitors, key=lambda v: v.expects_in(endpoint, path, scoped))
        for visitor in ordered:
            response = visitor.request(method, path, body)
            counted["cells"] += 1
            if visitor.expects_in(endpoint, path, scoped):
                assert response.status_code not in (401, 403), (method, path, visitor.kind,
                                                                visitor.mode)
                assert_let_in(response)
                # /readyz answers 503 "not ready" by design (no index built in this app)
                not_ready = path == "/readyz" and response.status_code == 503
                assert response.status_code < 500 or not_ready, (method, path, visitor.kind)
                counted["let_in"] += 1
            else:
                assert_refused(response, visitor, path)
                counted["refused"] += 1
                if scoped and visitor.kind == "guide_b":
                    assert world.team_a.name not in response.get_data(as_text=True)
                    counted["cross_team_refused"] += 1
    routes = len({(e, m, r) for e, m, r in cells(world.app)})
    print(f"\naccess matrix: {routes} routes × {len(KINDS)} visitors × {len(MODES)} credential "
          f"kinds = {counted['cells']} requests; {counted}")
    assert counted["cells"] == routes * len(KINDS) * len(MODES)
    assert counted["cross_team_refused"] > 0
    if REPORT:
        Path(REPORT).write_text(json.dumps({"routes": routes, "visitors": list(KINDS),
                                            "credentials": list(MODES), **counted}, indent=2)
                                + "\n", encoding="utf-8")
