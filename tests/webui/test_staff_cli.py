"""``brobygger create-user``, ``create-token``, ``revoke-token``, demo logins and ``serve``'s
refusal of the default secret, through click's CliRunner."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from click.testing import CliRunner

from catalogue.settings import DEFAULT_SECRET_KEY, load_settings
from catalogue.cli import main
from webui.serve import UnsafeSettings, check_can_serve, gunicorn_options


@pytest.fixture
def cli(tmp_path):
    """``brobygger`` on a database in ``tmp_path`` that ``init-db`` has created."""
    runner = CliRunner()
    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path), "BROBYGGER_DEMO": "",
           "BROBYGGER_SECRET_KEY": DEFAULT_SECRET_KEY}

    def run(*args, input=None, **extra_env):
        return runner.invoke(main, list(args), input=input, env={**env, **extra_env})

    assert run("init-db").exit_code == 0
    return run


def app_for(tmp_path):
    from webui import create_app

    app = create_app(load_settings({"BROBYGGER_INSTANCE_DIR": str(tmp_path)}))
    app.config["TESTING"] = True
    return app


def test_create_user_with_a_password_from_stdin_can_log_in(cli, tmp_path):
    from tests.webui.conftest import log_in

    result = cli("create-user", "Vejleder@Kommune.dk", "--role", "guide", "--team", "Fredericia",
                 "--password-stdin", input="en-lang-adgangskode\n")
    assert result.exit_code == 0, result.output
    assert "vejleder@kommune.dk (guide, team Fredericia)" in result.output
    assert "en-lang-adgangskode" not in result.output
    app = app_for(tmp_path)
    assert log_in(app.test_client(), "vejleder@kommune.dk", "en-lang-adgangskode").status_code == 302
    app.extensions["brobygger"].engine.dispose()


def test_create_user_without_a_password_prints_a_generated_one_once(cli, tmp_path):
    from tests.webui.conftest import log_in

    result = cli("create-user", "admin@kommune.dk", "--role", "admin")
    assert result.exit_code == 0
    password = result.output.split("password (shown only now): ")[1].strip()
    assert len(password) >= 20
    app = app_for(tmp_path)
    assert log_in(app.test_client(), "admin@kommune.dk", password).status_code == 302
    app.extensions["brobygger"].engine.dispose()


@pytest.mark.parametrize("args, message", [
    (["x@y.dk", "--role", "guide"], "En vejleder skal høre til et team"),
    (["x@y.dk", "--role", "coordinator", "--team", "Aarhus"], "Kun vejledere hører til et team"),
    (["ikke-en-adresse", "--role", "admin"], "er ikke en e-mailadresse"),
])
def test_create_user_refuses_with_a_bilingual_message(cli, args, message):
    result = cli("create-user", *args)
    assert result.exit_code == 1 and message in result.output


def test_a_short_password_and_a_second_account_for_the_same_address_are_refused(cli):
    short = cli("create-user", "a@b.dk", "--role", "admin", "--password-stdin", input="kort\n")
    assert short.exit_code == 1 and "mindst 12 tegn" in short.output
    assert cli("create-user", "a@b.dk", "--role", "admin").exit_code == 0
    again = cli("create-user", "A@b.dk", "--role", "admin")
    assert again.exit_code == 1 and "findes allerede" in again.output


def test_a_token_works_on_the_api_until_it_is_revoked(cli, tmp_path):
    cli("create-user", "k@kommune.dk", "--role", "coordinator")
    token = cli("create-token", "k@kommune.dk").output.strip()
    assert token.startswith("bb_")   # never "-...", which the command line would read as an option
    app = app_for(tmp_path)
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/mig", headers=bearer).get_json()["role"] == "coordinator"
    revoked = cli("revoke-token", input=token + "\n")
    assert revoked.exit_code == 0
    response = client.get("/api/mig", headers=bearer)
    assert response.status_code == 401 and response.get_json()["error"]["field"] is None
    again = cli("revoke-token", token)
    assert again.exit_code == 1 and "unknown or already revoked" in again.output
    app.extensions["brobygger"].engine.dispose()


def test_revoke_all_tokens_of_an_account(cli):
    cli("create-user", "k@kommune.dk", "--role", "coordinator")
    cli("create-token", "k@kommune.dk")
    cli("create-token", "k@kommune.dk")
    assert "2 token(s)" in cli("revoke-token", "--email", "k@kommune.dk").output
    assert cli("create-token", "ingen@kommune.dk").exit_code == 1


def test_demo_accounts_only_in_the_demo(cli, tmp_path, monkeypatch):
    import ingest.importer

    monkeypatch.setattr(ingest.importer, "import_catalogue", _no_import)
    refused = cli("load-demo", "--with-demo-accounts")
    assert refused.exit_code == 1 and "BROBYGGER_DEMO=1" in refused.output
    first = cli("load-demo", "--with-demo-accounts", BROBYGGER_DEMO="1")
    assert first.exit_code == 0, first.output
    assert "koordinator@demo.brobygger.dk" in first.output
    assert "vejleder@demo.brobygger.dk" in first.output
    second = cli("load-demo", "--with-demo-accounts", BROBYGGER_DEMO="1")
    assert second.exit_code == 0 and second.output != first.output    # fresh passwords


def _no_import(*_args, **_kwargs):
    class Report:
        def summary(self):
            return "0 nye"
    return Report(), []


def test_serve_refuses_the_default_secret_outside_the_demo(cli):
    result = cli("serve")
    assert result.exit_code == 1
    assert "starter ikke med standardnøglen" in result.output
    assert "will not start with the default secret key" in result.output


def test_the_default_secret_is_allowed_in_the_demo_and_a_real_one_anywhere():
    with pytest.raises(UnsafeSettings):
        check_can_serve(load_settings({}))
    check_can_serve(load_settings({"BROBYGGER_DEMO": "1"}))
    with pytest.raises(UnsafeSettings) as no_key:
        check_can_serve(load_settings({"BROBYGGER_SECRET_KEY": "x" * 48}))
    assert "BROBYGGER_CASEWORK_KEY" in str(no_key.value)
    check_can_serve(load_settings({"BROBYGGER_SECRET_KEY": "x" * 48,
                                   "BROBYGGER_CASEWORK_KEY": Fernet.generate_key().decode()}))


def test_gunicorn_runs_workers_that_each_build_the_app_and_keeps_no_access_log_of_its_own():
    """gunicorn's access log can only name the concrete path; the app logs the route's pattern
    (tests/webui/test_logging.py)."""
    options = gunicorn_options("127.0.0.1", 8000, 3)
    assert options["workers"] == 3 and options["preload_app"] is False
    assert options["accesslog"] is None
    assert options["logconfig_dict"]["loggers"]["gunicorn.access"]["propagate"] is False
