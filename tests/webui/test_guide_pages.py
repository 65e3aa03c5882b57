"""The guides' pages without JavaScript: create with consent, the conversation with the network
map, suggestions, a step with a companion, the printable plan, the follow-up list; another team
is refused; the admin's log page and its CSV."""

from __future__ import annotations

import re

import pytest

from tests.casework.conftest import MARKER
from tests.webui.conftest import PASSWORD, STAFF, add_staff, csrf_token, log_in, make_app
from casework.crypto import Vault
from casework.desk import Actor, Desk
from casework.sharing import provider_view
from webui.auth.accounts import create_user


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("guide"))
    add_staff(app)
    create_user(app.extensions["brobygger"].sessions, "vejleder@odense.dk", "guide", "Odense",
                PASSWORD)
    yield app
    app.extensions["brobygger"].engine.dispose()


LOGGED_IN: dict = {}


def _guide(app, email=STAFF["guide"]):
    """A client logged in as ``email``, one per account (the login form is rate limited)."""
    if (app, email) not in LOGGED_IN:
        client = app.test_client()
        assert log_in(client, email).status_code == 302
        LOGGED_IN[app, email] = client
    return LOGGED_IN[app, email]


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def _create(client, **extra) -> str:
    fields = {"name": "Mette", "age": "34", "municipality": "Aarhus", "postcode": "8000",
              "languages": "da", "purpose": "Forløb", "consent": "yes", **extra}
    answer = _post(client, "/vejleder/borgere/ny", **fields)
    assert answer.status_code == 302, answer.text
    return re.search(r"/vejleder/borgere/([0-9a-f]{32})", answer.headers["Location"]).group(1)


def test_no_consent_no_record_and_the_form_says_why(pages):
    client = _guide(pages)
    answer = _post(client, "/vejleder/borgere/ny", name="Mette", purpose="Forløb")
    assert answer.status_code == 422 and "samtykke" in answer.text
    assert 'aria-describedby="consent-fejl"' in answer.text


def test_a_course_through_the_pages(pages):
    client = _guide(pages)
    cid = _create(client)
    page = f"/vejleder/borgere/{cid}"
    saved = _post(client, page, dreams=MARKER + ". Gå ture i naturen og drikke kaffe med andre",
                  goals="Ud en gang om ugen", barriers=["angst", "transport"],
                  **{"person-0-name": "Søsteren Lise", "person-0-relation": "søster",
                     "person-0-ring": "family", "person-0-closeness": "1",
                     "person-1-name": "", "person-2-name": ""})
    assert saved.status_code == 302
    shown = client.get(page).text
    assert MARKER in shown and 'value="Søsteren Lise"' in shown and "person-4-name" not in shown
    assert 'name="person-3-name"' in shown            # the saved person and three empty rows
    assert client.get(page).headers["Cache-Control"] == "no-store"
    suggestions = client.get(f"{page}/forslag")
    assert suggestions.status_code == 200 and "Gør til prøvehandling" in suggestions.text
    assert suggestions.text.count("Hvem bestemmer:") == suggestions.text.count("Gør til prøvehandling")
    offer = re.search(r'/trin\?offer=([^"&]+)', suggestions.text).group(1)
    form = client.get(f"{page}/trin?offer={offer}").text
    lise = re.search(r'<option value="([0-9a-f]{32})">Søsteren Lise', form).group(1)
    added = _post(client, f"{page}/trin", offer_id=offer, what="Prøve én gang",
                  when="2026-12-08", companion=lise, follow_up="2026-12-01")
    assert added.status_code == 302, added.text
    plan = client.get(f"{page}/plan").text
    assert "Prøve én gang" in plan and "Søsteren Lise" in plan and 'class="no-print"' in plan
    due = client.get("/vejleder/opfoelgning").text
    step_id = re.search(r"/vejleder/trin/([0-9a-f]{32})/opfoelgning", due).group(1)
    url = f"/vejleder/trin/{step_id}/opfoelgning"
    token = csrf_token(client, "/vejleder/opfoelgning")
    bad = client.post(url, data={"csrf_token": token, "result": "done", "next": "", "progress": "5"})
    assert bad.status_code == 422 and "next" in bad.text
    good = client.post(url, data={"csrf_token": token, "result": "partly", "next": "adjust",
                                  "progress": "6", "learned": "Kortere tur"})
    assert good.status_code == 302
    assert "Kortere tur" in client.get(f"{page}/plan").text
    assert step_id not in client.get("/vejleder/opfoelgning").text


def test_removing_a_person_from_the_map(pages):
    client = _guide(pages)
    cid = _create(client)
    page = f"/vejleder/borgere/{cid}"
    _post(client, page, **{"person-0-name": "Ole", "person-0-closeness": "3"})
    person = re.search(r'name="person-0-id" value="([0-9a-f]{32})"', client.get(page).text).group(1)
    _post(client, page, **{"person-0-id": person, "person-0-name": "Ole", "person-0-remove": "yes",
                           "person-0-closeness": "3"})
    assert 'value="Ole"' not in client.get(page).text


