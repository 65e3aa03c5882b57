"""Search keeps answering through every change a coordinator makes: a table of catalogue
transitions, each checked in the running process (incremental rebuild) and in a new process
(a restart or another worker that finds only the index files on disk)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from filelock import FileLock

from catalogue.settings import Settings
from ingest.importer import import_catalogue
from matcher.citizen import Citizen
from matcher.loader import BuildInProgress, ensure_index
from matcher.service import Matcher
from tests.fixtures import small_catalogue

SOURCE = "kommunen"
ANYONE = Citizen(age=40, municipality="Aarhus", has_referral=True)


def _write(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    return path


def _by_id(offer_id: str):
    return next(r for r in small_catalogue() if r.id == offer_id)


KNITTING = _by_id("aalborg-strikkeklub")
NEW_OFFER = dataclasses.replace(KNITTING, id="ny-fuglekiggere", name="Fuglekiggerne",
                                description="Vi kigger på fugle med kikkert ved fjorden.")
EDITED = dataclasses.replace(_by_id("esbjerg-sprogcafe"), name="Sprogcafé med brætspil",
                             description="Øv dansk mens vi spiller brætspil og drikker te.")

# (what a coordinator does, the file imported, --full, an offer the search must find or None,
#  offers that must never be suggested afterwards)
TRANSITIONS = [
    ("første import / first import", small_catalogue(), False, KNITTING.id, ()),
    ("opret / create", [NEW_OFFER], False, NEW_OFFER.id, ()),
    ("ret / edit", [EDITED], False, EDITED.id, ()),
    ("sæt på pause / pause", [dataclasses.replace(KNITTING, status="paused")], False, None,
     (KNITTING.id,)),
    ("afslut fem, intet nyt / end five with nothing new",
     [r for r in small_catalogue() if r.id != KNITTING.id][:5], True, None, (KNITTING.id,)),
    ("samme fil igen / same file again",
     [r for r in small_catalogue() if r.id != KNITTING.id][:5], True, None, (KNITTING.id,)),
    ("skrumper til ét tilbud / shrinks to one offer", [NEW_OFFER], True, NEW_OFFER.id,
     (KNITTING.id, EDITED.id)),
    ("genåbn / reopen", [KNITTING], False, KNITTING.id, ()),
]
QUERIES = {KNITTING.id: "strikning og hækling", NEW_OFFER.id: "fugle med kikkert",
           EDITED.id: "brætspil og dansk"}


def _found(matcher: Matcher, query: str) -> list[str]:
    ranking = matcher.rank(query, ANYONE, 10)
    return [matcher.index.records[int(p)].id for p in ranking.positions]


def _check(matcher: Matcher, must_find: str | None, never: tuple[str, ...], step: str) -> None:
    for offer_id, query in QUERIES.items():
        found = _found(matcher, query)
        assert not set(never) & set(found), f"{step}: suggested {set(never) & set(found)}"
        if offer_id == must_find:
            assert found[:1] == [must_find], f"{step}: {query!r} gave {found}"


@pytest.mark.slow
def test_every_change_leaves_search_answering(sessions, tmp_path, encoder):
    settings = Settings(instance_dir=tmp_path / "instance")
    running = None
    for step, (name, records, full, must_find, never) in enumerate(TRANSITIONS):
        older = {p: p.read_bytes() for p in (settings.instance_dir / "index").glob("*.pickle")}
        import_catalogue(sessions, _write(tmp_path / f"{step}.jsonl", records), "jsonl", SOURCE,
                         full=full)
        running, report = ensure_index(sessions, settings, encoder, previous=running)
        _check(Matcher(running, encoder), must_find, never, f"{name} (running)")
        report.path.unlink()            # a restart or another worker, with only the older index
        for path, content in older.items():
            path.write_bytes(content)
        restarted, again = ensure_index(sessions, settings, encoder)
        assert again.encoded == 0, name                 # vectors come from the database
        _check(Matcher(restarted, encoder), must_find, never, f"{name} (new process)")


@pytest.mark.slow
def test_an_index_of_a_larger_catalogue_on_disk_does_not_break_a_smaller_one(
        sqlite_sessions, tmp_path, encoder):
    """The instance folder holds an index of 10 offers; the database now holds only 2 of them."""
    from catalogue.db import init_db, make_engine, session_factory

    settings = Settings(instance_dir=tmp_path / "instance")
    import_catalogue(sqlite_sessions, _write(tmp_path / "all.jsonl", small_catalogue()), "jsonl", SOURCE)
    ensure_index(sqlite_sessions, settings, encoder)
    engine = make_engine(f"sqlite:///{tmp_path / 'smaller.db'}")
    init_db(engine)
    smaller = session_factory(engine)
    import_catalogue(smaller, _write(tmp_path / "two.jsonl", [KNITTING, _by_id("sorggruppe")]),
                     "jsonl", SOURCE)
    index, report = ensure_index(smaller, settings, encoder)
    assert index.size == 2 and report.encoded == 0     # both texts were known to the old index
    assert _found(Matcher(index, encoder), QUERIES[KNITTING.id])[:1] == [KNITTING.id]

    empty_engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    init_db(empty_engine)
    empty, _ = ensure_index(session_factory(empty_engine), settings, encoder)
    assert empty.size == 0 and _found(Matcher(empty, encoder), "strikning") == []
    engine.dispose()
    empty_engine.dispose()


@pytest.mark.slow
def test_while_one_process_builds_the_others_serve_and_then_load_its_file(sessions, tmp_path,
                                                                          encoder):
    settings = Settings(instance_dir=tmp_path / "instance")
    import_catalogue(sessions, _write(tmp_path / "first.jsonl", small_catalogue()), "jsonl", SOURCE)
    serving, _ = ensure_index(sessions, settings, encoder)
    import_catalogue(sessions, _write(tmp_path / "new.jsonl", [NEW_OFFER]), "jsonl", SOURCE)
    with FileLock(settings.instance_dir / "index" / "build.lock"):   # another worker builds
        with pytest.raises(BuildInProgress):
            ensure_index(sessions, settings, encoder, previous=serving, wait=False)
        assert _found(Matcher(serving, encoder), QUERIES[KNITTING.id])[:1] == [KNITTING.id]
    built, report = ensure_index(sessions, settings, encoder, previous=serving, wait=False)
    assert not report.reused_file and _found(Matcher(built, encoder), QUERIES[NEW_OFFER.id])[:1] \
        == [NEW_OFFER.id]
    loaded, again = ensure_index(sessions, settings, encoder, previous=serving, wait=False)
    assert again.reused_file and again.encoded == 0 and loaded.fingerprint == built.fingerprint
