"""The logs of a working session are JSON lines that hold no personal data: a provider's token
link, a citizen's search, a guide's login, a citizen's page and someone guessing passwords leave
the route's pattern, the status and the time taken, and no token, id, name, search text, e-mail,
password or client address."""

from __future__ import annotations

import json
import logging

import pytest

from catalogue.logs import StandardError, configure_logging
from tests.casework.conftest import MARKER, new_citizen
from tests.webui.conftest import STAFF, add_staff, log_in, make_app, post_form
from webui.auth.accounts import create_token

SEARCH = "Jeg har hemmelig gæld til min svoger"


@pytest.fixture
def json_logs(capsys):
    """This process's logs as ``brobygger serve`` and the commands write them."""
    root = logging.getLogger()
    level = root.level
    configure_logging()
    capsys.readouterr()
    yield lambda: [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    for handler in [h for h in root.handlers if isinstance(h, StandardError)]:
        root.removeHandler(handler)
    root.setLevel(level)


def test_a_session_logs_route_patterns_and_no_personal_data(tmp_path, json_logs):
    app = make_app(tmp_path)
    add_staff(app)
    api = {"Authorization": "Bearer " + create_token(app.extensions["brobygger"].sessions,
                                                     STAFF["guide"])}
    client = app.test_client()
    citizen = client.post("/api/v1/citizens", json=new_citizen(), headers=api).get_json()["id"]
    client.put(f"/api/v1/citizens/{citizen}/conversation", headers=api, json={"dreams": MARKER})
    consent = client.post(f"/api/v1/citizens/{citizen}/consents", headers=api, json={
        "scope": {"offer_id": "aarhus-gaagruppe"}, "shares": ["name"],
        "given_at": "2026-01-01"}).get_json()["id"]
    link = client.post("/api/v1/referrals", headers=api, json={
        "citizen_id": citizen, "offer_id": "aarhus-gaagruppe", "consent_id": consent}
                       ).get_json()["provider_link"]
    token = link.split("/p/")[1]

    visitor = app.test_client()
    assert visitor.get(f"/p/{token}").status_code == 200
    assert post_form(visitor, "/soeg", q=SEARCH, municipality="Aarhus").status_code == 200
    assert visitor.get("/tilbud?q=hemmelig+svoger").status_code == 200
    assert visitor.get(f"/hemmelig/{token}").status_code == 404
    guide = app.test_client()
    assert log_in(guide, STAFF["guide"]).status_code == 302
    guesser = app.test_client()
    assert 429 in {log_in(guesser, STAFF["coordinator"], "gæt").status_code for _ in range(11)}
    assert guide.get(f"/vejleder/borgere/{citizen}").status_code == 200
    lines = json_logs()
    app.extensions["brobygger"].engine.dispose()

    requests = [line for line in lines if line["logger"] == "brobygger.request"]
    seen = {(r["method"], r["path"], r["status"]) for r in requests}
    assert {("GET", "/p/<token>", 200), ("POST", "/soeg", 200), ("GET", "/tilbud", 200),
            ("GET", "<unmatched>", 404), ("POST", "/login", 302), ("POST", "/login", 429),
            ("GET", "/vejleder/borgere/<citizen_id>", 200),
            ("PUT", "/api/v1/citizens/<id>/conversation", 200)} <= seen
    for line in requests:
        assert {"time", "level", "logger", "message", "request_id", "method", "path", "status",
                "duration_ms"} <= set(line)
        assert line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert len({r["request_id"] for r in requests}) == len(requests)

    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (token, citizen, consent, "Mette", MARKER, "hemmelig", "svoger", SEARCH,
                   STAFF["guide"], STAFF["coordinator"], "gæt", "127.0.0.1", "?"):
        assert secret not in text, secret


def test_the_request_id_goes_back_in_a_header_and_a_forged_one_is_not_taken(tmp_path, json_logs):
    app = make_app(tmp_path)
    response = app.test_client().get("/healthz", headers={"X-Request-ID": "Mette-Hansen-123"})
    logged = [line for line in json_logs() if line["logger"] == "brobygger.request"]
    assert logged[-1]["request_id"] == response.headers["X-Request-ID"] != "Mette-Hansen-123"
    app.extensions["brobygger"].engine.dispose()


def test_an_unhandled_error_on_a_token_path_logs_the_pattern_not_the_token(tmp_path, json_logs,
                                                                          monkeypatch):
    app = make_app(tmp_path)
    app.testing = False                       # as in production: a 500 page, the error logged
    monkeypatch.setattr("webui.links.link_desk", lambda actor: 1 / 0)
    token = "Hemmelig" + "x" * 35
    assert app.test_client().get(f"/p/{token}").status_code == 500
    lines = json_logs()
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["path"] == "/p/<token>" and "ZeroDivisionError" in error["exc_info"]
    assert token not in json.dumps(lines)
    app.extensions["brobygger"].engine.dispose()


def test_a_library_that_sets_its_own_logger_to_debug_stays_below_the_chosen_level(json_logs):
    configure_logging("WARNING")
    library = logging.getLogger("bm25s")   # bm25s sets itself to DEBUG when imported
    library.setLevel(logging.DEBUG)
    library.debug("Building index from tokens")
    library.warning("something a person should see")
    assert [line["message"] for line in json_logs()] == ["something a person should see"]
