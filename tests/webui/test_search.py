"""The search page: the citizen's words in, grouped and explained suggestions out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from catalogue.settings import Settings
from tests.fixtures import migrated
from tests.webui.conftest import SOURCE, import_offers, offers, post_form
from webui import create_app
from tests.webui.page import Page


def search(client, **params) -> Page:
    """The empty form without ``params``; otherwise the form sent by POST, as a browser does."""
    response = post_form(client, "/soeg", **params) if params else client.get("/soeg")
    assert response.status_code == 200
    return Page(response.text)


def suggested(page: Page) -> list[str]:
    prefix = f"/tilbud/{SOURCE}/"
    return [href.removeprefix(prefix) for href in page.links if href.startswith(prefix)]


def test_empty_form_asks_the_question_and_shows_no_errors(client):
    page = search(client)
    assert "Hvad drømmer du om, eller hvad har du brug for?" in page.text
    assert "Hvornår er du optaget? fx man-fre 8-16" in page.text
    assert not page.find("p", **{"class": "error"})
    assert suggested(page) == []


def test_debt_search_in_odense_finds_the_debt_offer_and_nothing_out_of_reach(client):
    page = search(client, q="gæld", municipality="Odense")
    found = suggested(page)
    assert "odense-gaeldsraadgivning" in found       # waitlisted: a service, not a first step
    assert "aarhus-gaeldscafe" not in found          # another municipality
    assert "aarhus-bostoette-85" not in found
    assert "odense-gaeldsgruppe-2024" not in found   # expired
    assert "sommerhoejskole-paaroerende" not in found
    assert "esbjerg-kriseraadgivning" not in found   # paused


def test_debt_search_in_aarhus_finds_the_aarhus_cafe_instead(client):
    found = suggested(search(client, q="gæld", municipality="Aarhus"))
    assert "aarhus-gaeldscafe" in found
    assert "odense-gaeldsraadgivning" not in found


def test_suggestions_are_grouped_under_danish_titles_with_reasons_and_a_first_step(client):
    page = search(client, q="gæld", municipality="Odense")
    assert "Prøvehandlinger: et lille skridt du kan tage nu" in page.text
    assert "Hvorfor: Handler om: Gæld og økonomi" in page.text
    for step in ("Første skridt", "Hvad", "Hvor", "Hvornår", "Hvem tager med", "Opfølgning"):
        assert step in page.text
    assert "Danmarksgade 25, 9000" in page.text       # the open club, not the waitlisted office


def test_an_offer_needing_visitation_says_so(client):
    page = search(client, q="bostøtte i eget hjem", municipality="Aarhus", age="30")
    assert "aarhus-bostoette-85" in suggested(page)
    assert "Kræver visitation fra kommunen" in page.text
    assert "Kræver visitation fra kommunen først" in page.text


def test_every_card_says_who_decides_and_how_to_ask(client):
    page = search(client, q="bostøtte i eget hjem", municipality="Aarhus", age="30")
    cards = page.find("li", **{"class": "suggestion"})
    assert cards and page.text.count("Hvem bestemmer:") == len(cards)
    assert "Kommunen afgør det: du skal have en visitation efter SEL § 85" in page.text
    assert "Oplysningerne er bekræftet 02.02.2026." in page.text      # the waitlisted bostøtte


def test_age_rules_hide_offers_for_other_ages(client):
    found = suggested(search(client, q="fællesskab for unge", age="45"))
    assert "aarhus-ungefaellesskab" not in found


def test_the_form_keeps_what_was_typed(client):
    page = search(client, q="gæld", age="40", municipality="Odense", needs=["koerestol"],
                  busy="man-fre 8-16")
    assert page.find("input", id="age")[0]["value"] == "40"
    assert "selected" in page.find("option", value="Odense", select="municipality")[0]
    assert "checked" in page.find("input", id="needs-koerestol")[0]
    assert page.find("input", id="busy")[0]["value"] == "man-fre 8-16"


def test_invalid_age_shows_the_danish_error_next_to_the_field(client):
    page = search(client, q="gæld", age="12")
    error = page.find("p", id="age-fejl")
    assert error and "Alder skal være et helt tal mellem 16 og 120." in page.text
    age = page.find("input", id="age")[0]
    assert age["aria-describedby"] == "age-fejl" and age["aria-invalid"] == "true"
    assert "Ret venligst det her" in page.text
    assert suggested(page) == []


def test_missing_text_is_explained(client):
    page = search(client, age="40")
    assert "Skriv med dine egne ord, hvad du drømmer om eller har brug for." in page.text
    assert "q-fejl" in page.find("textarea", id="q")[0]["aria-describedby"]


def test_an_edited_offer_is_found_once_the_background_rebuild_is_done(own_app, tmp_path: Path):
    client = own_app.test_client()
    assert "Skakklubben" not in search(client, q="skak og brætspil").text
    edited = [r if r.id != "aalborg-strikkeklub" else replace(
        r, name="Skakklubben i Frivilligcenteret",
        description="Vi spiller skak og brætspil og drikker kaffe.") for r in offers()]
    import_offers(own_app, edited, tmp_path / "edited.jsonl")
    search(client, q="skak og brætspil")               # notices the change, rebuilds meanwhile
    own_app.extensions["brobygger"].matcher.wait()
    page = search(client, q="skak og brætspil")
    assert suggested(page)[0] == "aalborg-strikkeklub"
    assert "Skakklubben i Frivilligcenteret" in page.text


def test_an_empty_catalogue_answers_with_no_suggestions(tmp_path: Path):
    app = create_app(migrated(Settings(instance_dir=tmp_path)))
    page = search(app.test_client(), q="gæld")
    assert "Ingen tilbud passer endnu." in page.text
    app.extensions["brobygger"].engine.dispose()


def test_a_text_over_the_limit_is_refused_with_a_message_and_no_search(client):
    long_note = "Jeg har det svært og vil gerne ud blandt andre." * 60      # 2,820 characters
    page = search(client, q=long_note)
    assert "Teksten er for lang: højst 2000 tegn (du skrev 2820)" in page.text
    assert suggested(page) == []
    response = client.get("/api/forslag?" + urlencode({"q": long_note}))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "q"
    assert "at most 2000 characters" in response.get_json()["error"]["en"]


def test_numbers_that_only_look_like_digits_are_refused_not_crashed_on(client):
    for params in ({"age": "²"}, {"age": "4" * 5000}, {"k": "٣"}, {"k": "9" * 5000}):
        response = client.get("/api/forslag?" + urlencode({"q": "gåtur", **params}))
        assert response.status_code == 400, params
        assert response.get_json()["error"]["field"] == next(iter(params))


def test_the_search_form_is_sent_by_post_and_the_text_stays_out_of_the_url(client):
    form = Page(client.get("/soeg").text).find("form", **{"class": "search-form"})[0]
    assert form["method"] == "post" and form["action"] == "/soeg"
    response = post_form(client, "/soeg", q="gæld", municipality="Odense")
    assert response.status_code == 200 and not response.headers.get("Location")
    assert "gæld" not in " ".join(Page(response.text).links)


def test_a_query_string_on_the_search_page_is_not_searched(client):
    page = search(client)
    assert suggested(Page(client.get("/soeg?q=gæld&municipality=Odense").text)) == []
    assert suggested(page) == []


def test_a_search_without_the_csrf_token_is_refused(client):
    response = client.post("/soeg", data={"q": "gæld"})
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in response.text
