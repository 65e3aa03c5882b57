"""``brobygger backup`` and ``restore`` on SQLite and PostgreSQL: a database full of catalogue,
history, staff, citizens (encrypted) and audit entries comes back row for row in an empty
database; the key is not in the backup; a database with data, a backup of the other kind and a
backup from a newer Brobygger are refused with nothing changed; an older backup is upgraded; a
restore killed midway leaves the old or the new database, never a mixture."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, select, text

from casework import citizens, plan
from casework.crypto import KeyProblem, Vault
from casework.desk import Actor, Desk
from catalogue.cli import main
from catalogue.db import alembic_config, init_db, make_engine, session_factory
from catalogue.editing import list_offers, update_offer
from catalogue.history import Actor as Editor
from ingest.importer import import_catalogue
from tests.casework.conftest import MARKER, NOW, new_citizen
from tests.fixtures import killed_child, small_catalogue
from webui.auth.accounts import create_user

KEY = Fernet.generate_key()


def fill(url: str, tmp_path: Path, offers: int = 10) -> str:
    """Catalogue (imported, then edited: history), a staff account, a citizen with encrypted
    texts, a plan step (and so audit entries); returns the citizen's id."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    source = tmp_path / "offers.jsonl"
    source.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                              for r in small_catalogue()[:offers]), encoding="utf-8")
    import_catalogue(sessions, source, "jsonl", "test")
    first = list_offers(sessions)[0]
    update_offer(sessions, first.key, {**first.record.to_interchange(), "cost": "20 kr."},
                 first.version, Editor("koordinator@aarhus.dk"))
    account = create_user(sessions, "vejleder@aarhus.dk", "guide", "Aarhus", "korrekt-hest-batteri")
    desk = Desk(sessions, Vault((KEY,)), Actor("vejleder@aarhus.dk", account[0].id, "Aarhus"),
                clock=lambda: NOW)
    citizen = citizens.create_citizen(desk, new_citizen())
    citizens.save_conversation(desk, citizen, {"dreams": MARKER})
    plan.add_step(desk, citizen, {"what": "Gå med i gågruppen", "offer_id": "aarhus-gaagruppe"})
    engine.dispose()
    return citizen


def every_row(url: str) -> dict[str, list[tuple]]:
    """Each table's rows in primary-key order."""
    engine = make_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        rows = {name: [tuple(r) for r in connection.execute(
                    select(t).order_by(*(t.primary_key.columns or t.columns)))]
                for name, t in metadata.tables.items()}
    engine.dispose()
    return rows


def dreams(url: str, citizen: str, key: bytes = KEY) -> str:
    engine = make_engine(url)
    desk = Desk(session_factory(engine), Vault((key,)), Actor("vejleder@aarhus.dk", None, "Aarhus"))
    try:
        return citizens.get_conversation(desk, citizen)["dreams"]
    finally:
        engine.dispose()


def empty_database(kind: str, request, tmp_path: Path, name: str = "restored") -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    return request.getfixturevalue("postgres_server").new_database()


def cli(url: str, *args: str):
    return CliRunner().invoke(main, list(args), env={"BROBYGGER_DATABASE_URL": url})


def refused(url: str, backup: Path, *reasons: str) -> None:
    """``restore`` says why it will not, in Danish and English, and exits 1."""
    done = cli(url, "restore", str(backup))
    assert done.exit_code == 1
    for reason in reasons:
        assert reason in done.output


def kind_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def test_a_restore_into_an_empty_database_gives_back_every_row(database_url, tmp_path, request):
    citizen = fill(database_url, tmp_path)
    backup = tmp_path / "brobygger.backup"
    done = cli(database_url, "backup", str(backup))
    assert done.exit_code == 0, done.output
    assert "IKKE" in done.output and "NOT in the backup" in done.output

    target = empty_database(kind_of(database_url), request, tmp_path)
    done = cli(target, "restore", str(backup))
    assert done.exit_code == 0, done.output

    before, after = every_row(database_url), every_row(target)
    assert set(after) == set(before)
    assert {"offer", "offer_changes", "account", "citizen", "conversation", "audit_entry",
            "plan_step"} <= set(after)
    for name in before:
        assert after[name] == before[name], name
    assert after["audit_entry"] and after["offer_changes"] and after["plan_step"]
    assert dreams(target, citizen) == MARKER
    with pytest.raises(KeyProblem):                          # texts need the very same key
        dreams(target, citizen, Fernet.generate_key())
    takes_new_rows(target)


