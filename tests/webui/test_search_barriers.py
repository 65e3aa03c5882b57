"""Barriers through the search API and the search page (issue 22): ``barriers=CODE,...`` and
barriers in the citizen's words come back in ``understood.barriers``, the answering bridges
first in ``bridges`` and in words in ``why``; the page has a checkbox per barrier."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tests.webui.conftest import post_form
from tests.webui.test_api_v1 import check
from webui.searchform import parse_search

SEARCH = "/api/v1/search?q=gæld og rykkere&municipality=Odense&age=40"


def reasons_of(result: dict, code: str) -> list[dict]:
    return [w for w in result["why"] if w["code"] == code]


def test_ticked_barriers_are_understood_and_the_answering_bridge_is_named(client):
    data = check(client.get(SEARCH + "&barriers=anonym,trapper"), 200, "/api/v1/search")
    assert data["understood"]["barriers"] == ["anonym", "trapper"]
    first = next(r for r in data["results"] if r["id"] == "odense-gaeldsraadgivning")
    assert first["bridges"] == ["anonym"]
    assert [w["text"] for w in reasons_of(first, "bridge")] == [
        "Du behøver ikke sige dit navn", "Der er adgang uden trapper, også i kørestol"]
    english = client.get(SEARCH + "&barriers=anonym&lang=en").get_json()
    first = next(r for r in english["results"] if r["id"] == "odense-gaeldsraadgivning")
    assert [w["text"] for w in reasons_of(first, "bridge")] == ["You do not have to give your name"]


def test_barriers_in_the_citizens_words_are_understood(client):
    data = client.get("/api/v1/search?q=Jeg vil gerne gå ture, men jeg tør ikke gå derhen "
                      "alene&age=70").get_json()
    assert data["understood"]["barriers"] == ["angst"]
    walk = next(r for r in data["results"] if r["id"] == "aarhus-gaagruppe")
    assert walk["bridges"][:2] == ["proevegang", "ledsager"]
    assert {w["values"][0] for w in reasons_of(walk, "bridge")} == {"proevegang", "ledsager"}


def test_every_result_says_taking_part_giving_or_working(client):
    data = client.get("/api/v1/search?q=jeg vil gerne være frivillig&lang=en").get_json()
    roles = [reasons_of(r, "role") for r in data["results"]]
    assert roles and all(len(r) == 1 for r in roles)
    assert any(r[0]["values"] == ["frivillig"] and r[0]["text"] == "You give: a volunteer role"
               for r in roles)


def test_an_unknown_barrier_is_a_400_naming_the_field(client):
    data = check(client.get(SEARCH + "&barriers=sprog,flyvskræk"), 400, "/api/v1/search")
    assert data["error"]["field"] == "barriers" and "flyvskræk" in data["error"]["da"]


def test_the_search_form_reads_ticked_barriers():
    form = parse_search(MultiDict([("q", "strik"), ("barriers", "angst"), ("barriers", "sprog")]))
    assert form.valid and form.citizen.barriers == ("angst", "sprog")


def test_the_search_page_offers_each_barrier_in_plain_words(client):
    page = client.get("/soeg").get_data(as_text=True)
    assert 'name="barriers" value="sprog"' in page and "Jeg har ingen at gå med" in page
    english = client.get("/soeg?lang=en").get_data(as_text=True)
    assert "I have no one to go with" in english


def test_the_page_says_which_barriers_it_takes_into_account(client):
    page = post_form(client, "/soeg", q="Jeg vil gerne gå ture, men jeg har ingen at gå med",
                     barriers="sprog").get_data(as_text=True)
    assert ("Vi tager hensyn til: »Jeg har ingen at gå med«, »Jeg taler ikke så godt dansk«"
            in page)
    assert 'value="sprog" checked' in page
