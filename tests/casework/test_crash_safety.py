"""A key rotation or a purge killed with SIGKILL loses nothing, on SQLite and PostgreSQL: the
citizens' texts read back exactly as before under the key file left behind, and the next run
finishes the work. The kills are real: the child process sends SIGKILL to itself."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from casework import citizens
from casework.crypto import Vault
from casework.rights import purge
from casework.rotation import rotate_key
from catalogue.settings import Settings
from tests.casework.conftest import MARKER, NOW, new_citizen
from tests.fixtures import killed_child

WORK_AND_DIE = """
import os, signal, sys
from datetime import datetime, timedelta
from pathlib import Path
from sqlalchemy.engine import Connection
from catalogue.db import make_engine, session_factory
from catalogue.settings import Settings
from casework import rotation
from casework.crypto import Vault
from casework.desk import Actor, Desk
from casework.rights import purge

url, key_file, moment, now = sys.argv[1:5]
die = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
sessions = session_factory(make_engine(url))
settings = Settings(instance_dir=Path(key_file).parent, casework_key_file=Path(key_file))
if moment == "retire":               # everything re-encrypted and committed, old key not retired
    writes = []
    write = rotation.write_key_file
    rotation.write_key_file = lambda *a: die() if writes else (writes.append(a), write(*a))
else:                                # every change sent to the database, never committed
    Connection._commit_impl = die
if moment == "purge":
    desk = Desk(sessions, Vault.from_settings(settings), Actor("brobygger purge"),
                clock=lambda: datetime.fromisoformat(now), retention_days=30)
    purge(desk)
else:
    rotation.rotate_key(settings, sessions)
"""


def work_and_die(url: str, key_file: Path, moment: str) -> None:
    later = (NOW + timedelta(days=60)).isoformat()
    killed_child(WORK_AND_DIE, url, str(key_file), moment, later)


@pytest.fixture
def course(guide_desk, database_url, tmp_path):
    """Two citizens of team Aarhus with the marker in their dreams, both courses ended; the
    desk's key in a key file."""
    key_file = tmp_path / "casework.key"
    key_file.write_text(guide_desk.vault.keys[0].decode() + "\n")
    ids = []
    for name in ("Mette", "Ali"):
        cid = citizens.create_citizen(guide_desk, new_citizen(name=name))
        citizens.save_conversation(guide_desk, cid, {"dreams": f"{MARKER} ({name})"})
        citizens.end_course(guide_desk, cid)
        ids.append(cid)
    return guide_desk, Settings(instance_dir=tmp_path, casework_key_file=key_file), ids


def dreams(desk, settings: Settings, ids: list[str]) -> list[str]:
    """What a restarted worker reads, with the keys now in the key file."""
    reader = dataclasses.replace(desk, vault=Vault.from_settings(settings))
    return [citizens.get_conversation(reader, cid)["dreams"] for cid in ids]


@pytest.mark.parametrize("moment", ["reseal", "retire"])
def test_a_key_rotation_killed_midway_keeps_every_text_readable(course, database_url, moment):
    desk, settings, ids = course
    work_and_die(database_url, settings.casework_key_file, moment)

    assert dreams(desk, settings, ids) == [f"{MARKER} (Mette)", f"{MARKER} (Ali)"]
    assert len(Vault.from_settings(settings).keys) == 2     # the new key and the old one
    rotate_key(settings, desk.sessions)                      # the next run finishes the work
    assert len(Vault.from_settings(settings).keys) == 1
    assert dreams(desk, settings, ids) == [f"{MARKER} (Mette)", f"{MARKER} (Ali)"]


def test_a_purge_killed_midway_erases_nobody_and_the_next_purge_everybody(course, database_url):
    desk, settings, ids = course
    work_and_die(database_url, settings.casework_key_file, "purge")

    assert dreams(desk, settings, ids) == [f"{MARKER} (Mette)", f"{MARKER} (Ali)"]
    later = dataclasses.replace(desk, clock=lambda: NOW + timedelta(days=60), retention_days=30,
                                vault=Vault.from_settings(settings))
    assert purge(later) == 2
    assert citizens.list_citizens(desk) == []
