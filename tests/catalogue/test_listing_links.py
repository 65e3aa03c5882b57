"""A provider's listing link on SQLite and PostgreSQL: it shows the listing, takes one answer
that confirms it today and sets its capacity (the history names the link), and afterwards, or
once expired, shows nothing; a broken answer changes nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from catalogue import editing
from catalogue.history import offer_history
from catalogue.listing_links import (InvalidAnswer, confirm_listing, is_listing_token, issue_link,
                                     open_link_exists, open_listing)
from catalogue.tokens import LinkClosed, token_hash
from ingest.importer import import_catalogue
from tests.fixtures import small_catalogue

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 6)


@pytest.fixture
def catalogue(sessions, tmp_path):
    path = tmp_path / "offers.jsonl"
    path.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                            for r in small_catalogue()), encoding="utf-8")
    import_catalogue(sessions, path, "jsonl", "test")
    return sessions


def _link(sessions, ref="aarhus-gaagruppe", days=30) -> tuple[int, str]:
    key = editing.resolve(sessions, ref)
    with sessions.begin() as session:
        return key, issue_link(session, key, NOW, days, "koordinator@kommune.dk")


def test_the_provider_confirms_the_listing_and_sets_it_full(catalogue):
    key, token = _link(catalogue)
    assert is_listing_token(catalogue, token) and not is_listing_token(catalogue, "x" * 43)
    shown = open_listing(catalogue, token, NOW)
    assert shown["name"] == "Gågruppe for seniorer" and shown["capacity"] == "open"
    assert shown["assured_date"] == "2025-09-01"
    answer = confirm_listing(catalogue, token, {"action": "confirm", "capacity": "full"}, NOW,
                             TODAY)
    assert answer == {"offer_id": "aarhus-gaagruppe", "assured_date": "2026-12-06",
                      "capacity": "full"}
    record = editing.get_offer(catalogue, key).record
    assert (record.assured_date, record.capacity) == (TODAY, "full")
    with catalogue() as session:
        changes = offer_history(session, key)[-2:]
    assert {(c.who, c.action, c.field) for c in changes} == {
        ("provider-link", "provider_confirm", "assured_date"),
        ("provider-link", "provider_confirm", "capacity")}
    for closed_at in (NOW, NOW + timedelta(days=60)):
        with pytest.raises(LinkClosed) as closed:
            open_listing(catalogue, token, closed_at)
        assert closed.value.reason == "used" and closed.value.status == 409
        assert "Gågruppe" not in closed.value.da


def test_an_expired_or_unknown_link_shows_nothing_and_changes_nothing(catalogue):
    key, token = _link(catalogue, days=1)
    later = NOW + timedelta(days=2)
    with pytest.raises(LinkClosed) as closed:
        confirm_listing(catalogue, token, {"action": "confirm", "capacity": "open"}, later, TODAY)
    assert closed.value.reason == "expired" and closed.value.status == 410
    for unknown in ("kort", "A" * 43, token_hash(token)):
        with pytest.raises(LinkClosed) as closed:
            open_listing(catalogue, unknown, NOW)
        assert closed.value.reason == "unknown"
    assert editing.get_offer(catalogue, key).record.assured_date == date(2025, 9, 1)


@pytest.mark.parametrize("answer, field", [
    ({"action": "confirm", "capacity": "maybe"}, "capacity"),
    ({"action": "confirm"}, "capacity"),
    ({"action": "accept", "capacity": "open"}, "action"),
    (["confirm"], "body")])
def test_a_broken_answer_says_which_field_and_leaves_the_link_open(catalogue, answer, field):
    key, token = _link(catalogue)
    with pytest.raises(InvalidAnswer) as refused:
        confirm_listing(catalogue, token, answer, NOW, TODAY)
    assert refused.value.field == field and refused.value.da and refused.value.en
    assert editing.get_offer(catalogue, key).record.assured_date == date(2025, 9, 1)
    with catalogue() as session:
        assert open_link_exists(session, key, NOW)
