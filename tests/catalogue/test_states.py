"""An offer's state, as a table: ended > paused > expired > expiring > stale > active."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.records import empty_record
from catalogue.repository import catalogue_stats
from catalogue.states import offer_state

TODAY = date(2026, 6, 1)
FRESH = date(2026, 5, 1)
OLD = date(2024, 1, 1)


@pytest.mark.parametrize("status, valid_to, assured, state", [
    ("active", None, FRESH, "active"),
    ("active", None, None, "stale"),                      # never confirmed
    ("active", None, OLD, "stale"),                       # confirmed too long ago
    ("active", date(2026, 6, 1), FRESH, "expiring"),      # its last day is today
    ("active", date(2026, 7, 1), OLD, "expiring"),        # expiring wins over stale
    ("active", date(2026, 7, 2), FRESH, "active"),        # 31 days away
    ("active", date(2026, 5, 31), FRESH, "expired"),
    ("active", date(2026, 5, 31), None, "expired"),       # expired wins over stale
    ("paused", date(2026, 5, 31), FRESH, "paused"),       # paused wins over expired
    ("paused", None, None, "paused"),
    ("ended", date(2026, 5, 31), None, "ended"),
])
def test_state(status, valid_to, assured, state):
    record = empty_record(id="a", status=status, valid_to=valid_to, assured_date=assured)
    assert offer_state(record, TODAY, stale_after_days=365) == state


def test_stats_count_each_offer_once_by_its_state():
    records = [empty_record(id="a", assured_date=FRESH),
               empty_record(id="b", valid_to=date(2026, 1, 1), assured_date=FRESH),
               empty_record(id="c"), empty_record(id="d", status="paused")]
    stats = catalogue_stats(records, TODAY, 365)
    assert stats.by_status == {"active": 1, "expired": 1, "stale": 1, "paused": 1}
    assert (stats.expired, stats.stale, stats.expiring) == (1, 1, 0)
