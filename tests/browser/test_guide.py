"""A guide's intake journey in the browser: create a citizen (refused without consent), record
dreams, barriers and a network map, see suggestions, turn one into a prøvehandling with the
sister from the map as companion (suggestions appear live while the guide types), print the plan, refer with consent (refused without), record
the follow-up outcome; a guide of
another team is refused the same citizen. Every page is screenshotted and checked by axe-core.

The server is this module's own (demo settings: the casework key file is generated in the
instance folder on first use)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, serving, staff_app
from tests.browser.journey import ARTEFACTS, Journey
from tests.webui.conftest import PASSWORD, STAFF
from webui.auth.accounts import create_user

pytestmark = pytest.mark.browser
OTHER_GUIDE = "vejleder@odense.dk"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    app = staff_app(tmp_path_factory.mktemp("guide"))
    create_user(app.extensions["brobygger"].sessions, OTHER_GUIDE, "guide", "Odense", PASSWORD)
    with serving(app) as url:
        yield url


def log_in(journey, email: str) -> None:
    page = journey.page
    page.goto("/login")
    journey.check("login form")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/personale$"))
    journey.check("staff page")


def test_a_guide_takes_a_citizen_from_intake_to_follow_up(journey, browser, live_server):
    page = journey.page
    log_in(journey, STAFF["guide"])
    page.locator("nav a[href='/vejleder/']").click()
    expect(page.locator("h1")).to_have_text("Teamets borgere")
    journey.check("the team's citizens, none yet")

    page.locator(".subnav a[href='/vejleder/borgere/ny']").click()
    journey.check("a new citizen")
    page.get_by_label("Navn eller kaldenavn").fill("Mette")
    page.get_by_label("Alder").fill("34")
    page.get_by_label("Kommune").fill("Aarhus")
    page.get_by_role("button", name="Opret borger").click()
    expect(page.locator("#consent .error")).to_contain_text("samtykke")
    journey.check("no consent, no record")
    page.get_by_label("Borgeren har givet samtykke").check()
    page.get_by_role("button", name="Opret borger").click()
    expect(page.locator("h1")).to_have_text("Mette")
    citizen_url = page.url
    journey.check("the conversation, empty")

    page.get_by_label("Drømme").press_sequentially("Jeg drømmer om at gå ture i naturen og "
                                                  "drikke kaffe med andre", delay=5)
    expect(page.locator("#live-forslag-liste .result").first).to_be_visible()   # live, unsaved
    journey.check("live suggestions while the guide types")
    page.get_by_label("Mål").fill("Komme ud en gang om ugen")
    page.get_by_label("Angst eller uro ved nye steder og mennesker").check()
    page.locator("#person-0-name").fill("Søsteren Lise")
    page.locator("#person-0-relation").fill("søster")
    page.locator("#person-0-ring").select_option("family")
    page.locator("#person-0-closeness").select_option("1")
    page.get_by_role("button", name="Gem samtalen").click()
    expect(page.locator(".flash")).to_contain_text("Samtalen er gemt.")
    expect(page.locator("#person-0-name")).to_have_value("Søsteren Lise")
    journey.check("the conversation and the network map, saved")

    page.get_by_role("link", name="Se forslag ud fra samtalen").click()
    expect(page.locator(".result").first).to_be_visible()
    journey.check("suggestions")
    page.locator(".result a.button").first.click()
    page.get_by_label("Hvad", exact=True).fill("Gå med én gang")
    page.get_by_label("Hvem går med").select_option(label="Søsteren Lise")
    page.get_by_label("Opfølgning den").fill("2026-01-05")
    journey.check("a new prøvehandling")
    page.get_by_role("button", name="Læg i planen").click()
    expect(page.locator(".plan-step")).to_contain_text("Søsteren Lise")
    journey.check("the plan")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    journey.screenshot("the plan, printed")
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Henvisning", exact=True).click()
    page.get_by_label("Drømme", exact=True).check()
    page.get_by_label("Besked til udbyderen").fill("Mette vil gerne prøve én gang med sin søster")
    journey.check("a referral with consent")
    page.get_by_role("button", name="Send henvisningen").click()
    expect(page.locator("#consent .error")).to_contain_text("samtykke")
    journey.check("no consent, no referral")
    page.get_by_label("Borgeren har givet samtykke til at dele").check()
    page.get_by_role("button", name="Send henvisningen").click()
    expect(page.locator(".flash code")).to_contain_text("/p/")
    journey.check("the referral sent, the provider's link shown once")
    page.get_by_role("link", name="Til planen").click()
    expect(page.locator("#henvisninger ~ .plan-step")).to_contain_text("Deles: Navn, Drømme")
    journey.check("the plan with the referral")

    page.locator(".subnav a[href='/vejleder/opfoelgning']").click()
    step = page.locator(".plan-step", has_text="Gå med én gang")
    step.get_by_label("Sådan gik det").select_option("partly")
    step.get_by_label("Borgerens egen score (1-10)").select_option("6")
    step.get_by_label("Hvad nu").select_option("adjust")
    step.get_by_label("Det lærte vi").fill("En kortere tur næste gang")
    journey.check("the follow-up list")
    step.get_by_role("button", name="Gem opfølgningen").click()
    expect(page.locator(".flash")).to_contain_text("Opfølgningen er gemt.")
    journey.check("followed up")
    page.goto(citizen_url + "/plan")
    expect(page.locator(".plan-step").first).to_contain_text("En kortere tur næste gang")
    journey.check("the plan with its outcome")

    context = new_context(browser, live_server)
    other = Journey(context.new_page(), ARTEFACTS / "other-team")
    log_in(other, OTHER_GUIDE)
    response = other.page.goto(citizen_url)
    assert response.status == 403
    expect(other.page.locator("h1")).to_have_text("Det har du ikke adgang til")
    other.check("another team's guide is refused")
    context.close()
