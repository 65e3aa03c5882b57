"""Two people working on one citizen's course at the same moment, on SQLite and PostgreSQL: no
change is ever lost without someone being told. The conversation is versioned (ETag and
If-Match on the API, a version field in the form with a conflict page); a step's outcome and its
check-in (the citizen's link or the guide) are written once (409 for the second); a referral's
status changes only from the status its changer saw (the provider's answer by the link, a
guide's page or the API), else 409 and nothing written; two new steps are both kept. A listing
link answers once: of a provider's report and confirmation (or two reports) at once, one is
kept."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from casework.desk import utc_now
from casework.models import AuditEntry
from catalogue import editing
from catalogue.history import offer_history
from catalogue.listing_links import issue_link
from catalogue.listing_reports import open_reports
from catalogue.tokens import provider_link
from tests.security.world import OFFER, bearer, build_world, attack_app
from tests.webui.conftest import PASSWORD, csrf_token, log_in
from tests.webui.page import Page
from tests.webui.test_api_v1 import check
from webui.auth.accounts import create_token, create_user

SECOND_GUIDE = "vejleder2@test.dk"


@pytest.fixture
def world(tmp_path, database_url):
    app = attack_app(tmp_path, database_url)
    world = build_world(app)
    sessions = app.extensions["brobygger"].sessions
    create_user(sessions, SECOND_GUIDE, "guide", "Aarhus", PASSWORD)
    world.headers["guide2"] = bearer(create_token(sessions, SECOND_GUIDE))
    yield world
    app.extensions["brobygger"].engine.dispose()


def at_once(*calls):
    """Run the calls in threads released together; their answers in the calls' order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def talk(dreams: str) -> dict:
    return {"dreams": dreams, "goals": "Ud af huset", "network": []}


def test_two_saves_from_one_version_at_once_one_wins_the_other_is_told(world):
    app, course = world.app, world.team_a
    url = f"/api/v1/citizens/{course.citizen}/conversation"
    first = app.test_client().get(url, headers=world.headers["guide"])
    etag = first.headers["ETag"]
    assert etag == f'"{first.get_json()["version"]}"'
    answers = at_once(*[
        lambda who=who: app.test_client().put(url, json=talk(f"Drømmen fra {who}"),
                                              headers={**world.headers[who], "If-Match": etag})
        for who in ("guide", "guide2")])
    assert sorted(a.status_code for a in answers) == [200, 412]
    won, lost = sorted(answers, key=lambda a: a.status_code)
    stale = lost.get_json()
    assert stale["error"]["field"] == "version" and stale["error"]["da"]
    assert stale["current"]["dreams"] == won.get_json()["dreams"]
    saved = app.test_client().get(url, headers=world.headers["guide"])
    assert saved.get_json()["dreams"] == won.get_json()["dreams"]
    assert saved.headers["ETag"] == won.headers["ETag"] != etag
    # the one told starts again from what is saved now, and then it is saved
    again = app.test_client().put(url, json=talk("Begge drømme"), headers={
        **world.headers["guide2"], "If-Match": saved.headers["ETag"]})
    assert again.status_code == 200 and again.get_json()["dreams"] == "Begge drømme"


def test_without_if_match_the_contract_stays_last_save_wins_and_a_bad_one_is_400(world):
    url = f"/api/v1/citizens/{world.team_a.citizen}/conversation"
    client = world.app.test_client()
    assert client.put(url, json=talk("Uden version"), headers=world.headers["guide"]
                      ).status_code == 200
    bad = client.put(url, json=talk("x"), headers={**world.headers["guide"], "If-Match": "nyeste"})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "If-Match"


def hidden_fields(client, path: str) -> dict:
    """The hidden fields of the forms on ``path`` (the CSRF token, the state the page shows)."""
    return {tag["name"]: tag.get("value", "") for tag in Page(client.get(path).text).find("input")
            if tag.get("type") == "hidden"}


def _guide_page(world, email: str):
    client = world.app.test_client()
    assert log_in(client, email).status_code == 302
    path = f"/vejleder/borgere/{world.team_a.citizen}"
    return client, path, hidden_fields(client, path)