def test_another_team_coordinators_and_admins_are_refused(pages):
    cid = _create(_guide(pages))
    other = _guide(pages, "vejleder@odense.dk")
    for path in ("", "/forslag", "/trin", "/plan"):
        assert other.get(f"/vejleder/borgere/{cid}{path}").status_code == 403
    assert cid not in other.get("/vejleder/").text
    for role in ("coordinator", "admin"):
        assert _guide(pages, STAFF[role]).get(f"/vejleder/borgere/{cid}").status_code == 403


def test_the_admins_log_page_and_csv(pages):
    cid = _create(_guide(pages))
    admin = _guide(pages, STAFF["admin"])
    page = admin.get(f"/admin/log?citizen_id={cid}")
    assert page.status_code == 200 and "create" in page.text and "Mette" not in page.text
    exported = admin.get("/admin/log.csv")
    assert exported.mimetype == "text/csv" and cid in exported.text
    assert _guide(pages).get("/admin/log").status_code == 403


def test_the_pages_in_english(pages):
    client = _guide(pages)
    cid = _create(client)
    assert "Dreams" in client.get(f"/vejleder/borgere/{cid}?lang=en").text
    assert "Drømme" in client.get(f"/vejleder/borgere/{cid}?lang=da").text   # the choice is kept


def test_refer_with_consent_mark_the_status_and_withdraw(pages):
    client = _guide(pages)
    cid = _create(client)
    url = f"/vejleder/borgere/{cid}/henvis"
    refused = _post(client, url, offer_id="aarhus-gaagruppe", shares=["name", "dreams"])
    assert refused.status_code == 422 and 'aria-describedby="consent-fejl"' in refused.text
    sent = _post(client, url, offer_id="aarhus-gaagruppe", shares=["name", "dreams"],
                 consent="yes", message="Mette vil gerne prøve en tur")
    assert sent.status_code == 200, sent.text
    token = re.search(r"/p/([A-Za-z0-9_-]{43})", sent.text).group(1)
    plan_url = f"/vejleder/borgere/{cid}/plan"
    plan = client.get(plan_url).text
    assert "Gågruppe for seniorer" in plan and "Deles: Navn, Drømme" in plan
    referral = re.search(r"/vejleder/henvisninger/([0-9a-f]{32})/status", plan).group(1)
    token_for_forms = csrf_token(client, plan_url)
    assert client.post(f"/vejleder/henvisninger/{referral}/status",
                       data={"csrf_token": token_for_forms, "status": "accepted"}).status_code == 302
    plan = client.get(plan_url).text
    assert 'value="accepted" selected' in plan
    consent = re.search(r"/vejleder/samtykker/([0-9a-f]{32})/tilbagetraek", plan).group(1)
    assert client.post(f"/vejleder/samtykker/{consent}/tilbagetraek",
                       data={"csrf_token": token_for_forms}).status_code == 302
    assert "Samtykket er trukket tilbage" in client.get(plan_url).text
    settings = pages.extensions["brobygger"].settings
    view_desk = Desk(pages.extensions["brobygger"].sessions, Vault.from_settings(settings),
                     Actor("test"))
    assert provider_view(view_desk, token) is None


def test_live_suggestions_from_the_words_being_typed_store_nothing(pages):
    client = _guide(pages)
    cid = _create(client)
    page = f"/vejleder/borgere/{cid}"
    shown = client.get(page).text
    assert 'data-live-url="/vejleder/borgere/' in shown and "guide.js" in shown
    url = f"{page}/forslag/live"
    token = csrf_token(client, page)
    assert client.post(url, data={"dreams": "gå ture"}).status_code == 400      # no CSRF token
    live = client.post(url, data={"csrf_token": token, "dreams": "Gå ture i naturen og drikke kaffe"})
    assert live.status_code == 200 and 'class="result"' in live.text and "<html" not in live.text
    empty = client.post(url, data={"csrf_token": token})
    assert "ingen drømme" in empty.text
    assert "Gå ture i naturen" not in client.get(page).text                    # not stored


def test_the_plan_as_a_pdf_to_take_home(pages):
    client = _guide(pages)
    cid = _create(client)
    page = f"/vejleder/borgere/{cid}"
    _post(client, page, dreams="Gå ture", **{"person-0-name": "Søsteren Lise",
                                             "person-0-relation": "søster",
                                             "person-0-closeness": "1"})
    lise = re.search(r'name="person-0-id" value="([0-9a-f]{32})"', client.get(page).text).group(1)
    added = _post(client, f"{page}/trin", offer_id="aarhus-gaagruppe", what="Gå med én gang, æøå",
                  when="2026-12-08T10:00", companion=lise, follow_up="2026-12-15")
    assert added.status_code == 302, added.text
    assert f"{page}/plan.pdf" in client.get(f"{page}/plan").text
    answer = client.get(f"{page}/plan.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.fullmatch(
        r'attachment; filename="min-plan-\d{4}-\d{2}-\d{2}\.pdf"', disposition)
    assert answer.data.startswith(b"%PDF-")
    pypdf = pytest.importorskip("pypdf")
    import io
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(answer.data)).pages)
    for expected in ("Din plan, Mette", "Gå med én gang, æøå", "Gågruppe for seniorer",
                     "8. december 2026 kl. 10.00", "Søsteren Lise (søster)",
                     "15. december 2026", "Vi taler sammen igen"):
        assert expected in text, expected
    english = client.get(f"{page}/plan.pdf?lang=en")
    assert "Your plan, Mette" in " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(english.data)).pages)
    client.get(f"{page}?lang=da")
    other = _guide(pages, "vejleder@odense.dk")
    assert other.get(f"{page}/plan.pdf").status_code == 403
    admin = _guide(pages, STAFF["admin"])
    assert "download_plan" in admin.get(f"/admin/log?citizen_id={cid}").text


