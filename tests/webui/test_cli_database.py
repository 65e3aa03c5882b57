"""The ``brobygger`` commands find one database from any folder, and only ``init-db`` creates or
migrates it: every other command, and the app, refuse a missing or old one in Danish and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner

from catalogue.db import (DatabaseMissing, DatabaseOutdated, alembic_config, check_schema,
                          init_db, make_engine)
from catalogue.settings import Settings, default_instance_dir, load_settings
from ingest.jsonl import write_jsonl
from tests.fixtures import small_catalogue
from webui import create_app
from catalogue.cli import main

MISSING = "kør `brobygger init-db` først / no database at"
OUTDATED = ("skal opgraderes: kør `brobygger init-db` / the database at")


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A user's data folder with no ``BROBYGGER_*`` set; commands run from another folder."""
    for name in ("BROBYGGER_INSTANCE_DIR", "BROBYGGER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def run(*args: str, cwd: Path, monkeypatch):
    cwd.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.mark.parametrize("env, expected", [
    ({"XDG_DATA_HOME": "/srv/data"}, Path("/srv/data/brobygger")),
    ({"XDG_DATA_HOME": "relativ"}, Path.home() / ".local/share/brobygger"),  # XDG: ignored
    ({}, Path.home() / ".local/share/brobygger"),
    ({"BROBYGGER_INSTANCE_DIR": "instance", "XDG_DATA_HOME": "/srv/data"}, Path("instance")),
])
def test_the_instance_folder_does_not_depend_on_the_current_folder(env, expected):
    assert load_settings(env).instance_dir == expected
    assert default_instance_dir(env) == expected or "BROBYGGER_INSTANCE_DIR" in env


def test_commands_find_the_same_database_from_any_folder(home, monkeypatch):
    catalogue = home / "catalogue.jsonl"
    write_jsonl(small_catalogue()[:3], catalogue)
    assert run("init-db", cwd=home / "a", monkeypatch=monkeypatch).exit_code == 0
    assert (home / "data" / "brobygger" / "brobygger.db").is_file()
    imported = run("import", catalogue, cwd=home / "b", monkeypatch=monkeypatch)
    assert imported.exit_code == 0, imported.output
    stats = run("stats", cwd=home / "c", monkeypatch=monkeypatch)
    assert stats.exit_code == 0, stats.output
    assert "Tilbud i alt / offers: 3" in stats.output
    assert not (home / "c" / "instance").exists()


@pytest.mark.parametrize("args", [
    ["stats"], ["export", "out.jsonl"], ["import", "catalogue.jsonl"], ["load-demo"],
    ["build-index"], ["search", "strik"], ["create-user", "a@b.dk", "--role", "guide"],
    ["create-token", "a@b.dk"], ["revoke-token", "abc"], ["serve"],
])
def test_without_a_database_commands_refuse_and_create_nothing(home, monkeypatch, args):
    result = run(*args, cwd=home / "elsewhere", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    database = home / "data" / "brobygger" / "brobygger.db"
    assert f"Ingen database i {database}; {MISSING} {database}; run `brobygger init-db` first" \
        in result.output
    assert "Traceback" not in result.output
    assert not database.exists() and not database.parent.exists()


def _one_migration_behind(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    init_db(engine)
    command.downgrade(alembic_config(engine), "-1")
    engine.dispose()


def test_an_old_schema_is_upgraded_by_init_db_only(home, monkeypatch):
    _one_migration_behind(load_settings())
    refused = run("stats", cwd=home, monkeypatch=monkeypatch)
    assert refused.exit_code == 1
    assert OUTDATED in refused.output
    assert run("init-db", cwd=home, monkeypatch=monkeypatch).exit_code == 0
    assert run("stats", cwd=home, monkeypatch=monkeypatch).exit_code == 0


def test_the_app_refuses_a_missing_or_old_database_instead_of_migrating(tmp_path):
    settings = Settings(instance_dir=tmp_path / "instance")
    with pytest.raises(DatabaseMissing):
        create_app(settings)
    assert not (tmp_path / "instance").exists()
    _one_migration_behind(settings)
    with pytest.raises(DatabaseOutdated) as refused:
        create_app(settings)
    assert "needs upgrading: run `brobygger init-db`" in str(refused.value)


def test_an_empty_sqlite_file_counts_as_no_database(tmp_path):
    (tmp_path / "brobygger.db").touch()
    engine = make_engine(f"sqlite:///{tmp_path / 'brobygger.db'}")
    with pytest.raises(DatabaseMissing):
        check_schema(engine)
    engine.dispose()


def test_a_postgresql_database_without_migrations_is_no_database(postgres_server):
    engine = make_engine(postgres_server.new_database())
    with pytest.raises(DatabaseMissing) as refused:
        check_schema(engine)
    assert "no database at postgresql" in str(refused.value)
    init_db(engine)
    check_schema(engine)
    engine.dispose()