def takes_new_rows(url: str) -> None:
    """New rows get fresh keys (PostgreSQL's sequences came along)."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    account = create_user(sessions, "ny@aarhus.dk", "guide", "Aarhus", "korrekt-hest-batteri")
    desk = Desk(sessions, Vault((KEY,)), Actor("ny@aarhus.dk", account[0].id, "Aarhus"))
    citizens.create_citizen(desk, new_citizen(name="Ali"))
    first = list_offers(sessions)[0]
    update_offer(sessions, first.key, {**first.record.to_interchange(), "cost": "gratis"},
                 first.version, Editor("koordinator@aarhus.dk"))
    engine.dispose()


def test_citizens_texts_stay_encrypted_in_the_backup_file(database_url, tmp_path, postgres_server):
    fill(database_url, tmp_path)
    backup = tmp_path / "brobygger.backup"
    assert cli(database_url, "backup", str(backup)).exit_code == 0
    if kind_of(database_url) == "sqlite":
        readable = backup.read_bytes()
    else:                                     # the custom format compresses: read it as SQL
        pg_restore = postgres_server.bin / "pg_restore"
        readable = subprocess.run([str(pg_restore), "--file=-", str(backup)], check=True,
                                  capture_output=True).stdout
        assert b"COPY public.conversation" in readable
    assert MARKER.encode() not in readable and b"Mette" not in readable
    assert b"Riis Skov" in readable                   # the catalogue is plain text, as stored


def backup_and_another_database(database_url: str, tmp_path: Path, request) -> tuple[Path, str]:
    """A backup of a filled database, and a database of the same kind with other data."""
    fill(database_url, tmp_path)
    backup = tmp_path / "brobygger.backup"
    assert cli(database_url, "backup", str(backup)).exit_code == 0
    target = empty_database(kind_of(database_url), request, tmp_path)
    init_db(make_engine(target))
    fill(target, tmp_path, offers=3)
    return backup, target


def test_a_database_with_data_is_refused_unless_replace(database_url, tmp_path, request):
    backup, target = backup_and_another_database(database_url, tmp_path, request)
    before = every_row(target)

    refused(target, backup, "ikke tom", "not empty", "--replace")
    assert every_row(target) == before

    done = cli(target, "restore", "--replace", str(backup))
    assert done.exit_code == 0, done.output
    assert every_row(target) == every_row(database_url)


def test_a_backup_from_a_newer_brobygger_is_refused_and_changes_nothing(database_url, tmp_path,
                                                                        request):
    fill(database_url, tmp_path)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    backup = tmp_path / "brobygger.backup"
    assert cli(database_url, "backup", str(backup)).exit_code == 0
    target = empty_database(kind_of(database_url), request, tmp_path)
    init_db(make_engine(target))
    before = every_row(target)

    refused(target, backup, "nyere udgave", "newer Brobygger", "0099_future")
    assert every_row(target) == before


def test_a_backup_from_an_older_migration_is_upgraded_after_restoring(database_url, tmp_path,
                                                                      request):
    """The source is a new database taken back to migration 0006 (a downgrade)."""
    engine = make_engine(database_url)
    command.downgrade(alembic_config(engine), "0006")
    engine.dispose()
    backup = tmp_path / "brobygger.backup"
    assert cli(database_url, "backup", str(backup)).exit_code == 0
    target = empty_database(kind_of(database_url), request, tmp_path)

    done = cli(target, "restore", str(backup))
    assert done.exit_code == 0, done.output
    assert "0006" in done.output and "upgraded" in done.output
    assert cli(target, "stats", "--json").exit_code == 0      # at the newest migration: usable
    fill(target, tmp_path)


def test_a_backup_of_the_other_database_kind_is_refused(tmp_path, postgres_server):
    sqlite_url = f"sqlite:///{tmp_path / 'source.db'}"
    init_db(make_engine(sqlite_url))
    backup = tmp_path / "brobygger.backup"
    assert cli(sqlite_url, "backup", str(backup)).exit_code == 0
    refused(postgres_server.new_database(), backup, "SQLite", "export")
    (tmp_path / "notes.txt").write_text("ikke en sikkerhedskopi")
    refused(sqlite_url, tmp_path / "notes.txt", "ikke en sikkerhedskopi fra", "not a backup made by")


def test_a_backup_of_a_missing_database_is_refused(tmp_path):
    done = cli(f"sqlite:///{tmp_path / 'none.db'}", "backup", str(tmp_path / "b.backup"))
    assert done.exit_code == 1 and "init-db" in done.output
    assert not (tmp_path / "b.backup").exists() and not (tmp_path / "none.db").exists()


RESTORE_AND_DIE = """
import os, signal, sqlite3, sys
from pathlib import Path
from catalogue import backup
from catalogue.db import make_engine

url, path = sys.argv[1:3]
die = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
if url.startswith("sqlite"):        # halfway through copying the staged file over the database
    target = Path(make_engine(url).url.database)
    copy = backup.copy_sqlite
    backup.PAGES_PER_STEP = 2
    backup.copy_sqlite = lambda source, into, progress=None: copy(
        source, into, (lambda status, remaining, total: remaining < total / 2 and die())
        if into == target else None)
else:                               # the whole archive sent to psql, before COMMIT
    run = backup.subprocess.run
    backup.subprocess.run = lambda *a, **k: (run(*a, **k), die()) if "--no-owner" in a[0] else run(*a, **k)
backup.restore_database(make_engine(url), Path(path), replace=True)
"""


def test_a_restore_killed_midway_leaves_the_database_as_it_was(database_url, tmp_path, request):
    backup, target = backup_and_another_database(database_url, tmp_path, request)
    before = every_row(target)

    killed_child(RESTORE_AND_DIE, target, str(backup))

    assert every_row(target) == before
    if kind_of(target) == "sqlite":
        with sqlite3.connect(make_engine(target).url.database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cli(target, "restore", "--replace", str(backup)).exit_code == 0   # and it can go on
    assert every_row(target) == every_row(database_url)
