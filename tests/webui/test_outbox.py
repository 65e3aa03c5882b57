"""A referral reaches the provider by mail: a coordinator keeps the organisation's contact
e-mail (page and API), a guide refers, ``brobygger send-mail`` delivers to a real local SMTP
server, and the provider opens the link from the caught mail without an account and accepts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.casework.conftest import MARKER
from tests.webui.conftest import CASEWORK_KEY, STAFF, add_staff, log_in, make_app
from tests.webui.page import Page
from tests.webui.test_api_v1 import check
from tests.webui.test_links import _referral
from webui.auth.accounts import create_token
from catalogue.cli import main


def _bearer(app, email):
    return {"Authorization": "Bearer " + create_token(app.extensions["brobygger"].sessions, email)}


def test_contact_mail_send_mail_and_the_provider_answers_from_the_mail(tmp_path, smtp_server):
    host, port, caught = smtp_server
    app = make_app(tmp_path)
    add_staff(app)
    coordinator, guide = _bearer(app, STAFF["coordinator"]), _bearer(app, STAFF["guide"])
    client = app.test_client()
    check(client.get("/api/v1/organizations", headers=guide), 403, "/api/v1/organizations")
    listed = check(client.get("/api/v1/organizations", headers=coordinator), 200,
                   "/api/v1/organizations")["organizations"]
    org = next(o for o in listed if o["name"] == "Ældre Sagen Aarhus")
    url = f"/api/v1/organizations/{org['id']}/contact"
    bad = check(client.put(url, json={"contact_email": "=HYPERLINK(1)"}, headers=coordinator),
                422, "/api/v1/organizations/{id}/contact", "put")
    assert bad["error"]["field"] == "contact_email"
    check(client.put("/api/v1/organizations/999999/contact", json={"contact_email": None},
                     headers=coordinator), 404, "/api/v1/organizations/{id}/contact", "put")

    page_client = app.test_client()
    log_in(page_client, STAFF["coordinator"])
    page = Page(page_client.get("/koordinator/kontakter/").text)
    assert f"email-{org['id']}" in page.label_for
    token = page.find("input", name="csrf_token")[0]["value"]
    saved = page_client.post(f"/koordinator/kontakter/{org['id']}", data={
        "csrf_token": token, "contact_email": "frivillig@aeldresagen.dk"})
    assert saved.status_code == 302
    refused = page_client.post(f"/koordinator/kontakter/{org['id']}", data={
        "csrf_token": token, "contact_email": "ikke en adresse"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text

    _, referral, path = _referral(client, guide)
    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path), "BROBYGGER_DEMO": "",
           "BROBYGGER_CASEWORK_KEY": CASEWORK_KEY, "BROBYGGER_SMTP_HOST": host,
           "BROBYGGER_SMTP_PORT": str(port), "BROBYGGER_MAIL_FROM": "brobygger@aarhus.dk"}
    result = CliRunner().invoke(main, ["send-mail"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 sendt" in result.output and "1 sent" in result.output
    [mail] = caught.messages
    assert mail["To"] == "frivillig@aeldresagen.dk" and mail["From"] == "brobygger@aarhus.dk"
    text = mail.get_content()
    assert MARKER not in text and "Mette" not in text
    link = next(word for word in text.split() if "/p/" in word)
    assert link.endswith(path)
    provider = app.test_client()
    opened = provider.get(link.split("localhost", 1)[1])
    assert opened.status_code == 200 and MARKER in opened.text
    form = Page(opened.text).find("input", name="csrf_token")[0]["value"]
    assert provider.post(path, data={"csrf_token": form, "action": "accept"}).status_code == 200
    assert client.get(f"/api/v1/referrals/{referral}", headers=guide).get_json()["status"] \
        == "accepted"
    assert "0 sendt" in CliRunner().invoke(main, ["send-mail"], env=env).output
    exported = CliRunner().invoke(main, ["export-outcomes", str(tmp_path / "rows.jsonl")], env=env)
    assert exported.exit_code == 0 and "1 rows written" in exported.output, exported.output
    [row] = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert (row["source"], row["result"], row["reached"]) == ("referral", "accepted", True)
    assert MARKER not in json.dumps(row, ensure_ascii=False)
    app.extensions["brobygger"].engine.dispose()
