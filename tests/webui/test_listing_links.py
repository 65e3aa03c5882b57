"""Listings that stay true, as a coordinator and a provider meet them: the coordinator makes a
provider's link for a listing; the provider opens it with no account, confirms the listing and
says it is full, and the offer page, the API and the search then say so; the used link reveals
nothing; a provider who finds something wrong says so instead, and the coordinator meets the
report on the worklist and marks it handled; the JSON twin does the same for systems; the
worklist lists what to fix and the confirmation request lands in the outbox."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casework.models import OutboxMessage
from catalogue.contacts import list_contacts, set_contact
from tests.webui.conftest import STAFF, add_staff, csrf_token, log_in, make_app
from tests.webui.page import Page
from tests.webui.test_api_v1 import check
from webui.auth.accounts import create_token

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


WORDS = "Vi mødes nu ved Den Permanente, ikke i Riis Skov."


def _report_form(provider, path: str, **fields):
    return provider.post(path, data={"csrf_token": csrf_token(provider, path), "action": "report",
                                     **fields})


def _reports_section(coordinator) -> str:
    page = Page(coordinator.get("/koordinator/arbejdslister").text)
    return page.text.split("Udbydere melder fejl")[1].split("Ikke bekræftet længe")[0]


def test_the_provider_says_something_is_wrong_and_the_coordinator_handles_it(listing_app):
    coordinator = _coordinator(listing_app)
    path = _listing_path(coordinator)
    provider = listing_app.test_client()
    page = Page(provider.get(path).text)
    assert "Noget er forkert" in page.text and "Højst 1.000 tegn." in page.text
    assert page.find("textarea", id="report-text", name="text")
    assert page.find("label", **{"for": "report-text"})
    assert [t["value"] for t in page.find("input", name="part")] == [
        "time", "place", "contact", "description", "ended", "other"]
    empty = _report_form(provider, path, part="place", text="  ")
    assert empty.status_code == 422
    refused = Page(empty.text)
    assert refused.find("p", id="fejl-melding")[0]["role"] == "alert"
    assert "Skriv, hvad der er forkert" in refused.text
    [field] = refused.find("textarea", id="report-text")
    assert field["aria-invalid"] == "true" and "fejl-melding" in field["aria-describedby"]
    assert "checked" in refused.find("input", name="part", value="place")[0]
    too_long = _report_form(provider, path, text="x" * 1001)
    assert too_long.status_code == 422 and "Skriv højst 1.000 tegn (nu 1.001)" in too_long.text
    assert "x" * 1001 in too_long.text                   # what the provider wrote is kept
    assert "Ingen meldinger, der venter." in coordinator.get("/koordinator/arbejdslister").text
    done = _report_form(provider, path, part="place", text=WORDS)
    assert done.status_code == 200
    thanks = Page(done.text).text
    assert "Tak for meldingen" in thanks and "En koordinator ser på det" in thanks
    assert "Linket er brugt" in thanks
    assert provider.get(path).status_code == 409                         # one answer
    offer = listing_app.test_client().get(f"/api/v1/offers/{OFFER}").get_json()
    assert offer["capacity"] == "open" and offer["assured_date"] == "2025-09-01"  # unchanged
    section = _reports_section(coordinator)
    assert "Gågruppe for seniorer" in section and "Sted" in section and WORDS in section
    history = Page(coordinator.get(f"/koordinator/tilbud/{OFFER}/historik").text).text
    assert "Fejl meldt af udbyderen (link)" in history and WORDS in history
    [handle] = [f for f in Page(coordinator.get("/koordinator/arbejdslister").text).find("form")
                if "/koordinator/meldinger/" in f.get("action", "")]
    without_csrf = coordinator.post(handle["action"])
    assert without_csrf.status_code == 400 and WORDS in _reports_section(coordinator)
    handled = coordinator.post(handle["action"], data={
        "csrf_token": csrf_token(coordinator, "/koordinator/arbejdslister")},
        follow_redirects=True)
    assert handled.status_code == 200
    assert "Meldingen er markeret som håndteret." in Page(handled.text).text
    assert WORDS not in _reports_section(coordinator)
    assert coordinator.post("/koordinator/meldinger/999999/haandteret", data={
        "csrf_token": csrf_token(coordinator, "/koordinator/arbejdslister")}).status_code == 404


def test_the_report_page_and_worklist_in_english(listing_app):
    coordinator = _coordinator(listing_app)
    path = _listing_path(coordinator)
    provider = listing_app.test_client()
    page = Page(provider.get(path + "?lang=en").text).text
    assert "Something is wrong" in page and "The offer no longer runs" in page
    assert "At most 1,000 characters." in page
    refused = _report_form(provider, path + "?lang=en", text="")
    assert refused.status_code == 422 and "Write what is wrong" in refused.text
    done = _report_form(provider, path + "?lang=en", part="ended", text="Holdet er lukket")
    assert "Thank you for the report" in Page(done.text).text
    worklist = Page(coordinator.get("/koordinator/arbejdslister?lang=en").text).text
    assert "Providers report errors" in worklist and "The offer no longer runs" in worklist


def test_guides_and_strangers_cannot_see_or_handle_reports(listing_app):
    guide = listing_app.test_client()
    log_in(guide, STAFF["guide"])
    assert guide.get("/koordinator/arbejdslister").status_code == 403
    assert guide.post("/koordinator/meldinger/1/haandteret", data={
        "csrf_token": csrf_token(guide, "/soeg")}).status_code == 403
    stranger = listing_app.test_client().post("/koordinator/meldinger/1/haandteret")
    assert stranger.status_code == 302 and stranger.headers["Location"].startswith("/login")


def test_the_json_twin_reports_a_problem(listing_app):
    coordinator = _coordinator(listing_app)
    api = "/api/v1/provider/" + _listing_path(coordinator).removeprefix("/p/")
    system = listing_app.test_client()
    for body, field in (({"action": "report", "text": ""}, "text"),
                        ({"action": "report", "part": "weather", "text": "Forkert"}, "part"),
                        ({"action": "report", "text": "x" * 1001}, "text"),
                        ({"action": "wrong", "text": "Forkert"}, "action")):
        refused = check(system.post(api, json=body), 422, "/api/v1/provider/{token}", "post")
        assert refused["error"]["field"] == field and refused["error"]["da"]
    assert "Ingen meldinger, der venter." in coordinator.get("/koordinator/arbejdslister").text
    answer = check(system.post(api, json={"action": "report", "part": "contact",
                                          "text": "Ring til Bente i stedet"}),
                   200, "/api/v1/provider/{token}", "post")
    assert (answer["offer_id"], answer["action"], answer["part"]) == (OFFER, "report", "contact")
    assert "Ring til Bente i stedet" not in str(answer)
    check(system.post(api, json={"action": "confirm", "capacity": "open"}), 409,
          "/api/v1/provider/{token}", "post")
    assert "Ring til Bente i stedet" in _reports_section(coordinator)
    token = create_token(listing_app.extensions["brobygger"].sessions, STAFF["coordinator"])
    history = check(system.get(f"/api/v1/offers/{OFFER}/history",
                               headers={"Authorization": f"Bearer {token}"}), 200,
                    "/api/v1/offers/{id}/history")
    assert history["changes"][-1]["action"] == "provider_report"
    assert (history["changes"][-1]["field"], history["changes"][-1]["new"]) == (
        "contact", "Ring til Bente i stedet")


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