def test_two_guides_in_the_form_the_second_meets_a_conflict_page_and_loses_nothing(world):
    first, path, first_form = _guide_page(world, "vejleder@test.dk")
    second, _, second_form = _guide_page(world, SECOND_GUIDE)
    assert first_form["version"] == second_form["version"]
    saved = first.post(path, data={**first_form, "dreams": "Den første vejleders drøm"})
    assert saved.status_code == 302
    conflict = second.post(path, data={**second_form, "dreams": "Den anden vejleders drøm"})
    assert conflict.status_code == 409
    page = Page(conflict.text)
    assert "En anden har gemt samtalen, mens du skrev" in page.text
    assert "Den første vejleders drøm" in page.text             # what is saved now
    assert "Den anden vejleders drøm" in conflict.text           # what this guide typed, kept
    stored = world.app.test_client().get(f"/api/v1/citizens/{world.team_a.citizen}/conversation",
                                         headers=world.headers["guide"]).get_json()
    assert stored["dreams"] == "Den første vejleders drøm"
    newer = {t["name"]: t.get("value", "") for t in page.find("input") if t.get("type") == "hidden"}
    assert int(newer["version"]) == stored["version"]
    merged = second.post(path, data={**newer, "csrf_token": csrf_token(second, path),
                                     "dreams": "Begge vejlederes drømme"})
    assert merged.status_code == 302


def test_one_outcome_per_step_and_two_new_steps_both_kept(world):
    app, course = world.app, world.team_a
    outcome = {"result": "done", "progress": 7, "next": "continue", "learned": "Det gik"}
    answers = at_once(*[
        lambda who=who: app.test_client().post(
            f"/api/v1/steps/{course.step}/outcome", json={**outcome, "learned": who},
            headers=world.headers[who]) for who in ("guide", "guide2")])
    assert sorted(a.status_code for a in answers) == [200, 409]
    won = next(a for a in answers if a.status_code == 200).get_json()
    plan_url = f"/api/v1/citizens/{course.citizen}/plan"
    steps = app.test_client().get(plan_url, headers=world.headers["guide"]).get_json()["steps"]
    assert next(s for s in steps if s["id"] == course.step)["outcome"]["learned"] == \
        won["outcome"]["learned"]
    at_once(*[lambda who=who: app.test_client().post(
        f"/api/v1/citizens/{course.citizen}/steps", json={"what": f"Trin fra {who}"},
        headers=world.headers[who]) for who in ("guide", "guide2")])
    whats = [s["what"] for s in app.test_client().get(plan_url, headers=world.headers["guide"]
                                                      ).get_json()["steps"]]
    assert {"Trin fra guide", "Trin fra guide2"} <= set(whats)


def written(world, action: str) -> int:
    """Audit entries of ``action`` on team A's citizen: one per write that happened."""
    with world.app.extensions["brobygger"].sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.citizen_id == world.team_a.citizen, AuditEntry.action == action))


def the_step(world) -> dict:
    plan = world.app.test_client().get(f"/api/v1/citizens/{world.team_a.citizen}/plan",
                                       headers=world.headers["guide"]).get_json()
    return next(s for s in plan["steps"] if s["id"] == world.team_a.step)


def the_referral(world) -> dict:
    return world.app.test_client().get(f"/api/v1/referrals/{world.team_a.referral}",
                                       headers=world.headers["guide"]).get_json()


def link_browser(path: str, world):
    """A fresh browser on a token link's page (no account): posts its form as a person would,
    with the hidden fields the page gave."""
    client = world.app.test_client()
    hidden = hidden_fields(client, path)
    return lambda **form: client.post(path, data={**hidden, **form})


