"""A provider's listing link on SQLite and PostgreSQL: it shows the listing, takes one answer
that confirms it today and sets its capacity (the history names the link), or says what is
wrong (kept for the coordinators, the offer unchanged), and afterwards, or once expired, shows
nothing; a broken answer changes nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from catalogue import editing
from catalogue.history import Actor, offer_history
from catalogue.listing_links import (InvalidAnswer, confirm_listing, is_listing_token, issue_link,
                                     open_link_exists, open_listing)
from catalogue.listing_reports import (MAX_TEXT, ReportNotFound, answer_listing, mark_handled,
                                       open_reports)
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


def _reports(sessions) -> list:
    with sessions() as session:
        return open_reports(session)


def test_the_provider_reports_a_problem_the_offer_stays_and_the_history_names_it(catalogue):
    key, token = _link(catalogue)
    before = editing.get_offer(catalogue, key)
    words = "Vi går nu om onsdagen kl. 10-12, ikke om tirsdagen."
    answer = answer_listing(catalogue, token, {"action": "report", "part": "time",
                                               "text": f"  {words}\n"}, NOW, TODAY)
    assert answer == {"offer_id": "aarhus-gaagruppe", "action": "report", "part": "time",
                      "reported_at": NOW.isoformat()}
    after = editing.get_offer(catalogue, key)
    assert (after.record, after.version) == (before.record, before.version)  # coordinators decide
    [report] = _reports(catalogue)
    assert (report.offer_key, report.part, report.text) == (key, "time", words)
    assert report.reported_at == NOW and report.handled_at is None
    with catalogue() as session:
        last = offer_history(session, key)[-1]
    assert (last.who, last.action, last.field, last.old, last.new) == (
        "provider-link", "provider_report", "time", None, words)
    with pytest.raises(LinkClosed) as closed:      # one answer: no confirmation afterwards
        answer_listing(catalogue, token, {"action": "confirm", "capacity": "full"}, NOW, TODAY)
    assert closed.value.reason == "used"
    assert editing.get_offer(catalogue, key).record.capacity == before.record.capacity


def test_a_report_without_a_part_is_other_and_reports_are_newest_first(catalogue):
    _, first = _link(catalogue)
    _, second = _link(catalogue, ref="sorggruppe")
    answer_listing(catalogue, first, {"action": "report", "text": "Kontakten er ny"}, NOW, TODAY)
    answer_listing(catalogue, second, {"action": "report", "part": "ended",
                                       "text": "Gruppen er lukket"},
                   NOW + timedelta(hours=1), TODAY)
    assert [(r.part, r.text) for r in _reports(catalogue)] == [
        ("ended", "Gruppen er lukket"), ("other", "Kontakten er ny")]


@pytest.mark.parametrize("answer, field", [
    ({"action": "report", "text": "   "}, "text"),
    ({"action": "report", "part": "time"}, "text"),
    ({"action": "report", "text": "x" * (MAX_TEXT + 1)}, "text"),
    ({"action": "report", "text": "nul\x00tegn"}, "text"),
    ({"action": "report", "part": "weather", "text": "Forkert"}, "part"),
    ({"action": "report", "text": ["Forkert"]}, "text"),
    ({"action": "wrong", "text": "Forkert"}, "action")])
def test_a_broken_report_says_which_field_and_writes_nothing(catalogue, answer, field):
    key, token = _link(catalogue)
    with pytest.raises(InvalidAnswer) as refused:
        answer_listing(catalogue, token, answer, NOW, TODAY)
    assert refused.value.field == field and refused.value.status == 422
    assert refused.value.da and refused.value.en and refused.value.da != refused.value.en
    assert _reports(catalogue) == []
    with catalogue() as session:
        assert open_link_exists(session, key, NOW)
        assert offer_history(session, key)[-1].action != "provider_report"


def test_a_report_of_exactly_the_longest_length_is_kept_whole(catalogue):
    _, token = _link(catalogue)
    text = "æ" * MAX_TEXT
    answer_listing(catalogue, token, {"action": "report", "text": text}, NOW, TODAY)
    assert _reports(catalogue)[0].text == text


def test_a_report_is_handled_once_and_then_leaves_the_worklist(catalogue):
    _, token = _link(catalogue)
    answer_listing(catalogue, token, {"action": "report", "text": "Forkert adresse"}, NOW, TODAY)
    [report] = _reports(catalogue)
    later = NOW + timedelta(days=1)
    handled = mark_handled(catalogue, report.id, Actor("koordinator@kommune.dk"), later)
    assert (handled.handled_by, handled.handled_at) == ("koordinator@kommune.dk", later)
    again = mark_handled(catalogue, report.id, Actor("anden@kommune.dk"), later + timedelta(1))
    assert (again.handled_by, again.handled_at) == ("koordinator@kommune.dk", later)
    assert _reports(catalogue) == []
    with pytest.raises(ReportNotFound):
        mark_handled(catalogue, report.id + 1000, Actor("koordinator@kommune.dk"), later)
