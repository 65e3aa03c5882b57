"""Two guides of one team working on one citizen at the same moment, on SQLite and PostgreSQL:
no change is ever lost without someone being told. The conversation is versioned (ETag and
If-Match on the API, a version field in the form with a conflict page); a step's outcome is
written once (409 for the second); two new steps are both kept."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.security.world import bearer, build_world, attack_app
from tests.webui.conftest import PASSWORD, csrf_token, log_in
from tests.webui.page import Page
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


def _guide_page(world, email: str):
    client = world.app.test_client()
    assert log_in(client, email).status_code == 302
    path = f"/vejleder/borgere/{world.team_a.citizen}"
    form = {tag["name"]: tag.get("value", "") for tag in Page(client.get(path).text).find("input")
            if tag.get("type") == "hidden"}
    return client, path, form


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
