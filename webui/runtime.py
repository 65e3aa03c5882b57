"""Per-process state of the web app: settings, sessions, and values derived from the catalogue.

Derived values (the offer records, the ``Matcher``) are built lazily and rebuilt when the
catalogue fingerprint changes, checked at most every ``check_seconds``. Every worker process
keeps its own copies; nothing here is shared between processes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Generic, TypeVar

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import session_factory
from catalogue.records import OfferRecord
from catalogue.repository import fingerprint, load_records
from catalogue.settings import Settings
from matcher.encoder import Encoder, load_encoder
from matcher.loader import load_matcher
from matcher.service import Matcher
from webui.listing import danish_key

T = TypeVar("T")


@lru_cache(maxsize=None)
def shared_encoder(model: str) -> Encoder:
    """One encoder per process and model: loading weights costs more than a rebuild."""
    return load_encoder(model)


class FreshByFingerprint(Generic[T]):
    """A value built from the catalogue, rebuilt when the catalogue fingerprint has changed;
    ``build`` receives the value it replaces (None at first) so it can rebuild incrementally."""

    def __init__(self, sessions: sessionmaker[Session], build: Callable[[T | None], T],
                 check_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self._sessions = sessions
        self._build = build
        self.check_seconds = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._value: T | None = None
        self._fingerprint: str | None = None
        self._checked_at = float("-inf")
        self.builds = 0

    def get(self) -> T:
        with self._lock:
            now = self._clock()
            if self._value is not None and now - self._checked_at < self.check_seconds:
                return self._value
            self._checked_at = now
            with self._sessions() as session:
                current = fingerprint(session)
            if self._value is None or current != self._fingerprint:
                # read the fingerprint before building: a change during the build is seen next time
                self._value = self._build(self._value)
                self._fingerprint = current
                self.builds += 1
            return self._value


@dataclass
class Runtime:
    """What the app keeps for its lifetime (``app.extensions["brobygger"]``)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    records: FreshByFingerprint[list[OfferRecord]]
    matcher: FreshByFingerprint[Matcher]

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> "Runtime":
        """``settings.index_check_seconds`` sets how often the catalogue is re-checked."""
        check_seconds = settings.index_check_seconds
        sessions = session_factory(engine)

        def read_records(_previous: list[OfferRecord] | None) -> list[OfferRecord]:
            with sessions() as session:
                return sorted(load_records(session), key=lambda r: (danish_key(r.name), r.id))

        def build_matcher(previous: Matcher | None) -> Matcher:
            encoder = shared_encoder(settings.embedding_model)
            return load_matcher(sessions, settings, encoder, previous)[0]

        return cls(settings, engine, sessions,
                   FreshByFingerprint(sessions, read_records, check_seconds),
                   FreshByFingerprint(sessions, build_matcher, check_seconds))


def runtime() -> Runtime:
    """The running app's ``Runtime``."""
    return current_app.extensions["brobygger"]
