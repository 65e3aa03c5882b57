"""Per-process state of the web app: settings, sessions, and values derived from the catalogue.

Derived values (the offer records, the ``Matcher``, the likely duplicates) are built lazily and rebuilt when the
catalogue fingerprint changes, checked at most every ``check_seconds``. The matcher is rebuilt
in a background thread while the old one serves. Every worker process keeps its own copies and
notices changes on its own; nothing here is shared between processes but the database and the
index files.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Generic, TypeVar

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import session_factory
from catalogue.editing import list_offers
from catalogue.records import OfferRecord
from catalogue.repository import fingerprint, reread_records
from catalogue.settings import Settings
from ingest.duplicates import alike_pairs
from matcher.encoder import Encoder, load_encoder
from matcher.loader import BuildInProgress, load_matcher, stored_matcher
from matcher.service import Matcher
from webui.listing import danish_key

T = TypeVar("T")
log = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def shared_encoder(model: str) -> Encoder:
    """One encoder per process and model: loading weights costs more than a rebuild."""
    return load_encoder(model)


class FreshByFingerprint(Generic[T]):
    """A value built from the catalogue, rebuilt when the catalogue fingerprint has changed
    (checked at most every ``check_seconds``); ``build`` receives the value it replaces (None at
    first) so it can rebuild incrementally.

    With ``background``, the check and the rebuild run in a thread of their own: callers keep
    getting the current value and never wait for a rebuild. Only the first value is built while
    callers wait, unless ``stored`` offers one saved earlier (with the fingerprint it was built
    from), which then serves until the current one is ready.
    """

    def __init__(self, sessions: sessionmaker[Session], build: Callable[[T | None], T],
                 check_seconds: float, clock: Callable[[], float] = time.monotonic,
                 background: bool = False,
                 stored: Callable[[], tuple[T, str] | None] | None = None):
        self._sessions = sessions
        self._build = build
        self.check_seconds = check_seconds
        self._clock = clock
        self._background = background
        self._stored = stored
        self._lock = threading.Lock()
        self._value: T | None = None
        self._fingerprint: str | None = None
        self._checked_at = float("-inf")
        self._refresh: threading.Thread | None = None
        self.builds = 0
        self.failures = 0

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._first_value()
            now = self._clock()
            if now - self._checked_at >= self.check_seconds and self._refresh is None:
                self._checked_at = now
                if self._background:
                    self._refresh = threading.Thread(target=self._refresh_now, daemon=True,
                                                     name="brobygger-refresh")
                    self._refresh.start()
                else:
                    self._rebuild_if_changed()
            return self._value

    def wait(self, timeout: float | None = None) -> None:
        """Until a background refresh under way (if any) has finished."""
        refresh = self._refresh
        if refresh is not None:
            refresh.join(timeout)

    def _current_fingerprint(self) -> str:
        with self._sessions() as session:
            return fingerprint(session)

    def _first_value(self) -> None:
        stored = self._stored() if self._stored is not None else None
        if stored is not None:
            self._value, self._fingerprint = stored
            return
        current = self._current_fingerprint()   # read before building: a change is seen next time
        self._value, self._fingerprint = self._build(None), current
        self._checked_at = self._clock()
        self.builds += 1

    def _rebuild_if_changed(self) -> None:
        current = self._current_fingerprint()
        if current != self._fingerprint:
            self._value, self._fingerprint = self._build(self._value), current
            self.builds += 1

    def _refresh_now(self) -> None:
        """Runs in the background thread: the old value serves until the new one is whole."""
        try:
            current = self._current_fingerprint()
            if current != self._fingerprint:
                value = self._build(self._value)
                with self._lock:
                    self._value, self._fingerprint = value, current
                    self.builds += 1
        except BuildInProgress:
            pass   # another worker is building it: the next check loads the file it saves
        except Exception:
            self.failures += 1   # the old value keeps serving; the next check tries again
            log.exception("Kunne ikke genopbygge søgeindekset / could not rebuild the search index")
        finally:
            with self._lock:
                self._refresh = None


class CatalogueRecords(list):
    """Every offer's record in the order the pages list them (by name), keeping what each was
    read at (``catalogue.repository.reread_records``) so that the next read after an edit
    fetches only what changed."""

    def __init__(self, by_id: dict[int, tuple[str, OfferRecord]]):
        super().__init__(sorted((record for _, record in by_id.values()),
                                key=lambda r: (danish_key(r.name), r.id)))
        self.by_id = by_id


def live_alike_pairs(sessions: sessionmaker[Session]) -> list[tuple[int, int, float]]:
    """(offer key, offer key, score) for offers not ended that look like the same offer, best
    first: the duplicates worklist before the coordinators' decisions are applied."""
    live = sorted((o for o in list_offers(sessions) if o.record.status != "ended"),
                  key=lambda o: (danish_key(o.record.name), o.record.id))
    return [(live[i].key, live[j].key, score)
            for i, j, score in alike_pairs([o.record for o in live])]


@dataclass
class Runtime:
    """What the app keeps for its lifetime (``app.extensions["brobygger"]``)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    records: FreshByFingerprint[CatalogueRecords]
    matcher: FreshByFingerprint[Matcher]
    duplicates: FreshByFingerprint[list[tuple[int, int, float]]]

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> "Runtime":
        """``settings.index_check_seconds`` sets how often the catalogue is re-checked."""
        check_seconds = settings.index_check_seconds
        sessions = session_factory(engine)

        def read_records(previous: CatalogueRecords | None) -> CatalogueRecords:
            with sessions() as session:   # after an edit, only the changed offers are read
                by_id = reread_records(session, previous.by_id if previous is not None else None)
            return CatalogueRecords(by_id)

        def build_matcher(previous: Matcher | None) -> Matcher:
            # a worker with nothing to serve waits for a build under way; one with a matcher
            # keeps serving it (``BuildInProgress``)
            encoder = shared_encoder(settings.embedding_model)
            return load_matcher(sessions, settings, encoder, previous, wait=previous is None)[0]

        def stored() -> tuple[Matcher, str] | None:
            matcher = stored_matcher(settings, shared_encoder(settings.embedding_model))
            return (matcher, matcher.index.fingerprint) if matcher is not None else None

        return cls(settings, engine, sessions,
                   FreshByFingerprint(sessions, read_records, check_seconds),
                   FreshByFingerprint(sessions, build_matcher, check_seconds, background=True,
                                      stored=stored),
                   # checked on every view (one cheap query): an edit shows in the worklist at once
                   FreshByFingerprint(sessions, lambda _: live_alike_pairs(sessions), 0))


def runtime() -> Runtime:
    """The running app's ``Runtime``."""
    return current_app.extensions["brobygger"]
