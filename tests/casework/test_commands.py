"""``brobygger rotate-key`` and ``brobygger purge`` through the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import select

from casework import citizens
from casework.crypto import Vault
from casework.desk import Actor, Desk
from casework.models import Citizen
from catalogue.db import engine_for, session_factory
from catalogue.settings import load_settings
from tests.casework.conftest import new_citizen
from tests.fixtures import migrated
from webui.auth.accounts import create_user
from catalogue.cli import main


def test_rotate_key_and_purge_from_the_command_line(tmp_path):
    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path), "BROBYGGER_DEMO": "",
           "BROBYGGER_CASEWORK_KEY_FILE": str(tmp_path / "keys"), "BROBYGGER_RETENTION_DAYS": "30"}
    settings = migrated(load_settings(env))
    runner = CliRunner()
    missing = runner.invoke(main, ["purge"], env=env)
    assert missing.exit_code == 1 and "findes ikke" in missing.output
    (tmp_path / "keys").write_text(Fernet.generate_key().decode() + "\n")
    engine = engine_for(settings)
    sessions = session_factory(engine)
    create_user(sessions, "v@aarhus.dk", "guide", "Aarhus", "korrekt-hest-batteri")
    long_ago = datetime.now(timezone.utc) - timedelta(days=31)
    desk = Desk(sessions, Vault.from_settings(settings), Actor("v@aarhus.dk", None, "Aarhus"),
                clock=lambda: long_ago)
    ended = citizens.create_citizen(desk, new_citizen(consent={"purpose": "Forløb",
                                                               "given_at": "2020-01-01"}))
    citizens.end_course(desk, ended)
    running = citizens.create_citizen(desk, new_citizen(consent={"purpose": "Forløb",
                                                                 "given_at": "2020-01-01"}))
    rotated = runner.invoke(main, ["rotate-key"], env=env)
    assert rotated.exit_code == 0, rotated.output
    assert Vault.from_settings(settings).keys != desk.vault.keys
    purged = runner.invoke(main, ["purge"], env=env)
    assert purged.exit_code == 0 and purged.output.startswith("1 borgere slettet")
    with sessions() as session:
        assert list(session.scalars(select(Citizen.id))) == [running]
    engine.dispose()


def test_serve_refuses_to_start_without_a_casework_key_outside_the_demo(tmp_path):
    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path), "BROBYGGER_DEMO": "",
           "BROBYGGER_SECRET_KEY": "s" * 48, "BROBYGGER_CASEWORK_KEY": "",
           "BROBYGGER_CASEWORK_KEY_FILE": ""}
    migrated(load_settings(env))
    refused = CliRunner().invoke(main, ["serve"], env=env)
    assert refused.exit_code == 1
    assert "BROBYGGER_CASEWORK_KEY" in refused.output and "ingen nøgle" in refused.output
