"""Why an offer was suggested, as a reader sees it: the same reasons on the Danish and the
English page and in the API, each in its language; cards name the town, the distance from the
citizen's postcode, the age limit and a waiting list."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from tests.webui.conftest import SOURCE, post_form
from tests.webui.page import Page
from webui.present import suggestions_to_text
from webui.reasons import reason_text
from webui.runtime import runtime
from webui.searchform import parse_search

DEBT = {"q": "gæld og rykkere", "municipality": "Odense", "age": "40", "postcode": "5000"}
DECIMAL_SCORE = re.compile(r"\d\.\d\d")


def cards(html: str) -> dict[str, dict[str, str]]:
    """Offer id -> the card's "why" line and facts line, as text."""
    found = {}
    for block in html.split('<li class="suggestion">')[1:]:
        offer = re.search(rf'href="/tilbud/{SOURCE}/([^"]+)"', block).group(1)
        parts = {name: Page(match.group(1)).text for name in ("why", "facts")
                 if (match := re.search(rf'<p class="{name}">(.*?)</p>', block, re.S))}
        found[offer] = parts
    return found


def page_cards(app, language: str, **form) -> dict[str, dict[str, str]]:
    client = app.test_client()
    client.get(f"/soeg?lang={language}")
    response = post_form(client, "/soeg", **form)
    assert response.status_code == 200
    return cards(response.text)


def api(client, language: str, **params) -> dict[str, dict]:
    data = client.get("/api/v1/search", query_string={**params, "lang": language}).get_json()
    return {result["id"]: result for result in data["results"]}


def test_the_pages_and_the_api_give_the_same_reasons_each_in_its_language(app, client):
    pages = {language: page_cards(app, language, **DEBT) for language in ("da", "en")}
    answers = {language: api(client, language, **DEBT) for language in ("da", "en")}
    assert set(pages["da"]) == set(pages["en"]) == set(answers["da"]) == set(answers["en"])
    for offer, result in answers["da"].items():
        english = answers["en"][offer]
        assert [(w["code"], w["values"]) for w in result["why"]] == \
            [(w["code"], w["values"]) for w in english["why"]]
        assert [w["text"] for w in result["why"]] != [w["text"] for w in english["why"]]
        assert pages["da"][offer]["why"] == "Hvorfor: " + "; ".join(w["text"] for w in result["why"])
        assert pages["en"][offer]["why"] == "Why: " + "; ".join(w["text"] for w in english["why"])
    first = answers["da"]["odense-gaeldsraadgivning"]["why"]
    assert {"code": "need", "values": ["gaeld_oekonomi"], "text": "Handler om: Gæld og økonomi"} in first
    assert {"code": "need", "values": ["gaeld_oekonomi"], "text": "About: Debt and money"} in \
        answers["en"]["odense-gaeldsraadgivning"]["why"]


def test_no_reason_shows_a_score_or_a_folded_word(app, client):
    for language in ("da", "en"):
        for result in api(client, language, q="Gældsrådgivning og rykkere i Odense").values():
            for why in result["why"]:
                assert not DECIMAL_SCORE.search(why["text"])
                assert "gaeld" not in why["text"] and "raadgivning" not in why["text"]
        for card in page_cards(app, language, q="Gældsrådgivning og rykkere").values():
            assert not DECIMAL_SCORE.search(card["why"]) and "gaeld" not in card["why"]
    words = api(client, "da", q="Gældsrådgivning og rykkere i Odense")["odense-gaeldsraadgivning"]
    assert {"code": "shared_words", "values": ["Gældsrådgivning", "rykkere", "Odense"],
            "text": "Fælles ord: Gældsrådgivning, rykkere, Odense"} in words["why"]


def test_the_spelling_note_shows_the_citizens_words_and_the_real_word(client):
    response = post_form(client, "/soeg", q="hjælp med min gald", municipality="Odense")
    note = Page(re.search(r'<p class="corrections">(.*?)</p>', response.text, re.S).group(1)).text
    assert note == "Læst som: »gald« → »gæld«"


def test_cards_name_the_town_the_distance_the_age_limit_and_a_waiting_list(app):
    danish = page_cards(app, "da", **DEBT)["odense-gaeldsraadgivning"]["facts"]
    english = page_cards(app, "en", **DEBT)["odense-gaeldsraadgivning"]["facts"]
    assert re.fullmatch(r"Odense · ca\. 0,\d km væk · Fra 18 år", danish)
    assert re.fullmatch(r"Odense · about 0\.\d km away · From age 18", english)
    client = app.test_client()
    page = post_form(client, "/soeg", **DEBT).text
    card = page.split('odense-gaeldsraadgivning"', 1)[1].split("</li>", 1)[0]
    assert '<span class="badge badge-capacity">Venteliste</span>' in card
    english_page = post_form(client, "/soeg?lang=en", **DEBT).text
    assert '<span class="badge badge-capacity">Waiting list</span>' in english_page


def test_a_far_offer_says_its_distance_once(client):
    response = post_form(client, "/soeg", q="strikke", age="40", postcode="5000")
    card = response.text.split('aalborg-strikkeklub"', 1)[1].split("</li>", 1)[0]
    assert re.search(r'<p class="facts">Aalborg · ca\. 18\d km væk</p>', card)
    assert "Cirka" not in card


def test_without_a_postcode_a_card_names_the_town_only(app):
    facts = page_cards(app, "da", q="gæld", municipality="Odense")["odense-gaeldsraadgivning"]["facts"]
    assert facts == "Odense · Fra 18 år"


def test_the_api_gives_the_town_and_the_distance(client):
    result = api(client, "da", **DEBT)["odense-gaeldsraadgivning"]
    assert result["town"] == "Odense" and 0 <= result["distance_km"] < 1
    assert api(client, "da", q="gæld", municipality="Odense")["odense-gaeldsraadgivning"]["distance_km"] is None


def test_the_terminal_prints_the_same_danish_words(app):
    with app.test_request_context("/soeg"):
        form = parse_search(MultiDict(DEBT))
        found = runtime().matcher.get().suggest(form.text, form.citizen, form.k)
    text = suggestions_to_text(found)
    for s in found.items:
        assert "; ".join(reason_text(r, "da") for r in s.reasons) in text
    assert re.search(r"\[odense-gaeldsraadgivning\] · Odense · ca\. 0,\d km væk · Fra 18 år · "
                     "Venteliste", text)
