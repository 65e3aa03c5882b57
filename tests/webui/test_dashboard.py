"""The dashboard as a coordinator meets it: coverage rows (JSON, CSV with formula-safe cells, the
page with gaps said in words) counted independently here from the test catalogue, and outcomes
on a seeded scenario where a group under five citizens is withheld."""

from __future__ import annotations

import csv
import io
from datetime import date
from xml.etree import ElementTree

import pytest

from casework import citizens, sharing
from casework.crypto import Vault
from casework.desk import Actor, Desk
from casework.inbox import answer_referral
from casework.links import PROVIDER_LINK
from catalogue.places import municipality_key
from catalogue.states import offer_state
from tests.casework.conftest import new_citizen
from tests.webui.conftest import STAFF, log_in, make_app, offers, staff_with_tokens
from tests.webui.page import Page
from tests.webui.test_api_v1 import check

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("dashboard"))
    yield app, staff_with_tokens(app)
    app.extensions["brobygger"].engine.dispose()


def expected_cell(municipality: str, group: str) -> tuple[int, int]:
    """Counted here by hand from the test catalogue: running offers open to the municipality
    (named, ``alle`` or none named) that name the group."""
    found = [o for o in offers()
             if offer_state(o, date.today(), 365) not in ("expired", "paused", "ended")
             and (not o.municipalities or any(municipality_key(m) in ("alle", municipality_key(
                 municipality)) for m in o.municipalities))
             and group in o.target_groups]
    return len(found), sum(1 for o in found if o.kind == "association")


def test_coverage_as_json_for_coordinators_and_admins_only(board):
    app, heads = board
    client = app.test_client()
    check(client.get("/api/v1/dashboard/coverage"), 401, "/api/v1/dashboard/coverage")
    check(client.get("/api/v1/dashboard/coverage", headers=heads["guide"]), 403,
          "/api/v1/dashboard/coverage")
    rows = check(client.get("/api/v1/dashboard/coverage?municipality=Aarhus",
                            headers=heads["coordinator"]), 200, "/api/v1/dashboard/coverage")["rows"]
    assert {r["municipality"] for r in rows} == {"Aarhus"} and len(rows) == 15
    for row in rows:
        offers_, civil = expected_cell("Aarhus", row["target_group"])
        assert (row["offers"], row["civil_society_offers"], row["gap"]) == (offers_, civil,
                                                                            civil < 2), row
    every = client.get("/api/v1/dashboard/coverage", headers=heads["admin"]).get_json()["rows"]
    assert {"Aarhus", "Odense", "Esbjerg"} <= {r["municipality"] for r in every}
    check(client.get("/api/v1/dashboard/coverage?municipality=" + "x" * 101,
                     headers=heads["admin"]), 400, "/api/v1/dashboard/coverage")


