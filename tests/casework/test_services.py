"""The casework functions on SQLite and PostgreSQL: consent first, own team only, every read and
write audited, consent withdrawal, referrals, follow-ups, export, erasure and purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from casework import citizens, plan, rights, sharing
from casework.desk import audit_refusal
from casework.errors import Conflict, Invalid, NotFound, NotYours
from casework.models import (AuditEntry, Citizen, Consent, Conversation, NetworkEntry, PlanStep,
                             Referral)
from casework.rotation import SEALED_MODELS, sealed_columns
from tests.casework.conftest import MARKER, OTHER_TEAM, new_citizen

CONVERSATION = {"dreams": MARKER, "goals": "Komme ud blandt andre en gang om ugen",
                "barriers": ["angst", "transport"], "barrier_words": "Bussen er svær",
                "notes": "Mødte op til tiden", "network": [
                    {"name": "Søsteren Lise", "relation": "søster", "ring": "family",
                     "closeness": 1},
                    {"name": "Nabo Ole", "relation": "nabo", "closeness": 3}]}


def _audit_actions(desk, citizen_id):
    with desk.sessions() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.citizen_id == citizen_id).order_by(AuditEntry.id)))


def _course(desk):
    """A citizen with a conversation, a share consent for the walking group and a step."""
    cid = citizens.create_citizen(desk, new_citizen())
    talk = citizens.save_conversation(desk, cid, CONVERSATION)
    consent = sharing.give_consent(desk, cid, {"scope": {"offer_id": "aarhus-gaagruppe"},
                                               "shares": ["name", "dreams"],
                                               "given_at": "2026-12-05"})
    return cid, talk, consent


def test_no_record_without_consent(guide_desk):
    for body in (new_citizen(consent=None), new_citizen(consent={})):
        with pytest.raises(Invalid) as refused:
            citizens.create_citizen(guide_desk, body)
        assert refused.value.field == "consent"
    with pytest.raises(Invalid) as refused:
        citizens.create_citizen(guide_desk, new_citizen(consent={"purpose": "x",
                                                                 "given_at": "2027-01-01"}))
    assert refused.value.field == "given_at"
    with guide_desk.sessions() as session:
        assert session.scalar(select(func.count(Citizen.id))) == 0


def test_conversation_round_trip_and_every_read_and_write_is_audited(guide_desk):
    cid, talk, _ = _course(guide_desk)
    assert talk["dreams"] == MARKER and talk["barriers"] == ["angst", "transport"]
    assert [p["ring"] for p in talk["network"]] == ["family", None]
    assert citizens.get_conversation(guide_desk, cid)["network"][0]["name"] == "Søsteren Lise"
    citizens.get_citizen(guide_desk, cid)
    assert _audit_actions(guide_desk, cid) == ["create", "update_conversation", "give_consent",
                                               "read_conversation", "read"]


def test_a_person_kept_by_id_keeps_it(guide_desk):
    cid, talk, _ = _course(guide_desk)
    lise = talk["network"][0]
    again = citizens.save_conversation(guide_desk, cid, {**CONVERSATION, "network": [
        {**lise, "name": "Lise"}]})
    assert again["network"] == [{**lise, "name": "Lise"}]


def test_another_team_is_refused_and_unknown_is_not_found(guide_desk):
    cid, _, consent = _course(guide_desk)
    other = guide_desk.with_actor(OTHER_TEAM)
    for call in (lambda: citizens.get_citizen(other, cid),
                 lambda: citizens.get_conversation(other, cid),
                 lambda: plan.plan(other, cid), lambda: rights.export_citizen(other, cid),
                 lambda: rights.erase_citizen(other, cid),
                 lambda: sharing.withdraw_consent(other, consent)):
        with pytest.raises(NotYours):
            call()
    assert citizens.list_citizens(other) == []
    with pytest.raises(NotYours) as refused:
        citizens.get_citizen(other, cid)
    audit_refusal(other, refused.value)
    with guide_desk.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.who, entry.citizen_id) == ("refused", OTHER_TEAM.email, cid)
    with pytest.raises(NotFound):
        citizens.get_citizen(guide_desk, "0" * 32)


def test_steps_outcomes_and_the_follow_up_list(guide_desk):
    cid, talk, _ = _course(guide_desk)
    sister = talk["network"][0]["id"]
    due = date(2026, 12, 10)
    step_id, link = plan.add_step(guide_desk, cid, {
        "offer_id": "aarhus-gaagruppe", "what": "Gå med i gågruppen én gang", "where": "Riis Skov",
        "when": "2026-12-08T10:00", "companion": sister, "follow_up": due.isoformat()})
    assert link.startswith("/c/") and len(link) > 40
    with pytest.raises(Invalid) as refused:
        plan.add_step(guide_desk, cid, {"what": "x", "companion": "someone-else"})
    assert refused.value.field == "companion"
    step = plan.plan(guide_desk, cid)["steps"][0]
    assert step["offer_id"] == "test:aarhus-gaagruppe" and step["companion"] == sister
    assert plan.followups(guide_desk, due - timedelta(days=1))["steps"] == []
    assert [s["id"] for s in plan.followups(guide_desk, due)["steps"]] == [step_id]
    assert plan.followups(guide_desk.with_actor(OTHER_TEAM), due)["steps"] == []
    done = plan.record_outcome(guide_desk, step_id, {"result": "partly", "progress": 6,
                                                     "next": "adjust", "learned": "Kortere tur"})
    assert done["outcome"]["learned"] == "Kortere tur" and done["outcome"]["fsiii"] == "E2"
    with pytest.raises(Conflict):
        plan.record_outcome(guide_desk, step_id, {"result": "done", "next": "stop"})
    with pytest.raises(Invalid) as refused:
        plan.record_outcome(guide_desk, step_id, {"result": "done", "progress": 11, "next": "stop"})
    assert refused.value.field == "progress"
    assert plan.followups(guide_desk, due)["steps"] == []


def test_referral_needs_a_valid_consent_for_that_offer(guide_desk):
    cid, _, consent = _course(guide_desk)
    body = {"citizen_id": cid, "offer_id": "aarhus-gaagruppe", "consent_id": consent,
            "message": "Mette vil gerne prøve en tur"}
    for wrong in ({"offer_id": "aalborg-strikkeklub"}, {"consent_id": "nope"}):
        with pytest.raises(Invalid) as refused:
            sharing.refer(guide_desk, {**body, **wrong})
        assert refused.value.field == "consent_id"
    with pytest.raises(Invalid) as refused:
        sharing.refer(guide_desk, {**body, "offer_id": "findes-ikke"})
    assert refused.value.field == "offer_id"
    sent = sharing.refer(guide_desk, body)
    assert sent["status"] == "sent" and sent["provider_link"].startswith("/p/")
    token = sent["provider_link"].removeprefix("/p/")
    with guide_desk.sessions() as session:
        stored = session.get(Referral, sent["id"])
        assert token not in (stored.token_hash, stored.message_sealed) and len(token) >= 43
    shown = sharing.provider_view(guide_desk, token)
    assert shown["citizen"] == {"name": "Mette", "dreams": MARKER}
    assert sharing.set_referral_status(guide_desk, sent["id"], {"status": "accepted"})["status"] \
        == "accepted"
    assert sharing.get_referral(guide_desk, sent["id"])["status"] == "accepted"


def test_withdrawal_stops_sharing_at_once(guide_desk):
    cid, _, consent = _course(guide_desk)
    sent = sharing.refer(guide_desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                      "consent_id": consent})
    token = sent["provider_link"].removeprefix("/p/")
    assert sharing.provider_view(guide_desk, token) is not None
    assert sharing.withdraw_consent(guide_desk, consent)["withdrawn_at"]
    assert sharing.provider_view(guide_desk, token) is None
    with pytest.raises(Invalid):
        sharing.refer(guide_desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                   "consent_id": consent})
    with guide_desk.sessions() as session:
        record = session.scalar(select(Consent.id).where(Consent.kind == "record"))
    with pytest.raises(Conflict):
        sharing.withdraw_consent(guide_desk, record)


def test_export_holds_everything_in_clear_text(guide_desk):
    cid, _, _ = _course(guide_desk)
    plan.add_step(guide_desk, cid, {"what": "Ringe til Lise"})
    export = rights.export_citizen(guide_desk, cid)
    assert export["citizen"]["name"] == "Mette"
    assert export["conversation"]["dreams"] == MARKER
    assert [c["kind"] for c in export["consents"]] == ["record", "share"]
    assert export["consents"][0]["purpose"] == "Forløb i Din Indgang"
    assert export["steps"][0]["what"] == "Ringe til Lise"
    assert export["audit"][-1]["action"] == "export"


def _everything_sealed(desk) -> list[str]:
    """Every sealed value in the database, opened."""
    found = []
    with desk.sessions() as session:
        for model in SEALED_MODELS:
            for column in sealed_columns(model):
                for value in session.scalars(select(getattr(model, column))):
                    if value is not None:
                        found.append(desk.vault.open(value))
    return found


def _rows_of(desk, cid) -> int:
    with desk.sessions() as session:
        return sum(session.scalar(select(func.count()).select_from(model).where(
            model.citizen_id == cid)) for model in (Consent, Conversation, NetworkEntry, PlanStep,
                                                     Referral, AuditEntry)) + \
            session.scalar(select(func.count(Citizen.id)).where(Citizen.id == cid))


def test_erasure_leaves_nothing(guide_desk):
    cid, talk, consent = _course(guide_desk)
    step_id, _ = plan.add_step(guide_desk, cid, {"what": MARKER, "companion": talk["network"][0]["id"]})
    plan.record_outcome(guide_desk, step_id, {"result": "done", "next": "continue",
                                              "learned": MARKER})
    sharing.refer(guide_desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                               "consent_id": consent, "message": MARKER})
    kept = citizens.create_citizen(guide_desk, new_citizen(name="Anden"))
    assert _rows_of(guide_desk, cid) > 8
    assert any(MARKER in text for text in _everything_sealed(guide_desk))
    rights.erase_citizen(guide_desk, cid)
    assert _rows_of(guide_desk, cid) == 0
    assert not any(MARKER in text or "Mette" in text or cid in text
                   for text in _everything_sealed(guide_desk))
    assert citizens.get_citizen(guide_desk, kept)["name"] == "Anden"
    with guide_desk.sessions() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "erase")) == 1


def test_purge_erases_only_courses_ended_longer_ago_than_retention(guide_desk):
    old = citizens.create_citizen(guide_desk, new_citizen(name="Gammel"))
    recent = citizens.create_citizen(guide_desk, new_citizen(name="Ny"))
    running = citizens.create_citizen(guide_desk, new_citizen(name="I gang"))
    citizens.end_course(guide_desk, old)
    later = guide_desk.now() + timedelta(days=guide_desk.retention_days - 10)

    def at(moment):
        return replace(guide_desk, clock=lambda: moment)

    citizens.end_course(at(later), recent)
    assert rights.purge(at(later)) == 0
    assert rights.purge(at(later + timedelta(days=11))) == 1
    assert sorted(c["name"] for c in citizens.list_citizens(guide_desk)) == ["I gang", "Ny"]
    assert _rows_of(guide_desk, old) == 0 and running


def test_the_audit_log_reads_back_with_details_and_is_itself_audited(guide_desk):
    cid, _, _ = _course(guide_desk)
    entries = rights.audit_log(guide_desk, cid)
    assert [e["action"] for e in entries] == ["give_consent", "update_conversation", "create"]
    assert entries[1]["details"] == {"fields": ["barrier_words", "barriers", "dreams", "goals",
                                                "network", "notes"]}
    assert entries[0]["who"] == "vejleder@aarhus.dk" and entries[0]["team"] == "Aarhus"
    assert rights.audit_log(guide_desk)[0]["action"] == "read_audit"


def test_the_database_itself_keeps_the_audit_log_append_only(guide_desk):
    cid, _, _ = _course(guide_desk)
    refusals = ("DELETE FROM audit_entry", "UPDATE audit_entry SET action = 'read'",
                "UPDATE audit_entry SET who = 'someone@else.dk'",
                f"UPDATE audit_entry SET citizen_id = '{'1' * 32}'")
    for statement in refusals:
        with pytest.raises(DBAPIError), guide_desk.sessions.begin() as session:
            session.execute(text(statement))
    with guide_desk.sessions() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == 3
    rights.erase_citizen(guide_desk, cid)          # erasure may blank the id and the details
    assert _rows_of(guide_desk, cid) == 0
