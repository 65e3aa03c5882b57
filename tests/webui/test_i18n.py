"""The pages in Danish by default and in English once chosen (remembered); the catalogues
complete and compiled; the API's bilingual errors untouched by the choice."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from matcher.eligibility import Verdict
from tests.webui.conftest import SOURCE, STAFF, log_in, post_form
from tests.webui.page import Page
from webui.i18n import COOKIE, LANGUAGES, TRANSLATIONS, localized

ROOT = Path(__file__).resolve().parents[2]
OFFER = f"/tilbud/{SOURCE}/odense-gaeldsraadgivning"
# Every page an anonymous visitor can open, with a text it shows in Danish and in English.
PAGES = {
    "/tilbud": ("Tilbud fra kommuner, foreninger", "Offers from municipalities, associations"),
    OFFER: ("Hvem kan bruge tilbuddet", "Who can use the offer"),
    "/soeg": ("Hvad drømmer du om, eller hvad har du brug for?",
              "What do you dream of, or what do you need?"),
    "/login": ("Log ind for personale", "Staff log in"),
    "/findes-ikke": ("Siden findes ikke", "Page not found"),
}


def html_lang(response) -> str:
    return Page(response.text).find("html")[0]["lang"]


def switch_links(response) -> dict[str, str]:
    """The language switch: hreflang -> href."""
    return {a["hreflang"]: a["href"] for a in Page(response.text).find("a") if "hreflang" in a}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_danish_by_default_with_a_switch_to_english(client, path):
    response = client.get(path)
    danish, english = PAGES[path]
    assert html_lang(response) == "da"
    assert danish in response.text and english not in response.text
    assert switch_links(response) == {"en": f"{path}?lang=en"}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_english_once_english_is_chosen(app, path):
    client = app.test_client()
    response = client.get(f"{path}?lang=en")
    danish, english = PAGES[path]
    assert html_lang(response) == "en"
    assert english in response.text and danish not in response.text
    assert switch_links(response) == {"da": f"{path}?lang=da"}


def test_the_choice_is_remembered_in_a_cookie_until_changed(app):
    client = app.test_client()
    response = client.get("/tilbud?lang=en")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    for path in ("/soeg", OFFER, "/login"):
        assert html_lang(client.get(path)) == "en"
    assert html_lang(client.get("/soeg?lang=da")) == "da"
    assert html_lang(client.get("/tilbud")) == "da"


def test_a_remembered_choice_sets_no_new_cookie_and_pages_vary_on_the_cookie(app):
    client = app.test_client()
    client.get("/tilbud?lang=en")
    response = client.get("/tilbud?lang=en")
    assert "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers["Vary"]


def test_accept_language_does_not_override_danish(client):
    response = client.get("/tilbud", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(response) == "da"


def test_an_unknown_language_is_ignored(app):
    client = app.test_client()
    response = client.get("/tilbud?lang=xx")
    assert html_lang(response) == "da" and "Set-Cookie" not in response.headers
    client.set_cookie(COOKIE, "xx")
    assert html_lang(client.get("/tilbud")) == "da"


def test_the_switch_keeps_the_filters(client):
    links = switch_links(client.get("/tilbud?kind=municipal&status=active"))
    assert links == {"en": "/tilbud?kind=municipal&status=active&lang=en"}


def test_vocabulary_labels_follow_the_language(app):
    client = app.test_client()
    listing = Page(client.get("/tilbud?lang=en").text).text
    for english in ("Municipal offer", "Association / civil society", "Social-economy employer",
                    "Debt and money", "All municipalities", "Needs a referral", "Expired",
                    "Paused"):
        assert english in listing
    assert "Kommunalt tilbud" not in listing and "Gæld og økonomi" not in listing
    detail = Page(client.get(OFFER).text).text
    for english in ("Wheelchair accessible", "Hearing loop", "Waiting list", "You can take part as: participant.",
                    "You can stay anonymous", "From age 18", "Monday 09.00-15.00",
                    "No, you can just get in touch", "15 Jan 2026"):
        assert english in detail
    search = Page(client.get("/soeg").text).text
    assert "Wheelchair accessible" in search and "Easy Danish" in search


def test_search_errors_and_results_in_english(app):
    client = app.test_client()
    client.get("/soeg?lang=en")
    errors = Page(post_form(client, "/soeg", q="gæld", age="12").text)
    assert "Age must be a whole number from 16 to 120." in errors.text
    assert "Alder skal være" not in errors.text
    results = post_form(client, "/soeg", q="gæld", municipality="Odense")
    page = Page(results.text)
    assert html_lang(results) == "en"
    assert "Trial steps you can take now" in page.text and "First step" in page.text
    assert "Prøvehandlinger: et lille skridt" not in page.text
    assert "About: Debt and money" in page.text and "Handler om" not in page.text
    assert "Take part for the first time" in page.text or "Try it once" in page.text
    assert not page.find("span", lang="da") and not page.find("dd", lang="da")


def test_the_staff_page_and_the_login_errors_in_english(staff_app):
    client = staff_app.test_client()
    client.get("/login?lang=en")
    refused = Page(post_form(client, "/login", email="", password="").text).text
    assert "Write your e-mail address" in refused and "Write your password" in refused
    log_in(client, STAFF["coordinator"])             # logging in keeps the choice
    page = client.get("/personale")
    assert html_lang(page) == "en"
    assert "You are logged in" in page.text and "Coordinator" in page.text


def test_a_verdict_is_shown_in_the_language_of_the_page(app):
    verdict = Verdict("age", False, "Kræver mindst 18 år", "Requires age 18 or over")
    with app.test_request_context("/soeg?lang=en"):
        assert localized(verdict) == "Requires age 18 or over"
        assert localized({"da": "Ja", "en": "Yes"}) == "Yes"
    with app.test_request_context("/soeg"):
        assert localized(verdict) == "Kræver mindst 18 år"


def test_the_api_keeps_both_languages_whatever_was_chosen(app):
    client = app.test_client()
    client.get("/tilbud?lang=en")
    error = client.get("/api/forslag?q=g%C3%A6ld&age=12").get_json()["error"]
    assert error["fields"]["age"] == {"da": "Alder skal være et helt tal mellem 16 og 120.",
                                      "en": "Age must be a whole number from 16 to 120."}
    missing = client.get("/api/findes-ikke").get_json()
    assert missing == {"error": {"da": "Siden findes ikke", "en": "Page not found", "field": None}}


# --- the catalogues -----------------------------------------------------------------------

def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str):
    with po_path(language).open("rb") as po:
        return read_po(po)


TRANSLATED = [language for language in LANGUAGES if po_path(language).exists()]


def test_english_has_a_catalogue_and_danish_needs_none():
    assert TRANSLATED == ["en"]    # msgids are Danish, so Danish pages use them as they are


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_has_a_translation(language):
    untranslated = [m.id for m in read_catalogue(language)
                    if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_extraction_finds_exactly_the_msgids_of_the_catalogue(language, tmp_path):
    """As ``make translations`` extracts: a new or changed text in the code or a template
    fails here until the catalogue is updated."""
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "lazy_gettext", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as template:
        extracted = {m.id for m in read_po(template) if m.id}
    assert extracted, "nothing extracted: is babel.cfg right?"
    catalogued = {m.id for m in read_catalogue(language) if m.id}
    assert sorted(extracted - catalogued) == [] and sorted(catalogued - extracted) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_compiled_from_the_po(language):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == \
            gettext.GNUTranslations(compiled)._catalog
