"""Closing the loop in the browser: a guide refers a citizen (over the API), the provider's mail
is caught by a real local SMTP server, the provider opens the link from it in a fresh phone-sized
browser without an account and accepts; the guide sees the status on the plan; the citizen
answers the check-in on a phone; ``brobygger train --with-outcomes`` learns from the outcome
and keeps or switches the model as its figures say; a coordinator reads the dashboard. Every page is screenshotted
and checked by axe-core (the screenshots in docs/screenshots are copies of these)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from casework.crypto import Vault
from casework.desk import utc_now
from casework.outbox import deliver
from catalogue.cli import main
from catalogue.contacts import list_contacts, set_contact
from tests.browser.conftest import serving, staff_app
from tests.browser.journey import ARTEFACTS, Journey
from tests.casework.conftest import MARKER, new_citizen
from tests.evaluation.test_with_outcomes import follows_the_figures, write_queries
from tests.webui.conftest import PASSWORD, STAFF
from webui.auth.accounts import create_token

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def loop_app(tmp_path_factory):
    app = staff_app(tmp_path_factory.mktemp("loop"))
    sessions = app.extensions["brobygger"].sessions
    [org] = [o for o in list_contacts(sessions) if o.name == "Ældre Sagen Aarhus"]
    set_contact(sessions, org.id, "frivillig@aeldresagen.dk")
    return app


def _journey(browser, base_url: str, name: str, viewport=None) -> Journey:
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="da-DK",
                                  viewport=viewport or {"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return Journey(context.new_page(), ARTEFACTS / name)


def _log_in(journey: Journey, email: str) -> None:
    page = journey.page
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/personale$"))


def _train_with_the_outcomes(settings) -> None:
    """``brobygger train --with-outcomes`` on the instance's database (the accepted referral
    and the check-in), tiny: the test catalogue, seven queries, two folds. Whatever its
    figures say decides whether the instance's model is switched."""
    queries = settings.instance_dir / "queries.jsonl"
    write_queries(queries)
    result = CliRunner().invoke(main, [
        "train", "--with-outcomes", "--catalogue", str(settings.instance_dir / "catalogue.jsonl"),
        "--queries", str(queries), "--today", "2026-11-23", "--folds", "2"],
        env={"BROBYGGER_INSTANCE_DIR": str(settings.instance_dir), "BROBYGGER_DEMO": "1",
             "BROBYGGER_DATABASE_URL": settings.database_url})
    assert result.exit_code == 0, result.output
    [path] = (settings.instance_dir / "ranker-decisions").glob("*.json")
    decision = json.loads(path.read_text("utf-8"))
    assert decision["outcome_rows"] == 2 and decision["outcome_samples"] == 2
    assert follows_the_figures(decision)
    assert f"{decision['new']['ndcg@10']:.4f}" in result.output and "Beslutning / decision" in result.output
    assert (settings.ranker_path.exists()) is (decision["decision"] == "switched")


def test_referral_mail_provider_answer_checkin_and_dashboard(loop_app, browser, smtp_server):
    app, (host, port, caught) = loop_app, smtp_server
    client = app.test_client()
    guide = {"Authorization": "Bearer " + create_token(app.extensions["brobygger"].sessions,
                                                       STAFF["guide"])}
    cid = client.post("/api/v1/citizens", json=new_citizen(), headers=guide).get_json()["id"]
    client.put(f"/api/v1/citizens/{cid}/conversation", headers=guide,
               json={"dreams": MARKER, "goals": "Komme ud en gang om ugen"})
    consent = client.post(f"/api/v1/citizens/{cid}/consents", headers=guide, json={
        "scope": {"offer_id": "aarhus-gaagruppe"}, "shares": ["name", "age", "dreams"],
        "given_at": "2026-01-01"}).get_json()["id"]
    sent = client.post("/api/v1/referrals", headers=guide, json={
        "citizen_id": cid, "offer_id": "aarhus-gaagruppe", "consent_id": consent,
        "message": "Mette kommer gerne med sin søster første gang."}).get_json()
    assert sent["mail"] == "queued"
    step = client.post(f"/api/v1/citizens/{cid}/steps", headers=guide, json={
        "offer_id": "aarhus-gaagruppe", "what": "Gå med én gang",
        "when": date.today().isoformat()}).get_json()
    settings = app.extensions["brobygger"].settings
    assert deliver(app.extensions["brobygger"].sessions, Vault.from_settings(settings), host,
                   port, "brobygger@aarhus.dk", utc_now()).sent == 1
    [mail] = caught.messages
    path = re.search(r"/p/[A-Za-z0-9_-]{43}", mail.get_content()).group(0)

    with serving(app) as base_url:
        provider = _journey(browser, base_url, "loop-provider", PHONE)
        provider.page.goto(path)
        expect(provider.page.locator("h1")).to_contain_text("Gågruppe for seniorer")
        expect(provider.page.locator("main")).to_contain_text(MARKER)
        expect(provider.page.locator("main")).not_to_contain_text("Komme ud en gang om ugen")
        provider.check("the provider's referral")
        provider.page.get_by_label("Hvornår og hvor kan borgeren møde op? (valgfrit)").fill(
            "Torsdag kl. 10 ved Riis Skov")
        provider.page.get_by_role("button", name="Sig ja").click()
        expect(provider.page.locator("h1")).to_have_text("Tak for svaret")
        provider.check("answered")
        provider.page.goto(path)
        expect(provider.page.locator("h1")).to_have_text("Linket kan ikke bruges")
        provider.check("used link")

        staff = _journey(browser, base_url, "loop-guide")
        _log_in(staff, STAFF["guide"])
        staff.page.goto(f"/vejleder/borgere/{cid}/plan")
        expect(staff.page.locator("select[name=status]")).to_have_value("accepted")

        citizen = _journey(browser, base_url, "loop-checkin", PHONE)
        citizen.page.goto("/c/" + step["checkin_link"].split("/c/")[1])
        expect(citizen.page.locator("h1")).to_have_text("Hvordan gik det?")
        citizen.check("the citizen's check-in")
        citizen.page.get_by_label("Ja").first.check()
        citizen.page.locator("input[name=again][value=yes]").check()
        citizen.page.get_by_role("button", name="Godt").click()
        expect(citizen.page.locator("h1")).to_have_text("Tak for svaret")
        citizen.check("checked in")
        answer = client.get(f"/api/v1/citizens/{cid}/plan", headers=guide).get_json()["steps"][0]
        assert answer["checkin"]["feeling"] == "good" and answer["checkin"]["again"] == "yes"
        _train_with_the_outcomes(settings)

        board = _journey(browser, base_url, "loop-dashboard")
        _log_in(board, STAFF["coordinator"])
        board.page.goto("/koordinator/oversigt/?municipality=Esbjerg")
        expect(board.page.locator("caption").first).to_contain_text("Esbjerg")
        expect(board.page.locator("tr.gap").first).to_contain_text("Hul: få eller ingen")
        chart = board.page.locator("figure.chart img").first     # the SVG drawn on the server
        expect(chart).to_have_attribute("alt", re.compile(r"^Tilbud i Esbjerg pr\. målgruppe\. "))
        assert chart.evaluate("image => image.complete && image.naturalWidth") > 0
        board.check("the dashboard")
        for journey in (provider, staff, citizen, board):
            journey.page.context.close()
