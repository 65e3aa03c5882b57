"""Getting a ready ``Matcher`` for the current catalogue: reuse the index on disk when its
fingerprint matches, else rebuild it from cached embeddings, encoding only changed text.

This is the one place that saves derived artefacts (the index file and the embedding cache);
catalogue data itself is never written here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

import numpy as np
from filelock import FileLock, Timeout
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from catalogue.embeddings import load_vector_cache, stale_vector_rows, store_vectors
from catalogue.records import OfferRecord
from catalogue.repository import fingerprint_of, load_keyed_records, offer_versions
from catalogue.settings import Settings
from matcher.artefacts import remove_stale_temporaries
from matcher.encoder import Encoder, Progress, load_encoder, text_hash
from matcher.encoder import encoder_slug as _slug
from matcher.index import CatalogueIndex, build_index, offer_text
from matcher.rank import LinearScorer, fusion_scorer
from matcher.service import Matcher
from matcher.vector_cache import load_vector_file, save_vector_file


@dataclass(frozen=True)
class IndexReport:
    offers: int
    encoded: int          # offer texts encoded by this build
    reused_file: bool
    seconds: float
    path: Path
    themes_encoded: int = 0   # theme descriptions encoded (first build with a new lexicon)


class BuildInProgress(Exception):
    """Another process (a second web worker, ``build-index``) is building the index: whoever
    asked without waiting keeps serving what it has and finds the new file on its next check."""


def index_path(settings: Settings, encoder_name: str, catalogue_fingerprint: str) -> Path:
    return settings.instance_dir / "index" / f"{_slug(encoder_name)}-{catalogue_fingerprint[:20]}.pickle"


def vector_file(settings: Settings, encoder_name: str, kind: str) -> Path:
    """A file of encoded texts that belong to no offer (theme descriptions, evaluation runs)."""
    return settings.instance_dir / "cache" / f"{_slug(encoder_name)}-{kind}.npz"


def latest_index(settings: Settings, encoder_name: str) -> CatalogueIndex | None:
    """The newest readable index on disk for this encoder, whatever catalogue it was built from."""
    folder = settings.instance_dir / "index"
    files = sorted(folder.glob(f"{_slug(encoder_name)}-*.pickle"), key=_modified, reverse=True)
    for path in files:
        if (index := CatalogueIndex.load(path)) is not None:
            return index
    return None


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:   # replaced by another worker meanwhile
        return float("-inf")


def _current_records(sessions: sessionmaker[Session], versions: list[tuple[int, str]],
                     previous: CatalogueIndex | None) -> list[tuple[int, OfferRecord]]:
    """(offer id, record) for every offer, reading from the database only what changed."""
    known = {version: i for i, version in enumerate(previous.versions)} if previous else {}
    changed = [offer_id for offer_id, hash_ in versions if (offer_id, hash_) not in known]
    with sessions() as session:
        fresh = dict(load_keyed_records(session, offer_ids=changed if known else None))
    return [(offer_id, fresh[offer_id] if offer_id in fresh else
             previous.records[known[(offer_id, hash_)]]) for offer_id, hash_ in versions]


def ensure_index(sessions: sessionmaker[Session], settings: Settings, encoder: Encoder,
                 previous: CatalogueIndex | None = None, progress: Progress | None = None,
                 wait: bool = True) -> tuple[CatalogueIndex, IndexReport]:
    """The index for the catalogue as it is now: from disk if it is there, else rebuilt,
    analysing only offers changed since ``previous`` (or the newest index on disk).

    One process builds at a time (a lock file in the index folder); the others load the file it
    saves instead of building the same index again, and without ``wait`` they raise
    ``BuildInProgress`` rather than wait for it. Offer vectors are saved in the database batch
    by batch while they are encoded, so a build that is killed resumes where it stopped; the new
    index file replaces the old one only once it is whole.
    """
    started = time.perf_counter()
    folder = settings.instance_dir / "index"
    folder.mkdir(parents=True, exist_ok=True)
    with sessions() as session:
        versions = offer_versions(session)
    current = fingerprint_of(versions)
    path = index_path(settings, encoder.name, current)
    if (index := _saved(path, current, encoder)) is not None:
        return index, IndexReport(index.size, 0, True, time.perf_counter() - started, path)
    lock = FileLock(folder / "build.lock")
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise BuildInProgress() from None
    try:
        if (index := _saved(path, current, encoder)) is not None:   # built while we waited
            return index, IndexReport(index.size, 0, True, time.perf_counter() - started, path)
        remove_stale_temporaries(folder)
        return _build_and_save(sessions, settings, encoder, previous, progress, versions,
                               current, path, started)
    finally:
        lock.release()


def _saved(path: Path, fingerprint: str, encoder: Encoder) -> CatalogueIndex | None:
    index = CatalogueIndex.load(path) if path.exists() else None
    if index is not None and index.fingerprint == fingerprint and index.encoder_name == encoder.name:
        return index
    return None


def _build_and_save(sessions: sessionmaker[Session], settings: Settings, encoder: Encoder,
                    previous: CatalogueIndex | None, progress: Progress | None,
                    versions: list[tuple[int, str]], current: str, path: Path, started: float
                    ) -> tuple[CatalogueIndex, IndexReport]:
    if previous is None or previous.encoder_name != encoder.name:
        previous = latest_index(settings, encoder.name)
    keyed = _current_records(sessions, versions, previous)
    theme_file = vector_file(settings, encoder.name, "themes")
    theme_cache = load_vector_file(theme_file)
    with sessions() as session:
        cache = {**theme_cache, **load_vector_cache(session, encoder.name)}
    hashes = {offer_id: text_hash(offer_text(record)) for offer_id, record in keyed}
    index, fresh = build_index([record for _, record in keyed], encoder, current, cache,
                               settings.exact_index_limit, previous,
                               on_encoded=_vector_saver(sessions, encoder.name, hashes),
                               progress=progress)
    index.versions = versions
    offer_hashes = set(hashes.values())
    new_themes = {h: v for h, v in fresh.items() if h not in offer_hashes}
    if new_themes:
        save_vector_file(theme_file, {**theme_cache, **new_themes})
    position = {offer_id: i for i, (offer_id, _) in enumerate(keyed)}
    _store_vectors(sessions, encoder.name, lambda session: [
        (offer_id, hashes[offer_id], index.dense.vectors[position[offer_id]])
        for offer_id in stale_vector_rows(session, encoder.name, hashes)])
    _replace_index_file(index, path)
    return index, IndexReport(index.size, len(fresh) - len(new_themes), False,
                              time.perf_counter() - started, path, len(new_themes))


def _store_vectors(sessions: sessionmaker[Session], model: str,
                   rows: Callable[[Session], list[tuple[int, str, np.ndarray]]]) -> None:
    try:
        with sessions.begin() as session:
            store_vectors(session, model, rows(session))
    except IntegrityError:
        pass  # another worker stored the same vectors first; they are derived data


def _vector_saver(sessions: sessionmaker[Session], model: str, hashes: dict[int, str]
                  ) -> Callable[[dict[str, np.ndarray]], None]:
    """Saves each batch of freshly encoded offer texts in the database's embedding cache."""
    offers_by_hash: dict[str, list[int]] = {}
    for offer_id, hash_ in hashes.items():
        offers_by_hash.setdefault(hash_, []).append(offer_id)

    def save(encoded: dict[str, np.ndarray]) -> None:
        rows = [(offer_id, hash_, vector) for hash_, vector in encoded.items()
                for offer_id in offers_by_hash.get(hash_, ())]
        _store_vectors(sessions, model, lambda _session: rows)

    return save


