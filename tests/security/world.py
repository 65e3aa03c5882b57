"""A small world to attack: staff of every role (guides in two teams), tokens for each, and in
each team a citizen with a conversation, a step, a share consent and a referral, with the
provider's and the citizen's token links. Built through the API, as a guide would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from catalogue.models import Base
from tests.casework.conftest import new_citizen
from catalogue.settings import Settings
from tests.fixtures import migrated
from tests.webui.conftest import (CASEWORK_KEY, PASSWORD, STAFF, add_staff, import_offers,
                                  log_in, offers)
from webui import create_app
from webui.auth.accounts import create_token, create_user

TEAM_B_GUIDE = "vejleder@odense.dk"
OFFER = "aarhus-gaagruppe"
# Written by reads and refusals themselves (the audit log, failed logins, API tokens, the
# index's cached vectors): "nothing written" is about the data a request asked to change.
BOOKKEEPING = {"audit_entry", "login_failure", "api_token", "offer_embedding"}


@dataclass
class Course:
    """One team's citizen and what hangs on them: ids and the two token links' paths."""

    citizen: str
    name: str
    step: str
    consent: str
    referral: str
    provider_path: str
    checkin_path: str
    network_person: str
    ids: dict = field(default_factory=dict)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def start_course(app, headers: dict, name: str) -> Course:
    """A citizen of the team ``headers`` belongs to, with everything a course holds."""
    client = app.test_client()

    def ok(response, status=(200, 201)):
        assert response.status_code in status, response.get_data(as_text=True)
        return response.get_json()

    cid = ok(client.post("/api/v1/citizens", json=new_citizen(name=name), headers=headers))["id"]
    talk = ok(client.put(f"/api/v1/citizens/{cid}/conversation", headers=headers, json={
        "dreams": "Gå ture og drikke kaffe med andre", "goals": "Ud af huset en gang om ugen",
        "network": [{"name": "Søsteren Lise", "relation": "søster", "ring": "family",
                     "closeness": 1}]}))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    step = ok(client.post(f"/api/v1/citizens/{cid}/steps", headers=headers, json={
        "offer_id": OFFER, "what": "Gå med én gang", "when": yesterday, "follow_up": yesterday}))
    consent = ok(client.post(f"/api/v1/citizens/{cid}/consents", headers=headers, json={
        "scope": {"offer_id": OFFER}, "shares": ["name", "dreams"],
        "given_at": "2026-01-01"}))["id"]
    sent = ok(client.post("/api/v1/referrals", headers=headers, json={
        "citizen_id": cid, "offer_id": OFFER, "consent_id": consent, "message": "Hej"}))
    course = Course(cid, name, step["id"], consent, sent["id"],
                    "/p/" + sent["provider_link"].split("/p/")[1],
                    "/c/" + step["checkin_link"].split("/c/")[1], talk["network"][0]["id"])
    course.ids = {"citizen_id": cid, "step_id": course.step, "referral_id": course.referral,
                  "consent_id": consent, "token": course.provider_path[3:]}
    return course


@dataclass
class World:
    """The app, each role's bearer headers, and team A's and team B's courses."""

    app: object
    headers: dict
    team_a: Course
    team_b: Course

    def session_client(self, role: str | None):
        """A test client logged in as ``role`` (``guide_b``: team B's guide; None: nobody)."""
        client = self.app.test_client()
        if role is not None:
            email = TEAM_B_GUIDE if role == "guide_b" else STAFF[role]
            assert log_in(client, email).status_code == 302
        return client

    def row_counts(self) -> dict[str, int]:
        """Rows per table, bookkeeping tables left out: compared before and after a refusal."""
        tables = [t for name, t in sorted(Base.metadata.tables.items()) if name not in BOOKKEEPING]
        counts = select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                          for t in tables))
        with self.app.extensions["brobygger"].sessions() as session:
            return dict(session.execute(counts).one()._mapping)


def attack_app(instance: Path, database_url: str = ""):
    """An app holding the test catalogue whose search index is looked at once an hour, so that
    offers created by an attack do not start a rebuild per request; the pages read the offers
    afresh whenever they changed (one cheap query), so they show what an attack stored. The
    login rate limit is lifted so that every payload reaches the login itself (the limit and the
    lockout have their own tests in ``tests/webui/test_auth.py``)."""
    app = create_app(migrated(Settings(instance_dir=instance, database_url=database_url,
                                       index_check_seconds=3600, casework_key=CASEWORK_KEY,
                                       login_rate_limit="100000 per minute")))
    app.extensions["brobygger"].records.check_seconds = 0
    app.config["TESTING"] = True
    import_offers(app, offers(), instance / "catalogue.jsonl")
    return app


def build_world(app) -> World:
    add_staff(app)
    sessions = app.extensions["brobygger"].sessions
    create_user(sessions, TEAM_B_GUIDE, "guide", "Odense", PASSWORD)
    headers = {role: bearer(create_token(sessions, email)) for role, email in STAFF.items()}
    headers["guide_b"] = bearer(create_token(sessions, TEAM_B_GUIDE))
    return World(app, headers, start_course(app, headers["guide"], "Mette Aarhusborger"),
                 start_course(app, headers["guide_b"], "Ole Odenseborger"))


def fill_path(rule: str, values: dict[str, str]) -> str:
    """A URL-map rule (``/x/<citizen_id>``, ``/x/<path:ref>``) with its variables filled in."""
    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        return values.get(name, values.get("*", "x"))
    return re.sub(r"<([^>]+)>", value, rule)
