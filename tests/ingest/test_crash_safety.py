"""An import killed with SIGKILL leaves the catalogue exactly as it was, on SQLite and PostgreSQL,
and the search index still matches it. The kills are real: the importing child process sends
SIGKILL to itself halfway through writing, or with every row written but not yet committed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from catalogue.db import make_engine, session_factory
from catalogue.repository import fingerprint, load_records
from catalogue.settings import Settings
from ingest.jsonl import write_jsonl
from ingest.writer import upsert_records
from matcher.citizen import Citizen
from matcher.loader import ensure_index, stored_matcher
from tests.fixtures import killed_child
from tests.matcher.conftest import generated_catalogue

IMPORT_AND_DIE = """
import os, signal, sys
from pathlib import Path
from sqlalchemy.orm import Session
from catalogue.db import make_engine, session_factory
from ingest.importer import import_catalogue

url, path, moment = sys.argv[1:4]
die = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
if moment == "commit":               # every row written and flushed, the commit never happens
    flush = Session.flush
    Session.commit = lambda self: (flush(self), die())
    progress = None
else:                                # halfway through the rows, after flushing the first half
    def progress(stage, done, total):
        if stage == "write" and done == total // 2 and done:
            die()
import_catalogue(session_factory(make_engine(url)), Path(path), "jsonl", "default", full=True,
                 progress=progress)
"""


def import_and_die(url: str, path: Path, moment: str) -> None:
    killed_child(IMPORT_AND_DIE, url, str(path), moment)


@pytest.mark.parametrize("moment", ["halfway", "commit"])
def test_an_import_killed_midway_leaves_the_old_catalogue_and_a_matching_index(
        database_url, tmp_path, encoder, moment):
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    settings = Settings(instance_dir=tmp_path / "instance")
    old = generated_catalogue(40)
    upsert_records(sessions, old, "default")
    index, _ = ensure_index(sessions, settings, encoder)
    with sessions() as session:
        before = (load_records(session), fingerprint(session))
    # the new file changes ten offers, adds ten and leaves ten out (a full import ends them)
    new = ([dataclasses.replace(r, name=f"{r.name} (ny tid)") for r in old[:10]] + old[10:30]
           + generated_catalogue(50)[40:])
    write_jsonl(new, tmp_path / "new.jsonl")

    import_and_die(database_url, tmp_path / "new.jsonl", moment)

    with sessions() as session:
        assert (load_records(session), fingerprint(session)) == before
    serving = stored_matcher(settings, encoder)            # what a restarted worker serves
    assert serving.index.fingerprint == before[1] == index.fingerprint
    assert serving.rank("gåtur i naturen", Citizen(age=40), 3).positions.size > 0
    engine.dispose()