def _replace_index_file(index: CatalogueIndex, path: Path) -> None:
    """Save the new index, then remove the files of older catalogues (never the other way round:
    a crash in between leaves a servable index)."""
    index.save(path)
    for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)


def bundled_ranker_path() -> Path:
    return Path(str(resources.files("matcher") / "data" / "ranker.json"))


def load_scorer(settings: Settings) -> LinearScorer:
    """The trained ranker of this instance, else the one shipped with the package, else fusion."""
    for path in (settings.ranker_path, bundled_ranker_path()):
        if path.exists():
            stat = path.stat()
            return _scorer_file(path, stat.st_mtime_ns, stat.st_size)
    return fusion_scorer()


@lru_cache(maxsize=4)
def _scorer_file(path: Path, modified_ns: int, size: int) -> LinearScorer:
    """A ranker file read once per version of it (every index rebuild asks for the scorer)."""
    return LinearScorer.from_json(path)


def stored_matcher(settings: Settings, encoder: Encoder) -> Matcher | None:
    """A matcher over the newest index on disk, current or not, without reading the database:
    what a new worker serves while the index for today's catalogue is built in the background."""
    index = latest_index(settings, encoder.name)
    return Matcher(index, encoder, load_scorer(settings)) if index is not None else None


def load_matcher(sessions: sessionmaker[Session], settings: Settings,
                 encoder: Encoder | None = None, previous: Matcher | None = None,
                 wait: bool = True) -> tuple[Matcher, IndexReport]:
    """A matcher for the catalogue as it is now; ``previous`` makes a rebuild incremental
    (``wait``: see ``ensure_index``)."""
    encoder = encoder or load_encoder(settings.embedding_model)
    index, report = ensure_index(sessions, settings, encoder,
                                 previous.index if previous is not None else None, wait=wait)
    return Matcher(index, encoder, load_scorer(settings)), report