def test_coverage_as_csv_has_formula_safe_cells(board):
    app, heads = board
    response = app.test_client().get("/api/v1/dashboard/coverage?municipality==HYPERLINK(1)",
                                     headers={**heads["coordinator"], "Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert table[0]["municipality"] == "'=HYPERLINK(1)" and table[0]["gap"] in ("true", "false")
    assert set(table[0]) == {"municipality", "target_group", "offers", "civil_society_offers",
                             "gap"}


def _seed(app, offer: str, count: int, answer: str | None) -> None:
    """``count`` citizens of team Aarhus referred to ``offer``; the provider answers each."""
    sessions = app.extensions["brobygger"].sessions
    desk = Desk(sessions, Vault.from_settings(app.extensions["brobygger"].settings),
                Actor(STAFF["guide"], None, "Aarhus"))
    for _ in range(count):
        cid = citizens.create_citizen(desk, new_citizen())
        consent = sharing.give_consent(desk, cid, {"scope": {"offer_id": offer},
                                                   "shares": ["age"], "given_at": "2026-01-01"})
        sent = sharing.refer(desk, {"citizen_id": cid, "offer_id": offer, "consent_id": consent})
        if answer:
            answer_referral(desk.with_actor(PROVIDER_LINK), sent["provider_link"][3:],
                            {"action": answer, "reason": "full"})


def test_outcomes_on_a_seeded_scenario_withhold_groups_under_five(board):
    app, heads = board
    _seed(app, "aarhus-gaagruppe", 4, "accept")
    _seed(app, "aarhus-gaagruppe", 2, "decline")
    _seed(app, "aarhus-bostoette-85", 3, None)                 # 3 citizens: withheld
    client = app.test_client()
    check(client.get("/api/v1/dashboard/outcomes", headers=heads["guide"]), 403,
          "/api/v1/dashboard/outcomes")
    data = check(client.get("/api/v1/dashboard/outcomes", headers=heads["coordinator"]), 200,
                 "/api/v1/dashboard/outcomes")
    [walk] = data["by_offer"]
    assert walk["offer_id"] == "test:aarhus-gaagruppe" and walk["kind"] == "association"
    assert walk["citizens"] == 6 and walk["referrals"]["total"] == 6
    assert (walk["referrals"]["accepted"], walk["referrals"]["declined"]) == (4, 2)
    assert walk["referrals"]["conversion"] == round(4 / 6, 3)
    assert walk["referrals"]["declined_because"]["full"] == 2
    assert [k["kind"] for k in data["by_kind"]] == ["association"]
    assert data["withheld"] == {"offers": 1, "kinds": 1}
    assert "Socialpædagogisk bostøtte" not in client.get(
        "/api/v1/dashboard/outcomes", headers=heads["admin"]).text

    page_client = app.test_client()
    log_in(page_client, STAFF["coordinator"])
    page = page_client.get("/koordinator/oversigt/?municipality=Aarhus")
    assert page.status_code == 200
    shown = Page(page.text)
    assert shown.find("caption") and shown.find("th", scope="row")
    assert "Gågruppe for seniorer" in shown.text and "Socialpædagogisk bostøtte" not in shown.text
    gaps = sum(1 for r in check(client.get("/api/v1/dashboard/coverage?municipality=Aarhus",
                                           headers=heads["coordinator"]), 200,
                                "/api/v1/dashboard/coverage")["rows"] if r["gap"])
    assert shown.text.count("Hul: få eller ingen") == gaps > 0
    paused = sum(1 for o in offers() if o.status == "paused" and (
        not o.municipalities or {"alle", "aarhus"} & {municipality_key(m) for m in o.municipalities}))
    assert f"Sat på pause {paused}" in shown.text
    download = page_client.get("/koordinator/oversigt/daekning.csv?municipality=Aarhus")
    assert download.mimetype == "text/csv" and len(download.text.splitlines()) == 16
    assert app.test_client().get("/koordinator/oversigt/").status_code == 302   # log in first


def test_an_offer_many_never_reach_is_flagged_in_the_worklist(board):
    app, heads = board
    _seed(app, "aarhus-ungefaellesskab", 5, "decline")
    _seed(app, "aarhus-ungefaellesskab", 1, "accept")
    client = app.test_client()
    log_in(client, STAFF["coordinator"])
    page = Page(client.get("/koordinator/arbejdslister").text)
    assert "Svære at nå (1)" in page.text
    assert "Ungefællesskabet – for unge 18-29 år 6 5 (83 %)" in page.text
    assert "Gågruppe for seniorer" not in page.text.split("Svære at nå")[1].split("Mulige")[0]


def svg_texts(response) -> tuple[ElementTree.Element, list[str]]:
    """The chart's root element and every text drawn in it (matplotlib leaves text as text)."""
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(response.data)
    return root, ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_charts_name_themselves_and_never_draw_a_group_under_five(board):
    app, heads = board
    _seed(app, "aarhus-gaagruppe", 5, "accept")              # associations: at least 5 citizens
    _seed(app, "odense-cafe-vaeksthuset", 3, "accept")       # social economy: 3, never drawn
    client = app.test_client()
    log_in(client, STAFF["coordinator"])
    root, texts = svg_texts(client.get("/koordinator/oversigt/diagram/udfald.svg"))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Henvisninger og prøvehandlinger efter slags tilbud"
    assert "mindst 5 borgere" in root.find(f"{SVG}desc").text
    kinds = client.get("/api/v1/dashboard/outcomes", headers=heads["coordinator"]).get_json()
    assert "social_economy" not in [k["kind"] for k in kinds["by_kind"]]
    assert "Forening / civilsamfund" in texts and "Socialøkonomisk virksomhed" not in texts
    table = list(csv.DictReader(io.StringIO(client.get("/koordinator/oversigt/udfald.csv").text)))
    assert [(r["group"], r["kind"]) for r in table if r["group"] == "kind"] == [("kind", "association")]
    walk = next(r for r in table if r["name"] == "Gågruppe for seniorer")
    shown = next(o for o in kinds["by_offer"] if o["name"] == "Gågruppe for seniorer")
    assert (int(walk["citizens"]), int(walk["referrals"])) == (shown["citizens"],
                                                              shown["referrals"]["total"])
    assert "Væksthuset" not in client.get("/api/v1/dashboard/outcomes?format=csv",
                                          headers=heads["admin"]).text

    root, texts = svg_texts(client.get("/koordinator/oversigt/diagram/daekning.svg?municipality=Aarhus"))
    rows = client.get("/api/v1/dashboard/coverage?municipality=Aarhus",
                      headers=heads["coordinator"]).get_json()["rows"]
    gaps = sum(1 for row in rows if row["gap"])
    assert f"{gaps} af {len(rows)} målgrupper har et hul" in root.find(f"{SVG}desc").text
    assert {"Ældre", "Tilbud i alt", "Fra civilsamfundet"} <= set(texts)

    page = Page(client.get("/koordinator/oversigt/?municipality=Aarhus").text)
    images = page.find("img")
    assert [i["src"].split("?")[0] for i in images] == [
        "/koordinator/oversigt/diagram/daekning.svg", "/koordinator/oversigt/diagram/udfald.svg"]
    assert all(i["alt"] for i in images) and len(page.find("table")) >= 4   # the tables stay
    assert client.get("/koordinator/oversigt/diagram/andet.svg").status_code == 404
    assert app.test_client().get("/koordinator/oversigt/diagram/udfald.svg").status_code == 302
