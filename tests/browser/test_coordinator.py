"""A coordinator logs in, imports a file through its dry-run preview, edits an offer, meets an
edit conflict made by a second coordinator in another browser, resolves it (what only one of
them changed is merged, a field both changed is chosen), and finds the changed offer in the
citizens' search: by mouse, and the editing by keyboard alone, in Danish and in English.

These journeys change the catalogue, so they run against a server of their own (which re-checks
the catalogue on every request, as the search index must notice the edits).
"""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, serving, staff_app
from tests.browser.journey import ARTEFACTS, Journey
from tests.webui.conftest import PASSWORD, STAFF

pytestmark = pytest.mark.browser

IMPORTED = [
    {"id": "journey-skakklub", "name": "Skakklub for alle", "kind": "association",
     "description": "Vi spiller skak hver onsdag aften og hjælper nye spillere i gang.",
     "municipalities": ["alle"], "target_groups": ["alle"]},
    {"id": "journey-gaardhave", "name": "Fælles køkkenhave", "kind": "association",
     "description": "Vi dyrker grøntsager sammen i gården og deler høsten.",
     "municipalities": ["alle"], "target_groups": ["ensomhed"]},
]
# what each language's pages say
TEXTS = {
    "da": {"saved": "Tilbuddet er gemt.", "conflict": "En anden har ændret tilbuddet",
           "resolve": "Gem den flettede version", "edit": "Ret tilbud",
           "list": "Katalogets tilbud", "yours": "Din version", "theirs": "Den gemte version"},
    "en": {"saved": "The offer has been saved.", "conflict": "Someone else changed the offer",
           "resolve": "Save the merged version", "edit": "Edit offer",
           "list": "The catalogue's offers", "yours": "Your version", "theirs": "The saved version"},
}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """This module's own server: its journeys change the catalogue the other modules read."""
    with serving(staff_app(tmp_path_factory.mktemp("coordinator"), check_seconds=0)) as url:
        yield url


@pytest.fixture
def other(request, browser, live_server):
    """A second coordinator (the administrator) in a browser context of their own."""
    context = new_context(browser, live_server)
    journey = Journey(context.new_page(), ARTEFACTS / request.node.name / "other-coordinator")
    yield journey
    context.close()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed:
        assert not journey.unchecked_pages(), \
            f"pages reached but never checked by axe: {journey.unchecked_pages()}"


def log_in_by_mouse(journey, email: str, choose: str = "") -> None:
    page = journey.page
    page.goto(f"/login{choose}")
    journey.check("login form")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/personale$"))
    journey.check("staff page")


def other_saves(other, ref: str, changes: dict[str, str], choose: str = "") -> None:
    """The second coordinator changes some fields of the offer and saves it."""
    page = other.page
    if not other.loads:
        log_in_by_mouse(other, STAFF["admin"], choose)
    page.goto(f"/koordinator/tilbud/{ref}/ret")
    other.check("edit form")
    for field, value in changes.items():
        page.locator(f"#{field}").fill(value)
    page.locator(".offer-form button[type=submit]").click()
    expect(page.locator(".flash-messages")).to_be_visible()
    other.check("saved")


def search_finds(journey, words: str, name: str, attempts: int = 10) -> None:
    """Search as a citizen until ``name`` is among the suggestions: the search index is rebuilt
    in the background after an edit, so the first searches may still get the old one."""
    page = journey.page
    for attempt in range(attempts):
        page.goto("/soeg")
        journey.check(f"search form {attempt + 1}")
        page.locator("#q").fill(words)
        page.locator(".search-form button[type=submit]").click()
        expect(page.locator(".results h2").first).to_be_visible()
        journey.check(f"suggestions {attempt + 1}")
        if page.locator(".suggestion h4 a", has_text=name).count():
            return
        time.sleep(0.5)
    raise AssertionError(f"{attempts} searches for {words!r} never suggested {name!r}")


