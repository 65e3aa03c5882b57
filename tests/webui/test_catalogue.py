"""The offer list and the offer page, as a coordinator or a citizen sees them."""

from __future__ import annotations

from dataclasses import replace

from tests.webui.conftest import SOURCE, import_offers, offers
from tests.webui.page import Page


def offer_links(page: Page) -> list[str]:
    prefix = f"/tilbud/{SOURCE}/"
    return [href.removeprefix(prefix) for href in page.links if href.startswith(prefix)]


def test_front_page_sends_you_to_the_offers(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tilbud")


def test_list_shows_every_offer_with_danish_labels(client):
    page = Page(client.get("/tilbud").text)
    assert len(offer_links(page)) == 12
    assert "Viser 1–12 af 12 tilbud" in page.text
    assert "Gældsrådgivning for borgere i Odense" in page.text
    for danish in ("Kommunalt tilbud", "Forening / civilsamfund", "Socialøkonomisk virksomhed",
                   "Gæld og økonomi", "Psykisk sårbarhed", "man-tors kl. 9-15", "Alle kommuner"):
        assert danish in page.text
    assert "gaeld_oekonomi" not in page.text


def test_list_marks_referral_expired_and_paused_offers(client):
    page = Page(client.get("/tilbud").text)
    assert "Kræver visitation" in page.text
    assert "Udløbet" in page.text
    assert "Sat på pause" in page.text


def test_filters_narrow_the_list(client):
    def ids(query: str) -> set[str]:
        return set(offer_links(Page(client.get(f"/tilbud?{query}").text)))

    assert ids("kind=social_economy") == {"odense-cafe-vaeksthuset"}
    assert ids("target_group=gaeld_oekonomi") == {
        "odense-gaeldsraadgivning", "aarhus-gaeldscafe", "odense-gaeldsgruppe-2024"}
    assert ids("q=GÆLD&status=active") == {"odense-gaeldsraadgivning"}
    assert ids("q=GÆLD&state=stale") == {"aarhus-gaeldscafe"}   # never confirmed
    assert ids("status=paused") == {"esbjerg-kriseraadgivning"}
    assert ids("status=expired") == {"sommerhoejskole-paaroerende", "odense-gaeldsgruppe-2024"}


def test_municipality_filter_keeps_offers_open_to_everyone(client):
    shown = set(offer_links(Page(client.get("/tilbud?municipality=Odense").text)))
    assert "odense-gaeldsraadgivning" in shown
    assert "aarhus-gaagruppe" in shown  # open to every municipality
    assert "aarhus-gaeldscafe" not in shown and "aarhus-bostoette-85" not in shown


def test_municipality_choices_come_from_the_catalogue(client):
    page = Page(client.get("/tilbud").text)
    assert page.options("municipality") == ["Aarhus", "Esbjerg", "Fanø", "Odense"]


def test_no_match_says_so(client):
    page = Page(client.get("/tilbud?q=zzzz").text)
    assert "Ingen tilbud passer til filtrene" in page.text


def test_offer_page_shows_eligibility_in_danish(client):
    page = Page(client.get(f"/tilbud/{SOURCE}/aarhus-bostoette-85").text)
    for seen in ("Socialpædagogisk bostøtte", "Fra 18 år", "Aarhus",
                 "Ja, kræver visitation fra kommunen", "SEL § 85", "Autisme og ADHD",
                 "Venteliste", "Sidst bekræftet", "02.02.2026"):
        assert seen in page.text


def test_offer_page_shows_practical_details(client):
    page = Page(client.get(f"/tilbud/{SOURCE}/aarhus-gaagruppe").text)
    for seen in ("Riis Skov, P-pladsen ved Ørnereden, 8000", "tirsdage kl. 10-12",
                 "Læst som: tirsdag kl. 10.00-12.00", "Kørestolsvenligt",
                 "Prøv en gang uden at melde dig ind", "deltager, frivillig", "Fra 60 år",
                 "Nej, du kan bare henvende dig", "Ingen slutdato"):
        assert seen in page.text


def test_offer_page_says_when_an_offer_has_expired(client):
    page = Page(client.get(f"/tilbud/{SOURCE}/sommerhoejskole-paaroerende").text)
    assert "Udløbet" in page.text
    assert "04.07.2025" in page.text


def test_unknown_offer_is_not_found_in_danish(client):
    response = client.get(f"/tilbud/{SOURCE}/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in Page(response.text).text


def test_an_offer_whose_id_holds_a_slash_has_a_page_that_answers(own_app, tmp_path):
    import_offers(own_app, [replace(offers()[0], id="aarhus/gaa-tur")], tmp_path / "slash.jsonl")
    client = own_app.test_client()
    listing = Page(client.get("/tilbud").text)
    link = next(href for href in listing.links if "gaa-tur" in href)
    assert client.get(link).status_code == 200
    assert client.get("/api" + link).get_json()["id"] == "aarhus/gaa-tur"


def test_a_page_number_that_only_looks_like_digits_shows_the_first_page(client):
    for page in ("²", "٣", "9" * 5000, "0"):
        for path in ("/tilbud", "/api/tilbud", "/api/v1/offers"):
            assert client.get(f"{path}?page={page}").status_code == 200, (path, page)
    assert client.get("/api/tilbud?page=²").get_json()["page"] == 1
