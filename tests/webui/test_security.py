"""Security headers on every response, cookie flags, CSRF on every form, no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.webui.conftest import SOURCE, STAFF, log_in, post_form
from tests.webui.page import Page

TEMPLATES = Path(__file__).parents[2] / "webui" / "templates"
RESPONSES = [("GET", "/tilbud"), ("GET", f"/tilbud/{SOURCE}/aarhus-gaagruppe"), ("GET", "/soeg"),
             ("POST", "/soeg"), ("GET", "/login"), ("POST", "/login"), ("GET", "/personale"),
             ("POST", "/logout"), ("GET", "/api/tilbud"), ("GET", "/api/forslag"),
             ("GET", "/api/mig"), ("GET", "/findes-ikke"), ("GET", "/api/findes-ikke"),
             ("DELETE", "/tilbud"), ("GET", "/static/style.css"), ("GET", "/")]


@pytest.mark.parametrize("method, path", RESPONSES)
def test_every_response_carries_the_security_headers(client, method, path):
    headers = client.open(path, method=method).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_search_pages_are_not_cached_and_send_no_referrer(client):
    for response in (client.get("/soeg"), post_form(client, "/soeg", q="gæld"),
                     client.get("/api/forslag?q=gæld")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_staff_pages_are_not_cached(staff_app):
    client = staff_app.test_client()
    log_in(client, STAFF["admin"])
    assert client.get("/personale").headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_secure_httponly_samesite_and_host_only(client):
    client.get("/soeg")
    cookie = client.get_cookie("__Host-brobygger")
    assert cookie is not None and cookie.secure and cookie.http_only
    assert cookie.same_site == "Lax" and cookie.path == "/" and cookie.origin_only


def test_only_the_demo_on_plain_http_goes_without_the_secure_flag(tmp_path):
    from catalogue.settings import Settings
    from tests.fixtures import migrated
    from webui import create_app

    app = create_app(migrated(Settings(instance_dir=tmp_path, demo=True)))
    client = app.test_client()
    client.get("/soeg")
    cookie = client.get_cookie("brobygger-demo")
    assert cookie is not None and not cookie.secure and cookie.http_only
    app.extensions["brobygger"].engine.dispose()


def test_a_login_session_expires(staff_app):
    client = staff_app.test_client()
    response = log_in(client, STAFF["guide"])
    set_cookie = response.headers["Set-Cookie"]
    assert "Expires=" in set_cookie and "Secure" in set_cookie and "HttpOnly" in set_cookie
    cookie = client.get_cookie("__Host-brobygger")
    assert cookie.expires is not None


def forms_on(html: str) -> list[dict]:
    return Page(html).find("form")


def test_every_post_form_carries_a_csrf_token_and_is_refused_without_it(staff_app):
    client = staff_app.test_client()
    log_in(client, STAFF["admin"])
    pages = ["/soeg", "/login", "/personale", "/tilbud"]
    posted = set()
    for url in pages:
        html = client.get(url).text
        for form in forms_on(html):
            if form.get("method", "get").lower() != "post":
                continue
            assert 'name="csrf_token"' in html
            posted.add(form["action"].split("?")[0])
    assert posted == {"/soeg", "/login", "/logout"}
    for action in posted:
        response = client.post(action, data={"q": "gæld", "email": STAFF["admin"]})
        assert response.status_code == 400, action
        assert "Formularen kunne ikke sendes" in response.text
    assert client.get("/personale").status_code == 200      # the refused logout did nothing


def test_templates_hold_no_inline_script_or_style():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text), path


def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(tmp_path, database_url):
    """PostgreSQL refuses NUL in text; without this guard these requests answered 500 there."""
    from tests.webui.conftest import add_staff, make_app
    from webui.auth.accounts import create_token

    app = make_app(tmp_path, database_url)
    add_staff(app)
    token = create_token(app.extensions["brobygger"].sessions, STAFF["coordinator"])
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    for path, field in [("/api/v1/offers/%00", "path"), ("/api/v1/offers?q=a%00b", "q"),
                        ("/api/v1/offers?municipality=%00", "municipality")]:
        response = client.get(path, headers=bearer)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["field"] == field
        assert "U+0000" in response.get_json()["error"]["en"]
    assert client.get("/tilbud?q=strik%00").status_code == 400
    assert post_form(client, "/login", email="vejleder@test.dk\x00", password="x").status_code == 400
    assert client.get("/api/v1/offers?q=strik", headers=bearer).status_code == 200
    app.extensions["brobygger"].engine.dispose()
