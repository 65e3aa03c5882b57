"""Logging in and out, wrong passwords, the lockout and the login rate limit, bearer tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from limits.storage import MemoryStorage

from tests.webui.conftest import PASSWORD, STAFF, csrf_token, log_in
from tests.webui.page import Page
from webui.auth.accounts import create_token, revoke_token

COORDINATOR = STAFF["coordinator"]


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def test_login_leads_to_the_staff_page_and_logout_ends_the_session(staff_app):
    client = staff_app.test_client()
    response = log_in(client, COORDINATOR)
    assert response.status_code == 302 and response.headers["Location"] == "/personale"
    page = Page(client.get("/personale").text)
    assert "koordinator@test.dk" in page.text and "Koordinator" in page.text
    token = page.find("input", name="csrf_token")[0]["value"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/personale").headers["Location"] == "/login?next=/personale"


def test_login_follows_next_only_within_the_site(staff_app):
    for target, expected in (("/tilbud", "/tilbud"), ("//evil.example/x", "/personale"),
                             ("https://evil.example/", "/personale")):
        client = staff_app.test_client()
        token = csrf_token(client, "/login")
        response = client.post(f"/login?next={target}", data={
            "csrf_token": token, "email": COORDINATOR, "password": PASSWORD})
        assert response.headers["Location"] == expected


def test_a_wrong_password_or_unknown_address_says_the_same_and_logs_nobody_in(staff_app):
    client = staff_app.test_client()
    for email, password in ((COORDINATOR, "forkert-adgangskode"), ("ingen@test.dk", PASSWORD)):
        response = log_in(client, email, password)
        assert response.status_code == 200
        assert "Forkert e-mail eller adgangskode" in response.text
    client.get("/login?lang=en")                 # the reader chooses English: the same in English
    assert "Wrong e-mail or password" in log_in(client, COORDINATOR, "forkert-adgangskode").text
    assert client.get("/personale").status_code == 302


def test_the_email_is_not_case_sensitive(staff_app):
    response = log_in(staff_app.test_client(), "  Koordinator@Test.DK ")
    assert response.status_code == 302


def test_five_failures_lock_the_address_even_for_the_right_password_until_the_time_is_up(staff_app):
    clock = Clock()
    staff_app.extensions["brobygger_auth"].clock = clock
    client = staff_app.test_client()
    for _ in range(5):
        clock.now += timedelta(seconds=30)
        response = log_in(client, COORDINATOR, "forkert-adgangskode")
    assert response.status_code == 429 and "For mange forkerte forsøg" in response.text
    clock.now += timedelta(minutes=14)
    response = log_in(client, COORDINATOR)
    assert response.status_code == 429 and client.get("/personale").status_code == 302
    clock.now += timedelta(minutes=1, seconds=1)
    assert log_in(client, COORDINATOR).status_code == 302
    assert client.get("/personale").status_code == 200


def test_the_lockout_is_kept_in_the_database_so_every_worker_sees_it(staff_app, tmp_path):
    from catalogue.settings import Settings
    from webui import create_app

    clock = Clock()
    staff_app.extensions["brobygger_auth"].clock = clock
    for _ in range(5):
        log_in(staff_app.test_client(), COORDINATOR, "forkert-adgangskode")
    other_worker = create_app(Settings(instance_dir=tmp_path, index_check_seconds=0))
    other_worker.config["TESTING"] = True
    other_worker.extensions["brobygger_auth"].clock = clock
    assert log_in(other_worker.test_client(), COORDINATOR).status_code == 429
    other_worker.extensions["brobygger"].engine.dispose()


def test_a_success_clears_earlier_failures(staff_app):
    client = staff_app.test_client()
    for _ in range(4):
        log_in(client, COORDINATOR, "forkert-adgangskode")
    assert log_in(client, COORDINATOR).status_code == 302
    for _ in range(4):
        log_in(client, COORDINATOR, "forkert-adgangskode")
    assert log_in(client, COORDINATOR).status_code == 302


def test_logins_are_rate_limited_per_address_across_accounts(staff_app):
    client = staff_app.test_client()
    statuses = [log_in(client, f"nummer{n}@test.dk", "forkert-adgangskode").status_code
                for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert "For mange forsøg" in log_in(client, COORDINATOR).text


class SharedStorage(MemoryStorage):
    """Stands in for ``redis://`` or ``memcached://``: every app naming it shares one counter."""

    STORAGE_SCHEME = ["brobygger-test-shared"]
    state: tuple | None = None

    def __init__(self, uri: str | None = None, **options):
        super().__init__(uri, **options)
        SharedStorage.state = SharedStorage.state or (self.storage, self.expirations, self.events)
        self.storage, self.expirations, self.events = SharedStorage.state


@pytest.mark.parametrize("storage, shared", [("memory://", False), ("brobygger-test-shared://", True)])
def test_the_rate_limit_storage_setting_decides_whether_workers_share_the_count(
        staff_app, monkeypatch, storage, shared):
    from catalogue.settings import load_settings
    from webui import create_app

    settings = staff_app.extensions["brobygger"].settings
    monkeypatch.setenv("BROBYGGER_RATE_LIMIT_STORAGE", storage)
    assert load_settings().rate_limit_storage == storage
    workers = [create_app(settings.with_(rate_limit_storage=storage)) for _ in range(2)]
    for worker in workers:
        worker.config["TESTING"] = True
    for n in range(10):
        assert log_in(workers[0].test_client(), f"nummer{n}@test.dk", "forkert").status_code == 200
    eleventh = log_in(workers[1].test_client(), "nummer10@test.dk", "forkert")
    assert eleventh.status_code == (429 if shared else 200)
    for worker in workers:
        worker.extensions["brobygger"].engine.dispose()


def test_the_session_cookie_does_not_open_the_api_only_a_bearer_token_does(staff_app):
    client = staff_app.test_client()
    log_in(client, STAFF["guide"])
    assert client.get("/api/mig").status_code == 401
    token = create_token(staff_app.extensions["brobygger"].sessions, STAFF["guide"])
    response = client.get("/api/mig", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == {"email": STAFF["guide"], "role": "guide", "team": "Aarhus"}


def test_a_revoked_or_unknown_token_gets_the_contracts_401(staff_app):
    sessions = staff_app.extensions["brobygger"].sessions
    token = create_token(sessions, COORDINATOR)
    client = staff_app.test_client()
    assert client.get("/api/mig", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert revoke_token(sessions, token, datetime.now(timezone.utc))
    for header in (f"Bearer {token}", "Bearer ikke-et-token", "Basic abc", ""):
        response = client.get("/api/mig", headers={"Authorization": header})
        assert response.status_code == 401
        error = response.get_json()["error"]
        assert set(error) == {"da", "en", "field"} and error["field"] is None
        assert error["da"] == "Du skal logge ind" and response.headers["WWW-Authenticate"]


def test_a_bearer_token_does_not_log_in_to_the_pages(staff_app):
    token = create_token(staff_app.extensions["brobygger"].sessions, COORDINATOR)
    response = staff_app.test_client().get("/personale",
                                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302
