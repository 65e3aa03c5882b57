"""The JSON twins return the same data the pages show."""

from __future__ import annotations

from tests.webui.conftest import SOURCE
from tests.webui.page import Page
from tests.webui.test_catalogue import offer_links
from tests.webui.test_search import search, suggested


def test_offer_list_json_has_the_same_ids_as_the_page(client):
    for query in ("", "municipality=Odense", "kind=association&status=active", "q=gæld"):
        data = client.get(f"/api/tilbud?{query}").get_json()
        page = Page(client.get(f"/tilbud?{query}").text)
        assert [o["id"] for o in data["offers"]] == offer_links(page)
        assert data["matched"] == len(data["offers"])
        assert data["total"] == 12


def test_offer_list_json_counts_the_matches(client):
    data = client.get("/api/tilbud?target_group=gaeld_oekonomi").get_json()
    assert data["counts"]["by_kind"] == {"municipal": 1, "association": 2}
    assert data["counts"]["expired"] == 1
    assert data["filters"] == {"target_group": "gaeld_oekonomi"}


def test_offer_json_is_the_interchange_record(client):
    data = client.get(f"/api/tilbud/{SOURCE}/aarhus-bostoette-85").get_json()
    assert data["id"] == "aarhus-bostoette-85"
    assert data["requires_referral"] is True
    assert data["legal_basis"] == "SEL § 85"
    assert data["min_age"] == 18 and data["municipalities"] == ["Aarhus"]
    assert data["assured_date"] == "2026-02-02"
    assert (data["source"], data["state"]) == (SOURCE, "active")
    assert data["url"] == f"/tilbud/{SOURCE}/aarhus-bostoette-85"


def test_unknown_offer_json_is_a_404_in_both_languages(client):
    response = client.get(f"/api/tilbud/{SOURCE}/findes-ikke")
    assert response.status_code == 404
    assert set(response.get_json()["error"]) >= {"da", "en"}


def test_suggestions_json_has_the_groups_and_the_same_offers_as_the_page(client):
    response = client.get("/api/forslag?q=gæld&municipality=Odense&age=40")
    data = response.get_json()
    assert response.status_code == 200
    assert data["groups"][0]["group"] == "proevehandlinger"
    assert data["groups"][0]["title_da"] == "Prøvehandlinger: et lille skridt du kan tage nu"
    assert data["ranked"][0]["id"] == "odense-gaeldsraadgivning"
    grouped = [item["id"] for group in data["groups"] for item in group["items"]]
    assert grouped == suggested(search(client, q="gæld", municipality="Odense", age="40"))


def test_suggestions_json_says_which_barriers_it_took_into_account(client):
    data = client.get("/api/forslag?q=gæld, men jeg tør ikke gå derhen alene&age=40").get_json()
    assert data["understood"]["barriers"] == ["angst"]
    assert client.get("/api/forslag?q=gæld&age=40").get_json()["understood"]["barriers"] == []


def test_suggestions_json_without_text_is_a_400_in_both_languages(client):
    response = client.get("/api/forslag?age=40")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == "q"
    assert error["da"].startswith("Skriv med dine egne ord")
    assert error["en"]


def test_suggestions_json_rejects_a_bad_age(client):
    response = client.get("/api/forslag?q=gæld&age=tolv")
    assert response.status_code == 400
    assert response.get_json()["error"]["da"] == "Alder skal være et helt tal mellem 16 og 120."


def test_suggestions_json_honours_k(client):
    data = client.get("/api/forslag?q=fællesskab&k=2").get_json()
    assert len(data["ranked"]) == 2