def test_coordinator_imports_edits_resolves_a_conflict_and_citizens_find_it(
        journey, other, tmp_path):
    page = journey.page
    log_in_by_mouse(journey, STAFF["coordinator"])
    page.get_by_role("link", name="Ret og opret tilbud").click()
    expect(page.locator("h1")).to_have_text("Katalogets tilbud")
    journey.check("coordinator list")

    # import a file: the dry run first, nothing written until confirmed
    upload = tmp_path / "foreninger.jsonl"
    upload.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in IMPORTED),
                      encoding="utf-8")
    page.locator(".subnav a", has_text="Importér en fil").click()
    expect(page.locator("h1")).to_have_text("Importér en fil")
    journey.check("import form")
    page.locator("#file").set_input_files(upload)
    page.locator("#source").fill("journey")
    page.locator(".import-form button[type=submit]").click()
    expect(page.locator(".import-preview h2")).to_contain_text("foreninger.jsonl")
    counts = page.locator(".import-counts")
    expect(counts.locator("div", has_text="Nye")).to_contain_text("2")
    expect(counts.locator("div", has_text="Fejl")).to_contain_text("0")
    journey.check("import preview")
    page.get_by_role("button", name="Gem importen").click()
    expect(page.locator(".flash-messages")).to_contain_text("2 nye")
    expect(page.locator("h1")).to_have_text("Katalogets tilbud")
    journey.check("imported")

    # open the imported offer's edit page; meanwhile a second coordinator changes it
    page.locator("#q").fill("Skakklub")
    page.locator(".filters button[type=submit]").click()
    journey.check("list filtered")
    page.get_by_role("link", name="Skakklub for alle").click()
    expect(page.locator("h1")).to_have_text("Ret tilbud")
    journey.check("edit form")
    other_saves(other, "journey-skakklub", {"schedule": "onsdage kl. 19-22",
                                            "name": "Skakklub, onsdag"})

    page.locator("#name").fill("Skakklubben Springeren")
    page.locator("#description").fill(
        "Skak og brætspil hver onsdag aften; nye spillere får hjælp af en træner.")
    page.locator(".offer-form button[type=submit]").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("En anden har ændret tilbuddet")
    expect(conflict.locator("tr.difference", has_text="Hvornår")).to_contain_text(
        "den andens ændring")
    expect(conflict.locator("tr.difference", has_text="Beskrivelse")).to_contain_text(
        "din ændring")
    expect(page.locator("#schedule")).to_have_value("onsdage kl. 19-22")      # merged in
    choice = conflict.locator("fieldset#keep-name")
    expect(choice).to_contain_text("Skakklubben Springeren")
    expect(choice).to_contain_text("Skakklub, onsdag")
    journey.check("conflict")

    # resolve: keep the own name where both changed it, and save the merged version
    choice.get_by_text("Din version: Skakklubben Springeren").click()
    page.get_by_role("button", name="Gem den flettede version").click()
    expect(page.locator(".flash-messages")).to_contain_text("Tilbuddet er gemt.")
    expect(page.locator("#name")).to_have_value("Skakklubben Springeren")
    expect(page.locator("#schedule")).to_have_value("onsdage kl. 19-22")
    journey.check("resolved")
    page.get_by_role("link", name="Se tilbuddets historik").click()
    expect(page.locator("tr.change", has_text="Skakklubben Springeren")).to_have_count(1)
    expect(page.locator("tr.change", has_text="onsdage kl. 19-22")).to_have_count(1)
    journey.check("history")
    page.locator(".subnav a", has_text="Arbejdslister").click()
    journey.check("worklists")

    # the citizens' search finds the offer by its new words
    search_finds(journey, "skak og brætspil med en træner", "Skakklubben Springeren")
    page.get_by_role("link", name="Skakklubben Springeren").first.click()
    expect(page.locator("h1")).to_have_text("Skakklubben Springeren")
    expect(page.locator("main")).to_contain_text("onsdage kl. 19-22")
    journey.check("the offer as citizens see it")


@pytest.mark.parametrize(("lang", "choose", "ref", "name"), [
    pytest.param("da", "", "sorggruppe", "Sorggruppe", id="da"),
    pytest.param("en", "?lang=en", "aarhus-gaagruppe", "Gågruppe for seniorer", id="en"),
])
def test_coordinator_edits_and_resolves_a_conflict_by_keyboard(journey, other, lang, choose,
                                                               ref, name):
    texts = TEXTS[lang]
    page, keyboard = journey.page, journey.page.keyboard
    page.goto(f"/login{choose}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    journey.skip_to_content()
    journey.tab_to("#email")
    keyboard.type(STAFF["coordinator"])
    journey.tab_to("#password")
    keyboard.type(PASSWORD)
    journey.check("login form, filled")
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/personale$"))
    journey.check("staff page")

    journey.skip_to_content()
    journey.tab_to("main a[href='/koordinator/tilbud']")
    keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(texts["list"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    journey.check("coordinator list")
    journey.skip_to_content()
    journey.tab_to(f"table a[href='/koordinator/tilbud/{ref}/ret']")
    keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(texts["edit"])
    journey.check("edit form")

    # the other coordinator saves first
    other_saves(other, ref, {"contact": "+45 11 22 33 44", "name": f"{name}, hver uge"}, choose)

    journey.skip_to_content()
    journey.tab_to("#name")
    keyboard.press("Control+A")
    keyboard.type(f"{name} (ny)")
    journey.tab_to("#description")
    keyboard.press("Control+A")
    keyboard.type("Vi mødes hver uge og går en tur sammen.")
    journey.check("edit form, changed")
    journey.tab_to(".offer-form button[type=submit]")
    keyboard.press("Enter")
    expect(page.locator(".conflict")).to_contain_text(texts["conflict"])
    expect(page.locator(".conflict thead")).to_contain_text(texts["yours"])
    expect(page.locator(".conflict thead")).to_contain_text(texts["theirs"])
    expect(page.locator(".conflict tr.difference", has_text="+45 11 22 33 44")).to_have_count(1)
    expect(page.locator("#contact")).to_have_value("+45 11 22 33 44")        # merged in
    journey.check("conflict")

    # both changed the name: take the other's (the second choice), then save the merged version
    journey.skip_to_content()
    journey.tab_to("#keep-name-mine")
    keyboard.press("ArrowDown")
    expect(page.locator("#keep-name-theirs")).to_be_checked()
    journey.tab_to(".offer-form button[type=submit]")
    assert page.evaluate("document.activeElement.textContent").strip() == texts["resolve"]
    keyboard.press("Enter")
    expect(page.locator(".flash-messages")).to_contain_text(texts["saved"])
    expect(page.locator("#name")).to_have_value(f"{name}, hver uge")
    expect(page.locator("#description")).to_have_value("Vi mødes hver uge og går en tur sammen.")
    expect(page.locator("#contact")).to_have_value("+45 11 22 33 44")
    journey.check("resolved")