def test_two_answers_through_one_checkin_link_at_once_the_first_is_kept(world):
    path = world.team_a.checkin_path
    yes, no = link_browser(path, world), link_browser(path, world)
    answers = at_once(lambda: yes(happened="ja", again="yes", feeling="good"),
                      lambda: no(happened="nej", again="no"))
    assert sorted(a.status_code for a in answers) == [200, 409]
    won = next(i for i, a in enumerate(answers) if a.status_code == 200)
    told = Page(answers[1 - won].text).text
    assert "Dit svar er ikke gemt" in told and "allerede brugt" in told
    checkin = the_step(world)["checkin"]
    assert (checkin["happened"], checkin["by"]) == ((won == 0), "citizen")
    assert written(world, "checkin") == 1
    # afterwards, one more answer through the used link is refused and changes nothing
    late = (yes, no)[1 - won](happened="ja" if won else "nej")
    assert late.status_code == 409 and "Dit svar er ikke gemt" in Page(late.text).text
    assert the_step(world)["checkin"] == checkin and written(world, "checkin") == 1


def test_the_citizens_link_and_the_guide_answering_the_checkin_at_once(world):
    citizen = link_browser(world.team_a.checkin_path, world)
    url = f"/api/v1/steps/{world.team_a.step}/checkin"
    page, api = at_once(
        lambda: citizen(happened="ja", feeling="ok"),
        lambda: world.app.test_client().post(url, json={"happened": False},
                                             headers=world.headers["guide"]))
    assert sorted([page.status_code, api.status_code]) == [200, 409]
    if api.status_code == 409:
        refused = check(api, 409, "/api/v1/steps/{id}/checkin", "post")["error"]
        assert refused["field"] == "happened" and refused["da"] and refused["en"]
        assert "Dit svar er ikke gemt" not in Page(page.text).text
    else:
        assert "Dit svar er ikke gemt" in Page(page.text).text
    assert the_step(world)["checkin"]["by"] == ("citizen" if page.status_code == 200 else "guide")
    assert written(world, "checkin") == 1


def test_two_provider_answers_at_once_one_is_kept_the_other_gets_409(world):
    api = "/api/v1/provider/" + world.team_a.provider_path.removeprefix("/p/")
    bodies = ({"action": "accept"}, {"action": "decline", "reason": "full"})
    answers = at_once(*[lambda b=b: world.app.test_client().post(api, json=b) for b in bodies])
    assert sorted(a.status_code for a in answers) == [200, 409]
    won = next(a for a in answers if a.status_code == 200).get_json()
    lost = check(next(a for a in answers if a.status_code == 409), 409,
                 "/api/v1/provider/{token}", "post")["error"]
    assert lost["field"] == "token" and "allerede brugt" in lost["da"] and lost["en"]
    assert the_referral(world)["status"] == won["status"]
    assert written(world, "provider_answer") == 1
    again = world.app.test_client().post(api, json={"action": "accept"})
    assert again.status_code == 409 and the_referral(world)["status"] == won["status"]


def test_the_providers_answer_and_a_guides_status_change_at_once(world):
    referral = world.team_a.referral
    provider = link_browser(world.team_a.provider_path, world)
    answers = at_once(
        lambda: provider(action="decline", reason="full"),
        lambda: world.app.test_client().post(
            f"/api/v1/referrals/{referral}/status", headers=world.headers["guide"],
            json={"status": "ended", "expected_status": "sent"}))
    page, api = answers
    assert sorted(a.status_code for a in answers) == [200, 409]
    if api.status_code == 409:
        refused = check(api, 409, "/api/v1/referrals/{id}/status", "post")["error"]
        assert refused["field"] == "status" and "Afvist" in refused["da"] and \
            "Declined" in refused["en"]
        assert the_referral(world)["status"] == "declined"
    else:
        assert "ændret i mellemtiden" in Page(page.text).text     # the form again, saying why
        assert the_referral(world)["status"] == "ended"
        assert the_referral(world)["answer"] is None
    assert written(world, "provider_answer") + written(world, "referral_status") == 1


