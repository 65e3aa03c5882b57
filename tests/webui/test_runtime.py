"""The per-process matcher and records: built lazily, rebuilt only when the catalogue changed."""

from __future__ import annotations

import threading
from dataclasses import replace

from catalogue.settings import Settings
from tests.fixtures import migrated
from tests.webui.conftest import import_offers, offers
from webui import create_app
from webui.runtime import FreshByFingerprint


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def holder(app, clock, check_seconds: float = 2.0):
    built = []

    def build(previous):
        assert previous == (len(built) or None)    # each build is handed the value it replaces
        built.append(len(built))
        return len(built)

    return FreshByFingerprint(app.extensions["brobygger"].sessions, build, check_seconds,
                              clock), built


def test_nothing_is_built_until_asked(own_app):
    assert own_app.extensions["brobygger"].matcher.builds == 0


def test_default_check_interval_is_two_seconds(tmp_path):
    app = create_app(migrated(Settings(instance_dir=tmp_path)))
    assert app.extensions["brobygger"].matcher.check_seconds == 2.0
    app.extensions["brobygger"].engine.dispose()


def test_rebuilds_only_after_the_interval_and_a_changed_fingerprint(own_app, tmp_path):
    app = own_app
    clock = FakeClock()
    fresh, built = holder(app, clock)
    assert fresh.get() == 1
    import_offers(app, offers()[:3], tmp_path / "smaller.jsonl")  # unchanged content
    clock.now = 5.0
    assert fresh.get() == 1
    changed = [replace(offers()[0], name="Ny gågruppe")]
    import_offers(app, changed, tmp_path / "changed.jsonl")
    clock.now = 6.0
    assert fresh.get() == 1          # checked less than 2 s ago
    clock.now = 7.5
    assert fresh.get() == 2
    assert len(built) == 2


def test_concurrent_first_requests_build_once(app):
    fresh, built = holder(app, FakeClock())
    threads = [threading.Thread(target=fresh.get) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == [0]


def test_searches_during_a_rebuild_get_the_old_value_without_waiting(own_app, tmp_path):
    gate, started = threading.Event(), threading.Event()
    built = []

    def build(previous):
        if previous is not None:                    # the rebuild after the change
            started.set()
            assert gate.wait(30)
        built.append(previous)
        return len(built)

    fresh = FreshByFingerprint(own_app.extensions["brobygger"].sessions, build, 0,
                               background=True)
    assert fresh.get() == 1                         # the first value is built while we wait
    import_offers(own_app, [replace(offers()[0], name="Ny gågruppe")], tmp_path / "changed.jsonl")
    assert fresh.get() == 1                         # notices the change, rebuild starts
    assert started.wait(30)
    answers = []
    readers = [threading.Thread(target=lambda: answers.append(fresh.get())) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(5)
    assert answers == [1] * 8                       # all answered while the rebuild is blocked
    gate.set()
    fresh.wait(30)
    assert fresh.get() == 2 and fresh.builds == 2


def test_a_failed_rebuild_keeps_the_old_value_serving(own_app, tmp_path):
    def build(previous):
        if previous is not None:
            raise RuntimeError("disk full")
        return "old"

    fresh = FreshByFingerprint(own_app.extensions["brobygger"].sessions, build, 0,
                               background=True)
    assert fresh.get() == "old"
    import_offers(own_app, [replace(offers()[0], name="Ny gågruppe")], tmp_path / "changed.jsonl")
    fresh.get()
    fresh.wait(30)
    assert fresh.failures == 1 and fresh.get() == "old"   # and it tries again at the next check


def test_a_new_worker_serves_the_index_on_disk_while_it_builds_the_current_one(own_app, tmp_path):
    first = own_app.extensions["brobygger"].matcher.get()          # builds and saves the index
    import_offers(own_app, [replace(offers()[0], name="Ny gågruppe")], tmp_path / "changed.jsonl")
    worker = create_app(own_app.extensions["brobygger"].settings)   # a second worker
    matcher = worker.extensions["brobygger"].matcher
    served = matcher.get()
    assert served.index.fingerprint == first.index.fingerprint      # served at once, from disk
    matcher.wait()
    current = matcher.get()
    assert current.index.fingerprint != first.index.fingerprint
    assert "Ny gågruppe" in [r.name for r in current.index.records]
    worker.extensions["brobygger"].engine.dispose()
