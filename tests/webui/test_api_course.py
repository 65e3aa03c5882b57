"""The citizen's course over /api/v1 (``shared/api.md``), every answer checked against the
OpenAPI document: own team only, consent first, referrals under consent, follow-ups, export,
erasure, the admin's audit log; and the marker sentence never in the database in clear text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tests.casework.conftest import MARKER, new_citizen
from tests.webui.conftest import PASSWORD, STAFF, add_staff, make_app
from tests.webui.test_api_v1 import check
from webui.auth.accounts import create_token, create_user

CONVERSATION = {"dreams": MARKER + ". Jeg vil gerne gå ture i naturen og drikke kaffe med andre",
                "goals": "Komme ud en gang om ugen", "barriers": ["angst"],
                "barrier_words": "Bussen er svær", "notes": "Mødte op til tiden",
                "network": [{"name": "Søsteren Lise", "relation": "søster", "ring": "family",
                             "closeness": 1}]}


def _headers(app, email: str) -> dict:
    return {"Authorization": f"Bearer {create_token(app.extensions['brobygger'].sessions, email)}"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("course"))
    add_staff(app)
    create_user(app.extensions["brobygger"].sessions, "vejleder@odense.dk", "guide", "Odense",
                PASSWORD)
    heads = {role: _headers(app, email) for role, email in STAFF.items()}
    heads["other"] = _headers(app, "vejleder@odense.dk")
    yield app, heads
    app.extensions["brobygger"].engine.dispose()


def _start(client, guide) -> tuple[str, dict]:
    cid = check(client.post("/api/v1/citizens", json=new_citizen(), headers=guide), 201,
                "/api/v1/citizens", "post")["id"]
    talk = check(client.put(f"/api/v1/citizens/{cid}/conversation", json=CONVERSATION,
                            headers=guide), 200, "/api/v1/citizens/{id}/conversation", "put")
    return cid, talk


def test_no_record_without_consent(course):
    app, heads = course
    answer = check(app.test_client().post("/api/v1/citizens", json=new_citizen(consent=None),
                                          headers=heads["guide"]), 422, "/api/v1/citizens", "post")
    assert answer["error"]["field"] == "consent" and answer["error"]["da"] and answer["error"]["en"]


def test_a_whole_course(course):
    app, heads = course
    client, guide = app.test_client(), heads["guide"]
    cid, talk = _start(client, guide)
    assert talk["dreams"].startswith(MARKER)
    check(client.get(f"/api/v1/citizens/{cid}/conversation", headers=guide), 200,
          "/api/v1/citizens/{id}/conversation")
    suggestions = check(client.get(f"/api/v1/citizens/{cid}/suggestions?k=5", headers=guide), 200,
                        "/api/v1/citizens/{id}/suggestions")
    assert suggestions["results"]
    offer = suggestions["results"][0]["id"]
    step = check(client.post(f"/api/v1/citizens/{cid}/steps", headers=guide, json={
        "offer_id": offer, "what": "Prøve én gang", "when": "2026-12-08", "follow_up": "2026-12-10",
        "companion": talk["network"][0]["id"]}), 201, "/api/v1/citizens/{id}/steps", "post")
    assert "/c/" in step["checkin_link"]
    consent = check(client.post(f"/api/v1/citizens/{cid}/consents", headers=guide, json={
        "scope": {"offer_id": offer}, "shares": ["name", "dreams"], "given_at": "2026-12-01"}),
        201, "/api/v1/citizens/{id}/consents", "post")["id"]
    sent = check(client.post("/api/v1/referrals", headers=guide, json={
        "citizen_id": cid, "offer_id": offer, "consent_id": consent, "message": "Hej"}), 201,
        "/api/v1/referrals", "post")
    assert sent["status"] == "sent" and "/p/" in sent["provider_link"]
    check(client.get(f"/api/v1/referrals/{sent['id']}", headers=guide), 200,
          "/api/v1/referrals/{id}")
    check(client.post(f"/api/v1/referrals/{sent['id']}/status", json={"status": "accepted"},
                      headers=guide), 200, "/api/v1/referrals/{id}/status", "post")
    due = check(client.get("/api/v1/followups?due_before=2026-12-31", headers=guide), 200,
                "/api/v1/followups")
    assert step["id"] in [s["id"] for s in due["steps"]]
    check(client.post(f"/api/v1/steps/{step['id']}/outcome", headers=guide, json={
        "result": "done", "progress": 7, "next": "continue", "learned": "Det gik fint"}), 200,
        "/api/v1/steps/{id}/outcome", "post")
    shown = check(client.get(f"/api/v1/citizens/{cid}/plan", headers=guide), 200,
                  "/api/v1/citizens/{id}/plan")
    assert shown["steps"][0]["outcome"]["progress"] == 7
    assert shown["referrals"][0]["status"] == "accepted"
    check(client.delete(f"/api/v1/consents/{consent}", headers=guide), 200,
          "/api/v1/consents/{id}", "delete")
    refused = check(client.post("/api/v1/referrals", headers=guide, json={
        "citizen_id": cid, "offer_id": offer, "consent_id": consent}), 422, "/api/v1/referrals",
        "post")
    assert refused["error"]["field"] == "consent_id"
    export = check(client.get(f"/api/v1/citizens/{cid}/export", headers=guide), 200,
                   "/api/v1/citizens/{id}/export")
    assert export["conversation"]["dreams"].startswith(MARKER)
    check(client.post(f"/api/v1/citizens/{cid}/end", headers=guide), 200,
          "/api/v1/citizens/{id}/end", "post")
    listed = check(client.get("/api/v1/citizens", headers=guide), 200, "/api/v1/citizens")
    assert cid in [c["id"] for c in listed["citizens"]]


def test_another_team_coordinators_and_admins_see_no_citizen(course):
    app, heads = course
    client = app.test_client()
    cid, _ = _start(client, heads["guide"])
    for path in (f"/api/v1/citizens/{cid}", f"/api/v1/citizens/{cid}/conversation",
                 f"/api/v1/citizens/{cid}/plan", f"/api/v1/citizens/{cid}/export",
                 f"/api/v1/citizens/{cid}/suggestions"):
        for who in ("other", "coordinator", "admin"):
            answer = client.get(path, headers=heads[who])
            assert answer.status_code == 403, (path, who)
            assert set(answer.get_json()["error"]) == {"da", "en", "field"}
    assert client.delete(f"/api/v1/citizens/{cid}", headers=heads["other"]).status_code == 403
    log = check(client.get(f"/api/v1/audit?citizen_id={cid}", headers=heads["admin"]), 200,
                "/api/v1/audit")["entries"]
    assert [e["who"] for e in log if e["action"] == "refused"] == ["vejleder@odense.dk"] * 6
    assert client.get(f"/api/v1/citizens/{'0' * 32}", headers=heads["guide"]).status_code == 404
    assert check(client.get("/api/v1/citizens", headers=heads["other"]), 200,
                 "/api/v1/citizens")["citizens"] == []


def test_malformed_bodies_are_400_and_bad_fields_422(course):
    app, heads = course
    client, guide = app.test_client(), heads["guide"]
    cid, _ = _start(client, guide)
    assert client.post("/api/v1/citizens", data="x", headers=guide).status_code == 400
    answer = check(client.put(f"/api/v1/citizens/{cid}/conversation", headers=guide,
                              json={"barriers": ["ukendt"]}), 422,
                   "/api/v1/citizens/{id}/conversation", "put")
    assert answer["error"]["field"] == "barriers"
    assert client.get("/api/v1/followups?due_before=igår", headers=guide).status_code == 400
    hostile = [("put", f"/api/v1/citizens/{cid}/conversation",
                {"network": [{"id": ["x"], "name": "Ole", "closeness": 2}]}, 200),
               ("put", f"/api/v1/citizens/{cid}/conversation", {"network": ["Ole"]}, 422),
               ("post", f"/api/v1/citizens/{cid}/steps",
                {"what": "x", "when": "2026-12-08T10:00:00.123456+01:00" + "0" * 20}, 422),
               ("post", "/api/v1/citizens", new_citizen(languages=["da"] * 30), 422),
               ("post", "/api/v1/referrals", {"citizen_id": cid, "offer_id": ["x"],
                                              "consent_id": 3}, 422),
               ("post", f"/api/v1/citizens/{cid}/consents", {"scope": "alle", "shares": ["name"],
                                                             "given_at": "2026-01-01"}, 422)]
    for method, path, body, status in hostile:
        assert getattr(client, method)(path, json=body, headers=guide).status_code == status, body
    assert client.get(f"/api/v1/citizens/{cid}/suggestions?k=0", headers=guide).status_code == 400


def test_erasure_and_the_admins_audit_log(course):
    app, heads = course
    client, guide = app.test_client(), heads["guide"]
    cid, _ = _start(client, guide)
    log = check(client.get(f"/api/v1/audit?citizen_id={cid}", headers=heads["admin"]), 200,
                "/api/v1/audit")
    assert [e["action"] for e in log["entries"]] == ["update_conversation", "create"]
    assert client.get("/api/v1/audit", headers=guide).status_code == 403
    csv = client.get("/api/v1/audit?format=csv", headers=heads["admin"])
    assert csv.mimetype == "text/csv" and csv.text.startswith("id,at,who")
    check(client.delete(f"/api/v1/citizens/{cid}", headers=guide), 200, "/api/v1/citizens/{id}",
          "delete")
    assert client.get(f"/api/v1/citizens/{cid}", headers=guide).status_code == 404
    after = check(client.get(f"/api/v1/audit?citizen_id={cid}", headers=heads["admin"]), 200,
                  "/api/v1/audit")
    assert after["entries"] == []


def _all_rows_as_text(engine) -> str:
    """Every row of every table, as the database renders it."""
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        if engine.dialect.name == "postgresql":
            return "\n".join(str(v) for t in tables
                             for v in connection.execute(text(f'SELECT t::text FROM "{t}" t')).scalars())
        return "\n".join(repr(tuple(row)) for t in tables
                         for row in connection.execute(text(f'SELECT * FROM "{t}"')))


def test_the_marker_never_reaches_the_database_in_clear_text(tmp_path, database_url,
                                                              postgres_server):
    app = make_app(tmp_path, database_url)
    add_staff(app)
    client, guide = app.test_client(), _headers(app, STAFF["guide"])
    cid, _ = _start(client, guide)
    client.post(f"/api/v1/citizens/{cid}/steps", headers=guide, json={"what": MARKER})
    engine = app.extensions["brobygger"].engine
    assert "Mette" not in _all_rows_as_text(engine) and MARKER not in _all_rows_as_text(engine)
    if engine.dialect.name == "sqlite":
        raw = Path(engine.url.database).read_bytes()
        assert MARKER.encode() not in raw and "Søsteren Lise".encode() not in raw
    else:
        database = engine.url.database
        dump = subprocess.run([str(postgres_server.bin / "pg_dump"), "-h",
                               str(postgres_server.socket_dir), "-U", "postgres", database],
                              capture_output=True, text=True, check=True).stdout
        assert "CREATE TABLE public.conversation" in dump
        assert MARKER not in dump and "Søsteren Lise" not in dump
    assert check(client.get(f"/api/v1/citizens/{cid}/conversation", headers=guide), 200,
                 "/api/v1/citizens/{id}/conversation")["dreams"].startswith(MARKER)
    app.extensions["brobygger"].engine.dispose()