def test_two_guides_changing_a_referrals_status_at_once_page_and_api(world):
    referral = world.team_a.referral
    client = world.app.test_client()
    assert log_in(client, "vejleder@test.dk").status_code == 302
    shown = hidden_fields(client, f"/vejleder/borgere/{world.team_a.citizen}/plan")
    assert shown["expected_status"] == "sent"
    answers = at_once(
        lambda: client.post(f"/vejleder/henvisninger/{referral}/status",
                            data={**shown, "status": "accepted"}),
        lambda: world.app.test_client().post(
            f"/api/v1/referrals/{referral}/status", headers=world.headers["guide2"],
            json={"status": "declined", "expected_status": "sent"}))
    form_answer, api = answers
    assert form_answer.status_code == 302 and api.status_code in (200, 409)
    told = Page(client.get(form_answer.headers["Location"]).text).text
    if api.status_code == 200:
        assert "ændret i mellemtiden" in told and "Henvisningens status er gemt" not in told
        assert the_referral(world)["status"] == "declined"
    else:
        check(api, 409, "/api/v1/referrals/{id}/status", "post")
        assert "Henvisningens status er gemt" in told
        assert the_referral(world)["status"] == "accepted"
    assert written(world, "referral_status") == 1


def test_a_providers_answer_from_a_page_showing_an_old_status_is_refused_then_taken(world):
    path = world.team_a.provider_path
    client = world.app.test_client()
    stale = hidden_fields(client, path)
    assert stale["expected_status"] == "sent"
    assert world.app.test_client().post(
        f"/api/v1/referrals/{world.team_a.referral}/status", headers=world.headers["guide"],
        json={"status": "accepted"}).status_code == 200
    refused = client.post(path, data={**stale, "action": "decline", "reason": "full"})
    assert refused.status_code == 409
    assert "ændret i mellemtiden (nu: Accepteret)" in Page(refused.text).text
    assert the_referral(world)["status"] == "accepted" and the_referral(world)["answer"] is None
    assert written(world, "provider_answer") == 0
    fresh = {t["name"]: t.get("value", "") for t in Page(refused.text).find("input")
             if t.get("type") == "hidden"}
    assert fresh["expected_status"] == "accepted"
    taken = client.post(path, data={**fresh, "action": "decline", "reason": "full"})
    assert taken.status_code == 200 and the_referral(world)["status"] == "declined"


def listing_link(world) -> str:
    """A coordinator's fresh link for team A's offer: its page's path."""
    sessions = world.app.extensions["brobygger"].sessions
    key = editing.resolve(sessions, OFFER)
    with sessions.begin() as session:
        return provider_link(issue_link(session, key, utc_now(), 30, "koordinator@test.dk"))


def listing_answers(world) -> tuple[int, int, date | None]:
    """(reports kept, provider answers in the offer's history, the offer's confirmed date)."""
    sessions = world.app.extensions["brobygger"].sessions
    key = editing.resolve(sessions, OFFER)
    with sessions() as session:
        reports = len(open_reports(session))
        answered = {(c.action, c.version) for c in offer_history(session, key)
                    if c.action.startswith("provider_")}
    return reports, len(answered), editing.get_offer(sessions, key).record.assured_date


def test_a_providers_report_and_confirmation_through_one_listing_link_at_once(world):
    path = listing_link(world)
    page = link_browser(path, world)
    api = "/api/v1/provider/" + path.removeprefix("/p/")
    report, confirm = at_once(
        lambda: page(action="report", part="time", text="Vi mødes nu om onsdagen"),
        lambda: world.app.test_client().post(api, json={"action": "confirm", "capacity": "full"}))
    assert sorted([report.status_code, confirm.status_code]) == [200, 409]
    reports, answered, assured = listing_answers(world)
    assert answered == 1
    if report.status_code == 200:
        assert "Tak for meldingen" in Page(report.text).text
        lost = check(confirm, 409, "/api/v1/provider/{token}", "post")["error"]
        assert lost["field"] == "token" and "allerede brugt" in lost["da"]
        assert reports == 1 and assured != date.today()           # the offer is unchanged
    else:
        assert "Dit svar er ikke gemt" in Page(report.text).text
        assert reports == 0 and assured == date.today()


def test_two_reports_through_one_listing_link_at_once_one_is_kept(world):
    path = listing_link(world)
    api = "/api/v1/provider/" + path.removeprefix("/p/")
    answers = at_once(*[lambda who=who: world.app.test_client().post(api, json={
        "action": "report", "part": "contact", "text": f"Ring til {who}"})
        for who in ("Bente", "Karim")])
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert listing_answers(world)[:2] == (1, 1)
