"""Listings that stay true, in the browser: a provider opens the listing's link in a fresh
phone-sized browser with no account, confirms the listing and says it is full; the citizens'
search then shows it confirmed today and full, and never as the first suggestion. Another
provider says something is wrong instead (by keyboard first, so the empty answer is refused
beside the field), and a coordinator finds the report on the worklist and marks it handled.
Every page is screenshotted and checked by axe-core, in Danish and in English."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from catalogue import editing
from catalogue.listing_links import issue_link
from casework.desk import utc_now
from tests.browser.conftest import serving, staff_app
from tests.browser.journey import ARTEFACTS, Journey
from tests.browser.test_coordinator import log_in_by_mouse
from tests.webui.conftest import STAFF

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CASES = {  # language: (query string, offer, its name, words that find it, texts on the pages)
    "da": ("", "aarhus-gaagruppe", "Gågruppe for seniorer", "gå en tur i skoven med kaffe",
           {"question": "Er oplysningerne om Gågruppe for seniorer rigtige?", "full": "Fuldt",
            "confirm": "Oplysningerne er rigtige", "done": "Tak, tilbuddet er bekræftet",
            "closed": "Linket kan ikke bruges", "date": "dd.MM.yyyy",
            "assured": "Oplysningerne er bekræftet"}),
    "en": ("?lang=en", "aalborg-strikkeklub", "Strikkeklub i Frivilligcenteret",
           "strikke og hækle med kaffe",
           {"question": "Is the information about Strikkeklub i Frivilligcenteret true?",
            "full": "Full", "confirm": "The information is true",
            "done": "Thank you, the offer is confirmed", "closed": "The link cannot be used",
            "date": "d MMM y", "assured": "The information was confirmed on"}),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    app = staff_app(tmp_path_factory.mktemp("listing"), check_seconds=0)
    with serving(app) as base_url:
        yield app, base_url


def _journey(browser, base_url: str, name: str, viewport=None) -> Journey:
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="da-DK",
                                  viewport=viewport or {"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return Journey(context.new_page(), ARTEFACTS / name)


def _search_until_full(citizen: Journey, words: str, name: str, texts: dict, attempts: int = 20):
    """Search as a citizen until the card shows the new capacity (the index is rebuilt in the
    background after the change); returns the card and the names in rank order."""
    page = citizen.page
    for attempt in range(attempts):
        page.goto("/soeg")
        page.locator("#q").fill(words)
        page.locator(".search-form button[type=submit]").click()
        expect(page.locator(".results h2").first).to_be_visible()
        card = page.locator(".suggestion", has=page.locator("h4 a", has_text=name))
        if card.count() and texts["full"] in card.locator(".meta").inner_text():
            citizen.check(f"suggestions after the provider's answer ({attempt + 1})")
            return card, page.locator(".suggestion h4 a").all_inner_texts()
        time.sleep(0.5)
    raise AssertionError(f"{attempts} searches for {words!r} never showed {name!r} as full")


@pytest.mark.parametrize("lang", list(CASES))
def test_a_provider_confirms_a_listing_full_and_the_citizen_page_shows_it(served, browser, lang):
    app, base_url = served
    choose, ref, name, words, texts = CASES[lang]
    sessions = app.extensions["brobygger"].sessions
    with sessions.begin() as session:
        token = issue_link(session, editing.resolve(sessions, ref), utc_now(), 30,
                           "koordinator@test.dk")

    provider = _journey(browser, base_url, f"listing-provider-{lang}", PHONE)
    provider.page.goto(f"/p/{token}{choose}")
    expect(provider.page.locator("html")).to_have_attribute("lang", lang)
    expect(provider.page.locator("h1")).to_have_text(texts["question"])
    provider.check("the provider's listing page")
    provider.page.get_by_label(texts["full"], exact=True).check()
    provider.page.get_by_role("button", name=texts["confirm"]).click()
    expect(provider.page.locator("h1")).to_have_text(texts["done"])
    provider.check("confirmed")
    provider.page.goto(f"/p/{token}")
    expect(provider.page.locator("h1")).to_have_text(texts["closed"])
    expect(provider.page.locator("main")).not_to_contain_text(name)
    provider.check("used link")

    citizen = _journey(browser, base_url, f"listing-citizen-{lang}")
    citizen.page.goto(f"/soeg{choose}")
    card, ranked = _search_until_full(citizen, words, name, texts)
    today = format_date(date.today(), texts["date"], locale=lang)
    expect(card.locator(".assured")).to_contain_text(f"{texts['assured']} {today}")
    assert len(ranked) > 1 and ranked[0] != name, ranked     # a full offer is never first
    for journey in (provider, citizen):
        journey.page.context.close()


REPORTS = {  # language: (query string, offer, its name, texts on the pages)
    "da": ("", "sorggruppe", "Sorggruppe",
           {"send": "Send meldingen", "empty": "Skriv, hvad der er forkert", "what":
            "Hvad skal rettes?", "part": "Sted", "done": "Tak for meldingen",
            "coordinator": "En koordinator ser på det", "section": "Udbydere melder fejl",
            "handled": "Meldingen er markeret som håndteret.", "none": "Ingen meldinger, der venter.",
            "words": "Vi mødes nu i sognegården, ikke i kirken."}),
    "en": ("?lang=en", "esbjerg-sprogcafe", "Sprogcafé – øv dansk over en kop te",
           {"send": "Send the report", "empty": "Write what is wrong", "what":
            "What should be corrected?", "part": "Place", "done": "Thank you for the report",
            "coordinator": "A coordinator will look at what you wrote",
            "section": "Providers report errors", "handled": "The report is marked as handled.",
            "none": "No reports waiting.", "words": "We meet at the library now."}),
}


@pytest.mark.parametrize("lang", list(REPORTS))
def test_a_provider_reports_something_wrong_and_a_coordinator_handles_it(served, browser, lang):
    app, base_url = served
    choose, ref, name, texts = REPORTS[lang]
    sessions = app.extensions["brobygger"].sessions
    with sessions.begin() as session:
        token = issue_link(session, editing.resolve(sessions, ref), utc_now(), 30,
                           "koordinator@test.dk")

    provider = _journey(browser, base_url, f"listing-report-{lang}", PHONE)
    page = provider.page
    page.goto(f"/p/{token}{choose}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    send = page.get_by_role("button", name=texts["send"])
    send.focus()
    page.keyboard.press("Enter")                                  # nothing written yet
    words = page.get_by_label(texts["what"])
    expect(words).to_have_attribute("aria-invalid", "true")
    expect(words).to_have_accessible_description(re.compile(texts["empty"]))
    provider.check("the report refused: nothing written")
    page.get_by_label(texts["part"], exact=True).check()
    words.fill(texts["words"])
    page.get_by_role("button", name=texts["send"]).click()
    expect(page.locator("h1")).to_have_text(texts["done"])
    expect(page.locator("main")).to_contain_text(texts["coordinator"])
    provider.check("reported")

    coordinator = _journey(browser, base_url, f"listing-report-coordinator-{lang}")
    log_in_by_mouse(coordinator, STAFF["coordinator"], choose)
    coordinator.page.goto(f"/koordinator/arbejdslister{choose}")
    section = coordinator.page.locator("section", has=coordinator.page.locator(
        "h2", has_text=texts["section"]))
    row = section.locator("tr", has_text=texts["words"])
    expect(row).to_contain_text(name)
    expect(row).to_contain_text(texts["part"])
    coordinator.check("the provider's report on the worklist")
    row.get_by_role("button").click()
    expect(coordinator.page.locator("main")).to_contain_text(texts["handled"])
    expect(section).not_to_contain_text(texts["words"])
    coordinator.check("report handled")
    for journey in (provider, coordinator):
        journey.page.context.close()
