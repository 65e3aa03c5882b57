"""The pages behind token links, as a provider and a citizen meet them: no login, only what the
consent shares, one answer each, the guide sees it at once; used, withdrawn, expired and unknown
links give a clear page in Danish and English that reveals nothing; the JSON twin for systems."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from casework.models import PlanStep, Referral
from tests.casework.conftest import MARKER, new_citizen
from tests.webui.conftest import STAFF, add_staff, csrf_token, make_app
from tests.webui.page import Page
from tests.webui.test_api_v1 import check
from webui.auth.accounts import create_token

GOALS = "Et mål ingen udbyder må se"


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("links"))
    add_staff(app)
    guide = {"Authorization": "Bearer " + create_token(app.extensions["brobygger"].sessions,
                                                       STAFF["guide"])}
    yield app, guide
    app.extensions["brobygger"].engine.dispose()


def _citizen(client, guide) -> str:
    cid = client.post("/api/v1/citizens", json=new_citizen(), headers=guide).get_json()["id"]
    client.put(f"/api/v1/citizens/{cid}/conversation", headers=guide,
               json={"dreams": MARKER, "goals": GOALS, "notes": "Privat note"})
    return cid


def _referral(client, guide) -> tuple[str, str, str]:
    """(citizen id, referral id, the provider's path /p/...)."""
    cid = _citizen(client, guide)
    consent = client.post(f"/api/v1/citizens/{cid}/consents", headers=guide, json={
        "scope": {"offer_id": "aarhus-gaagruppe"}, "shares": ["name", "dreams"],
        "given_at": "2026-01-01"}).get_json()["id"]
    sent = client.post("/api/v1/referrals", headers=guide, json={
        "citizen_id": cid, "offer_id": "aarhus-gaagruppe", "consent_id": consent,
        "message": "Hun kommer gerne med sin søster"}).get_json()
    return cid, sent["id"], "/p/" + sent["provider_link"].split("/p/")[1]


def _closed(response, status: int, *absent: str) -> str:
    assert response.status_code == status
    text = Page(response.text).text
    assert "Linket kan ikke bruges" in text or "for tidligt at svare" in text
    for secret in (MARKER, "Mette", GOALS, *absent):
        assert secret not in response.text
    return text


def test_the_provider_opens_the_link_without_login_sees_only_what_is_shared_and_accepts(loop):
    app, guide = loop
    _, referral, path = _referral(app.test_client(), guide)
    provider = app.test_client()                      # a fresh browser: no account, no session
    page = provider.get(path)
    assert page.status_code == 200
    text = Page(page.text).text
    assert "Gågruppe for seniorer" in text and "Mette" in text and MARKER in text
    assert GOALS not in page.text and "Privat note" not in page.text
    assert "Hun kommer gerne med sin søster" in text and "Aarhus" in text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "<script" not in page.text
    assert provider.post(path, data={"action": "accept"}).status_code == 400     # no CSRF token
    done = provider.post(path, data={"csrf_token": csrf_token(provider, path), "action": "accept",
                                     "note": "Mød op torsdag kl. 10 ved kirken"})
    assert done.status_code == 200 and "Tak for svaret" in done.text and MARKER not in done.text
    seen = app.test_client().get(f"/api/v1/referrals/{referral}", headers=guide).get_json()
    assert seen["status"] == "accepted" and seen["answer"]["note"].startswith("Mød op torsdag")
    due = app.test_client().get(f"/api/v1/followups?due_before={date.today() + timedelta(days=30)}",
                                headers=guide).get_json()
    assert [r["status"] for r in due["referrals"] if r["id"] == referral] == ["accepted"]
    text = _closed(provider.get(path), 409)
    assert "allerede brugt" in text and "already been used" in text


def test_a_proposed_time_and_a_declined_referral_by_the_api(loop):
    app, guide = loop
    client = app.test_client()
    _, referral, path = _referral(client, guide)
    api = "/api/v1/provider/" + path.removeprefix("/p/")
    shown = check(client.get(api), 200, "/api/v1/provider/{token}")
    assert shown["citizen"] == {"name": "Mette", "dreams": MARKER}
    refused = check(client.post(api, json={"action": "propose", "time": "snart"}), 422,
                    "/api/v1/provider/{token}", "post")
    assert refused["error"]["field"] == "time"
    check(client.post(api, json=["accept"]), 400, "/api/v1/provider/{token}", "post")
    answer = check(client.post(api, json={"action": "propose", "time": "2026-12-10T10:00"}), 200,
                   "/api/v1/provider/{token}", "post")
    assert answer["status"] == "proposed"
    again = check(client.post(api, json={"action": "accept"}), 409, "/api/v1/provider/{token}",
                  "post")
    assert again["error"]["da"] and again["error"]["en"]
    _, referral, path = _referral(client, guide)
    form = {"csrf_token": csrf_token(client, path), "action": "decline"}
    page = client.post(path, data=form)
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text
    assert client.post(path, data={**form, "reason": "full"}).status_code == 200
    assert client.get(f"/api/v1/referrals/{referral}", headers=guide).get_json()["answer"][
        "reason"] == "full"


def test_withdrawn_expired_and_unknown_links_reveal_nothing(loop):
    app, guide = loop
    client = app.test_client()
    cid, referral, path = _referral(client, guide)
    consent = client.get(f"/api/v1/citizens/{cid}/plan", headers=guide).get_json()["consents"][0]
    client.delete(f"/api/v1/consents/{consent['id']}", headers=guide)
    text = _closed(client.get(path), 410, "Hun kommer gerne")
    assert "samtykket er trukket tilbage" in text and "consent was withdrawn" in text
    check(client.post("/api/v1/provider/" + path.removeprefix("/p/"), json={"action": "accept"}),
          410, "/api/v1/provider/{token}", "post")
    _, referral, path = _referral(client, guide)
    with app.extensions["brobygger"].sessions.begin() as session:
        session.execute(update(Referral).where(Referral.id == referral)
                        .values(expires_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    text = _closed(client.get(path), 410, "Hun kommer gerne")
    assert "udløbet" in text and "expired" in text
    _closed(client.get("/p/" + "A" * 43), 404)
    check(client.get("/api/v1/provider/nope"), 404, "/api/v1/provider/{token}")
    assert client.get(f"/api/v1/referrals/{referral}", headers=guide).get_json()["status"] == "sent"


def _step(client, guide, when: date) -> tuple[str, str]:
    cid = _citizen(client, guide)
    made = client.post(f"/api/v1/citizens/{cid}/steps", headers=guide, json={
        "offer_id": "aarhus-gaagruppe", "what": "Gå med én gang", "when": when.isoformat(),
        "follow_up": when.isoformat()}).get_json()
    return made["id"], "/c/" + made["checkin_link"].split("/c/")[1]


def test_the_citizen_checks_in_on_a_phone_and_the_guide_sees_it(loop):
    app, guide = loop
    client = app.test_client()
    step, path = _step(client, guide, date.today())
    page = client.get(path)
    assert page.status_code == 200 and "Gå med én gang" not in page.text
    shown = Page(page.text)
    faces = [b for b in shown.find("button", name="feeling")]
    assert [b["value"] for b in faces] == ["good", "ok", "bad"]
    assert {"Godt", "Så som så", "Skidt"} <= set(shown.text.split(" ")) | {"Så som så"}
    assert shown.find("input", name="happened", value="ja") and shown.find("legend") is not None
    token = csrf_token(client, path)
    missing = client.post(path, data={"csrf_token": token, "feeling": "good"})
    assert missing.status_code == 422 and "Svar ja eller nej" in missing.text
    done = client.post(path, data={"csrf_token": token, "happened": "ja", "again": "yes",
                                   "feeling": "good"})
    assert done.status_code == 200 and "Tak for svaret" in done.text
    due = client.get(f"/api/v1/followups?due_before={date.today()}", headers=guide).get_json()
    [seen] = [s for s in due["steps"] if s["id"] == step]
    assert seen["checkin"]["feeling"] == "good" and seen["checkin"]["by"] == "citizen"
    _closed(client.get(path), 409)
    check(client.post(f"/api/v1/steps/{step}/checkin", headers=guide, json={"happened": True}),
          409, "/api/v1/steps/{id}/checkin", "post")


def test_too_early_for_the_checkin_and_the_guide_answers_instead(loop):
    app, guide = loop
    client = app.test_client()
    step, path = _step(client, guide, date.today() + timedelta(days=3))
    text = _closed(client.get(path), 409)
    assert "for tidligt" in text and "too early" in text
    answer = check(client.post(f"/api/v1/steps/{step}/checkin", headers=guide,
                               json={"happened": False, "again": "maybe"}), 200,
                   "/api/v1/steps/{id}/checkin", "post")
    assert answer["by"] == "guide" and answer["feeling"] is None
    with app.extensions["brobygger"].sessions.begin() as session:
        session.execute(update(PlanStep).where(PlanStep.id == step).values(checkin_at=None))
    assert client.get("/api/v1/steps/x/checkin").status_code == 405


def test_the_guide_answers_the_checkin_from_the_follow_up_list(loop):
    from tests.webui.conftest import log_in

    app, guide = loop
    client = app.test_client()
    step, _ = _step(client, guide, date.today())
    assert log_in(client, STAFF["guide"]).status_code == 302
    token = csrf_token(client, "/vejleder/opfoelgning")
    wrong = client.post(f"/vejleder/trin/{step}/tjek-ind", data={"csrf_token": token})
    assert wrong.status_code == 302 and "Svar ja eller nej" in client.get(
        wrong.headers["Location"]).text
    saved = client.post(f"/vejleder/trin/{step}/tjek-ind", data={
        "csrf_token": token, "happened": "nej", "again": "maybe"})
    assert saved.status_code == 302
    assert "Svaret på tjek-ind er gemt" in client.get(saved.headers["Location"]).text
    due = client.get(f"/api/v1/followups?due_before={date.today()}", headers=guide).get_json()
    [seen] = [s for s in due["steps"] if s["id"] == step]
    assert seen["checkin"] == {**seen["checkin"], "happened": False, "again": "maybe", "by": "guide"}
    assert client.post("/vejleder/trin/findes-ikke/tjek-ind",
                       data={"csrf_token": token, "happened": "ja"}).status_code == 404


def test_the_provider_page_in_english(loop):
    app, guide = loop
    client = app.test_client()
    _, _, path = _referral(client, guide)
    page = Page(client.get(path + "?lang=en").text)
    assert page.find("html")[0]["lang"] == "en"
    assert "What you may know" in page.text and "Say yes" in page.text
    assert "There is no room right now" in page.text          # the reasons in English too


def test_the_follow_up_list_and_the_plan_show_the_answers(loop):
    from tests.webui.conftest import log_in

    app, guide = loop
    client = app.test_client()
    step, path = _step(client, guide, date.today())
    cid, _, provider_path = _referral(client, guide)
    client.post("/api/v1/provider/" + provider_path.removeprefix("/p/"),
                json={"action": "propose", "time": "2026-12-10T10:00", "note": "Kom kl. 10"})
    assert log_in(client, STAFF["guide"]).status_code == 302
    page = Page(client.get("/vejleder/opfoelgning").text)
    assert page.find("form", action=f"/vejleder/trin/{step}/tjek-ind")
    plan = Page(client.get(f"/vejleder/borgere/{cid}/plan").text)
    assert "Udbyderens svar: foreslår 2026-12-10 kl. 10:00 · »Kom kl. 10«" in plan.text
    client.post(path, data={"csrf_token": csrf_token(client, path), "happened": "ja",
                            "feeling": "bad"})
    page = Page(client.get("/vejleder/opfoelgning").text)
    assert "Tjek-ind (borgeren): blev til noget · Skidt" in page.text
    assert not page.find("form", action=f"/vejleder/trin/{step}/tjek-ind")