def test_suggestions_say_who_could_go_along_and_whom_they_know_there(pages):
    client = _guide(pages)
    cid = _create(client, age="67")
    page = f"/vejleder/borgere/{cid}"
    map_ = {"person-0-name": "Søsteren Lise", "person-0-relation": "søster",
            "person-0-ring": "family", "person-0-closeness": "1",
            "person-1-name": "Naboen Kim", "person-1-relation": "nabo",
            "person-1-closeness": "3", "person-1-offer": "gågruppe for seniorer"}
    unknown = _post(client, page, dreams="Gå ture i naturen med andre seniorer",
                    **{**map_, "person-1-offer": "Et tilbud, der ikke findes"})
    assert unknown.status_code == 422 and 'aria-describedby="network-fejl"' in unknown.text
    assert 'value="Et tilbud, der ikke findes"' in unknown.text              # kept as typed
    assert _post(client, page, dreams="Gå ture i naturen med andre seniorer",
                 **map_).status_code == 302
    shown = client.get(page).text
    assert 'value="Gågruppe for seniorer"' in shown and 'list="tilbud-navne"' in shown
    suggestions = client.get(f"{page}/forslag").text
    assert "Kan gå med: Søsteren Lise (søster)" in suggestions
    assert "Kender allerede nogen her: Naboen Kim (nabo)" in suggestions
    lise = re.search(r'/trin\?offer=aarhus-gaagruppe&amp;companion=([0-9a-f]{32})',
                     suggestions).group(1)
    form = client.get(f"{page}/trin?offer=aarhus-gaagruppe&companion={lise}").text
    assert f'<option value="{lise}" selected' in form
    live = client.post(f"{page}/forslag/live", data={
        "csrf_token": csrf_token(client, page), "dreams": "Gå ture i naturen med andre seniorer"})
    assert "Kan gå med: Søsteren Lise (søster)" in live.text


def test_ending_a_course_and_erasing_a_citizen_ask_first(pages):
    client = _guide(pages)
    cid = _create(client)
    page = f"/vejleder/borgere/{cid}"
    shown = client.get(page).text
    assert f"{page}/afslut" in shown and f"{page}/slet" in shown and f"{page}/eksport" in shown
    copy = client.get(f"{page}/eksport")
    assert copy.status_code == 200 and copy.get_json()["citizen"]["name"] == "Mette"
    assert copy.headers["Cache-Control"] == "no-store"
    assert copy.headers["Content-Disposition"] == f'attachment; filename="borger-{cid}.json"'
    other = _guide(pages, "vejleder@odense.dk")
    assert other.get(f"{page}/eksport").status_code == 403
    assert other.get(f"{page}/slet").status_code == 403
    assert other.post(f"{page}/slet", data={"csrf_token": csrf_token(other, "/vejleder/borgere/ny"),
                                            "confirm": "yes"}).status_code == 403
    assert client.post(f"{page}/afslut", data={"confirm": "yes"}).status_code == 400   # no CSRF
    unconfirmed = _post(client, f"{page}/afslut")
    assert unconfirmed.status_code == 422 and 'aria-describedby="confirm-fejl"' in unconfirmed.text
    assert _post(client, f"{page}/afslut", confirm="yes").status_code == 302
    assert "Forløbet er afsluttet." in client.get(page).text
    assert _post(client, f"{page}/slet").status_code == 422
    assert client.get(page).status_code == 200                                # still there
    erased = _post(client, f"{page}/slet", confirm="yes")
    assert erased.status_code == 302 and erased.headers["Location"].endswith("/vejleder/")
    assert client.get(page).status_code == 404
    assert cid not in client.get("/vejleder/").text
    admin = _guide(pages, STAFF["admin"])
    log = admin.get("/admin/log.csv").text
    assert "end_course" in log and "erase" in log and "refused" in log and "export" in log


def test_the_pdf_takes_any_text_and_logs_none_of_it(pages, caplog):
    from datetime import date

    from webui.planpdf import plan_pdf

    step = {"what": "Kor 中文 " + "x" * 300, "where": None, "when": "en dag i næste uge",
            "companion": None, "follow_up": None, "offer_id": None}
    with pages.test_request_context():
        made = plan_pdf({"name": "Ib", "steps": [step]}, {}, {}, date(2026, 12, 6))
    assert made.startswith(b"%PDF-") and "中" not in caplog.text
