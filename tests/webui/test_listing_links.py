"""Listings that stay true, as a coordinator and a provider meet them: the coordinator makes a
provider's link for a listing; the provider opens it with no account, confirms the listing and
says it is full, and the offer page, the API and the search then say so; the used link reveals
nothing; the JSON twin does the same for systems; the worklist lists what to fix and the
confirmation request lands in the outbox."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casework.models import OutboxMessage
from catalogue.contacts import list_contacts, set_contact
from tests.webui.conftest import STAFF, add_staff, csrf_token, log_in, make_app
from tests.webui.page import Page
from tests.webui.test_api_v1 import check

OFFER = "aarhus-gaagruppe"
EDIT = f"/koordinator/tilbud/{OFFER}/ret"


@pytest.fixture
def listing_app(tmp_path):
    app = make_app(tmp_path)
    add_staff(app)
    yield app
    app.extensions["brobygger"].engine.dispose()


def _coordinator(app):
    client = app.test_client()
    log_in(client, STAFF["coordinator"])
    return client


def _listing_path(coordinator) -> str:
    """The coordinator makes a provider's link on the offer's page; the path part of it."""
    page = coordinator.post(f"/koordinator/tilbud/{OFFER}/udbyderlink",
                            data={"csrf_token": csrf_token(coordinator, EDIT)})
    assert page.status_code == 200
    link = Page(page.text).find("input", id="link")[0]["value"]
    assert link.startswith("http://localhost/p/")
    return link.removeprefix("http://localhost")


def test_the_provider_confirms_the_listing_and_sets_it_full_and_everyone_sees_it(listing_app):
    path = _listing_path(_coordinator(listing_app))
    provider = listing_app.test_client()                 # no account, no session
    page = provider.get(path)
    text = Page(page.text).text
    assert page.status_code == 200 and "Er oplysningerne om Gågruppe for seniorer rigtige?" in text
    assert "tirsdage kl. 10-12" in text and page.headers["Cache-Control"] == "no-store"
    assert "<script" not in page.text
    refused = provider.post(path, data={"csrf_token": csrf_token(provider, path),
                                        "capacity": "lots"})
    assert refused.status_code == 422 and "open, waitlist eller full" in refused.text
    done = provider.post(path, data={"csrf_token": csrf_token(provider, path), "capacity": "full"})
    assert done.status_code == 200 and "Tak, tilbuddet er bekræftet" in done.text
    offer = listing_app.test_client().get(f"/api/v1/offers/{OFFER}").get_json()
    assert offer["capacity"] == "full" and offer["assured_date"] == date.today().isoformat()
    assert offer["access"]["code"] == "pool"
    shown = Page(listing_app.test_client().get(f"/tilbud/test/{OFFER}").text).text
    assert "Fuldt" in shown and "Der er fuldt lige nu" in shown
    history = _coordinator(listing_app).get(f"/koordinator/tilbud/{OFFER}/historik")
    assert "Bekræftet af udbyderen (link)" in Page(history.text).text
    again = provider.get(path)
    assert again.status_code == 409 and "Linket kan ikke bruges" in again.text
    assert "Gågruppe" not in again.text and "Riis Skov" not in again.text


def test_the_json_twin_shows_and_confirms_a_listing(listing_app):
    path = _listing_path(_coordinator(listing_app))
    api = "/api/v1/provider/" + path.removeprefix("/p/")
    system = listing_app.test_client()
    shown = check(system.get(api), 200, "/api/v1/provider/{token}")
    assert shown["name"] == "Gågruppe for seniorer" and shown["capacity"] == "open"
    refused = check(system.post(api, json={"action": "confirm", "capacity": "maybe"}), 422,
                    "/api/v1/provider/{token}", "post")
    assert refused["error"]["field"] == "capacity"
    assert check(system.post(api, data="x"), 400, "/api/v1/provider/{token}", "post")
    answer = check(system.post(api, json={"action": "confirm", "capacity": "waitlist"}), 200,
                   "/api/v1/provider/{token}", "post")
    assert answer == {"offer_id": OFFER, "assured_date": date.today().isoformat(),
                      "capacity": "waitlist"}
    used = check(system.get(api), 409, "/api/v1/provider/{token}")
    assert "Gågruppe" not in str(used)


def test_the_worklist_lists_what_to_fix_and_asks_providers_to_confirm(listing_app):
    sessions = listing_app.extensions["brobygger"].sessions
    [org] = [o for o in list_contacts(sessions) if o.name == "Ældre Sagen Aarhus"]
    set_contact(sessions, org.id, "aeldresagen@example.dk")
    coordinator = _coordinator(listing_app)
    page = Page(coordinator.get("/koordinator/arbejdslister").text)
    section = page.text.split("Tilbud, der skal rettes")[1].split("Svære at nå")[0]
    assert "Gågruppe for seniorer" in section and "Ikke bekræftet i 12 måneder" in section
    assert "Sorggruppe" in section and "Beskrivelsen er for kort" in section
    assert "Ingen kontakt" in section and "Ingen tider" in section and "Ingen målgruppe" in section
    assert "Gældsgruppen i Odense" not in section             # it ran out in 2024: not shown
    for _ in range(2):       # the second time nothing new: the listing has an open link
        done = coordinator.post("/koordinator/bekraeftelser", data={
            "csrf_token": csrf_token(coordinator, "/koordinator/arbejdslister")},
            follow_redirects=True)
        assert done.status_code == 200
    with sessions() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
    assert message.to_address == "aeldresagen@example.dk"


def test_the_api_quality_is_the_listing_score(listing_app):
    client = listing_app.test_client()
    scores = {o["id"]: o["quality"] for o in client.get("/api/v1/offers").get_json()["offers"]}
    assert all(0 <= score <= 1 for score in scores.values())
    # a bare two-line listing: short, no contact, no times, no target group, never confirmed
    assert scores["sorggruppe"] == min(scores.values()) < scores["aarhus-gaagruppe"]
