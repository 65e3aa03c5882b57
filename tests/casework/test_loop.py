"""Closing the loop on SQLite and PostgreSQL: the provider's link answers once and then shows
nothing, nor after a withdrawal or expiry; the check-in opens on the step's day, answers once,
and the guide can answer it too; the follow-up list shows both at once; the audit log names the
links, not a staff member."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework import checkin, inbox, plan, sharing
from casework.errors import Conflict, Invalid
from casework.links import CHECKIN_LINK, PROVIDER_LINK, LinkClosed
from casework.models import AuditEntry
from tests.casework.conftest import MARKER, NOW
from tests.casework.test_services import _course


def _referral(desk) -> tuple[str, str, str]:
    cid, _, consent = _course(desk)
    sent = sharing.refer(desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                "consent_id": consent, "message": "Mette kommer gerne torsdag"})
    return cid, sent["id"], sent["provider_link"].removeprefix("/p/")


def _closed(call, *args) -> str:
    with pytest.raises(LinkClosed) as closed:
        call(*args)
    assert closed.value.da and closed.value.en and MARKER not in closed.value.da
    return closed.value.reason


def test_the_provider_sees_only_the_consented_pieces_answers_once_and_the_guide_sees_it(guide_desk):
    cid, referral_id, token = _referral(guide_desk)
    link = guide_desk.with_actor(PROVIDER_LINK)
    shown = inbox.open_referral(link, token)
    assert shown["citizen"] == {"name": "Mette", "dreams": MARKER}
    assert shown["team"] == "Aarhus" and shown["offer_id"] == "test:aarhus-gaagruppe"
    with pytest.raises(Invalid) as refused:
        inbox.answer_referral(link, token, {"action": "propose", "time": "torsdag"})
    assert refused.value.field == "time"
    with pytest.raises(Invalid) as refused:
        inbox.answer_referral(link, token, {"action": "decline", "reason": "keine Lust"})
    assert refused.value.field == "reason"
    answer = inbox.answer_referral(link, token, {"action": "propose",
                                                 "time": "2026-12-10T10:00", "note": "Kl. 10"})
    assert answer["status"] == "proposed"
    due = plan.followups(guide_desk, (NOW + timedelta(days=30)).date())
    [seen] = [r for r in due["referrals"] if r["id"] == referral_id]
    assert seen["status"] == "proposed" and seen["answer"]["proposed_time"] == "2026-12-10T10:00"
    assert seen["answer"]["note"] == "Kl. 10"
    assert _closed(inbox.open_referral, link, token) == "used"
    assert _closed(inbox.answer_referral, link, token, {"action": "accept"}) == "used"
    with guide_desk.sessions() as session:
        entries = session.execute(select(AuditEntry.who, AuditEntry.account_id).where(
            AuditEntry.citizen_id == cid, AuditEntry.action.like("provider_%"))).all()
    assert entries == [("provider-link", None)] * 2


def test_withdrawn_expired_and_unknown_links_show_nothing(guide_desk):
    link = guide_desk.with_actor(PROVIDER_LINK)
    _, _, token = _referral(guide_desk)
    later = replace(link, clock=lambda: NOW + timedelta(days=guide_desk.link_days, seconds=1))
    assert _closed(inbox.open_referral, later, token) == "expired"
    assert _closed(inbox.answer_referral, later, token, {"action": "accept"}) == "expired"
    assert _closed(inbox.open_referral, link, "x" * 43) == "unknown"
    assert _closed(inbox.open_referral, link, "../../etc/passwd") == "unknown"
    cid, talk, consent = _course(guide_desk)
    sent = sharing.refer(guide_desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                      "consent_id": consent})
    token = sent["provider_link"].removeprefix("/p/")
    sharing.withdraw_consent(guide_desk, consent)
    assert _closed(inbox.open_referral, link, token) == "withdrawn"
    assert _closed(inbox.answer_referral, link, token, {"action": "accept"}) == "withdrawn"
    assert sharing.get_referral(guide_desk, sent["id"])["status"] == "sent"


def test_the_checkin_opens_on_the_day_answers_once_and_feeds_the_follow_up_list(guide_desk):
    cid, _, _ = _course(guide_desk)
    step_id, link_path = plan.add_step(guide_desk, cid, {
        "offer_id": "aarhus-gaagruppe", "what": "Gå med én gang", "when": "2026-12-08",
        "follow_up": "2026-12-10"})
    token = link_path.removeprefix("/c/")
    link = guide_desk.with_actor(CHECKIN_LINK)
    assert _closed(checkin.open_checkin, link, token) == "not_yet"
    on_the_day = replace(link, clock=lambda: NOW + timedelta(days=2))
    shown = checkin.open_checkin(on_the_day, token)
    assert shown == {"offer_id": "test:aarhus-gaagruppe", "when": "2026-12-08"}
    with pytest.raises(Invalid) as refused:
        checkin.answer_checkin(on_the_day, token, {"happened": "ja"})
    assert refused.value.field == "happened"
    answer = checkin.answer_checkin(on_the_day, token, {"happened": True, "feeling": "good",
                                                        "again": "yes"})
    assert answer == {"happened": True, "feeling": "good", "again": "yes", "by": "citizen"}
    assert _closed(checkin.open_checkin, on_the_day, token) == "used"
    due = plan.followups(guide_desk, (NOW + timedelta(days=10)).date())
    [step] = [s for s in due["steps"] if s["id"] == step_id]
    assert step["checkin"]["feeling"] == "good" and step["checkin"]["by"] == "citizen"
    with pytest.raises(Conflict):
        checkin.guide_checkin(guide_desk, step_id, {"happened": False})
    with guide_desk.sessions() as session:
        assert set(session.scalars(select(AuditEntry.who).where(
            AuditEntry.action.like("checkin%")))) == {"checkin-link"}


def test_the_guide_answers_the_checkin_and_an_ended_course_closes_the_link(guide_desk):
    from casework import citizens

    cid, _, _ = _course(guide_desk)
    step_id, link_path = plan.add_step(guide_desk, cid, {"what": "Ringe til koret"})
    answer = checkin.guide_checkin(guide_desk, step_id, {"happened": False, "feeling": "good"})
    assert answer == {"happened": False, "feeling": None, "again": None, "by": "guide"}
    cid2, _, _ = _course(guide_desk)
    _, link_path = plan.add_step(guide_desk, cid2, {"what": "Ringe til koret"})
    citizens.end_course(guide_desk, cid2)
    assert _closed(checkin.open_checkin, guide_desk.with_actor(CHECKIN_LINK),
                   link_path.removeprefix("/c/")) == "withdrawn"


def test_outcomes_and_hard_to_reach_count_on_each_database(guide_desk):
    from casework.outcomes import hard_to_reach, outcomes

    link = guide_desk.with_actor(PROVIDER_LINK)
    for answer in ("decline", "decline", "decline", "accept", "decline"):
        _, _, token = _referral(guide_desk)
        inbox.answer_referral(link, token, {"action": answer, "reason": "full"})
    shown = outcomes(guide_desk.sessions)
    [walk] = shown["by_offer"]
    assert walk["citizens"] == 5 and walk["referrals"]["declined"] == 4
    assert walk["referrals"]["conversion"] == 0.2
    assert outcomes(guide_desk.sessions, min_group=6)["by_offer"] == []
    [flagged] = hard_to_reach(guide_desk.sessions)
    assert (flagged["offer_id"], flagged["tries"], flagged["failed"]) == \
        ("test:aarhus-gaagruppe", 5, 4)
