"""The citizen's plan ("Én plan"): prøvehandlinger with a companion from the network map and a
follow-up date, their outcomes, and the team's follow-up list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from casework.desk import Desk, audit, iso, own_citizen, team_id
from casework.errors import Conflict, Invalid, not_found
from casework.links import checkin_link, new_token
from casework.models import Citizen, PlanStep, Referral
from casework.offers import canonical_offer
from casework.rules import outcome_input, step_input
from casework.sharing import OPEN_STATUSES, consent_dict, referral_dict
from casework.vocab import fsiii
from catalogue.db import write_if


def step_dict(desk: Desk, step: PlanStep) -> dict:
    text = desk.vault.open
    return {"id": step.id, "citizen_id": step.citizen_id, "offer_id": step.offer_ref,
            "what": text(step.what_sealed), "where": text(step.where_sealed), "when": step.when,
            "companion": step.companion_id,
            "follow_up": step.follow_up.isoformat() if step.follow_up else None,
            "outcome": None if step.result is None else {
                "result": step.result, "progress": step.progress, "next": step.next,
                "fsiii": fsiii(step.next),
                "learned": text(step.learned_sealed), "at": iso(step.outcome_at)},
            "checkin": None if step.checkin_at is None else {
                "happened": step.checkin_happened, "feeling": step.checkin_feeling,
                "again": step.checkin_again, "by": step.checkin_by, "at": iso(step.checkin_at)}}


def _link_expiry(desk: Desk, follow_up: date | None) -> datetime:
    start = datetime.combine(follow_up, time(), timezone.utc) if follow_up else desk.now()
    return max(start, desk.now()) + timedelta(days=desk.link_days)


def add_step(desk: Desk, citizen_id: str, data: dict) -> tuple[str, str]:
    """A prøvehandling in the plan: (its id, the citizen's check-in link)."""
    given = step_input(data)
    offer = canonical_offer(desk.sessions, given.offer_id) if given.offer_id else None
    token, hashed = new_token()
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        if given.companion and given.companion not in {p.id for p in citizen.network}:
            raise Invalid("Den, der går med, skal stå på borgerens netværkskort (id fra "
                          "samtalens »network«)", "The companion must be on the citizen's "
                          "network map (an id from the conversation's 'network')", "companion")
        step = PlanStep(citizen_id=citizen.id, offer_ref=offer, what_sealed=desk.vault.seal(given.what),
                        where_sealed=desk.vault.seal(given.where), when=given.when,
                        companion_id=given.companion, follow_up=given.follow_up,
                        checkin_hash=hashed, checkin_expires_at=_link_expiry(desk, given.follow_up),
                        created_at=desk.now())
        session.add(step)
        session.flush()
        audit(session, desk, citizen.id, "add_step", details={"step": step.id})
        return step.id, checkin_link(token)


def own_step(session, desk: Desk, step_id: str) -> PlanStep:
    step = session.get(PlanStep, step_id) if isinstance(step_id, str) else None
    if step is None:
        raise not_found("Prøvehandlingen", "The step")
    own_citizen(session, desk, step.citizen_id)
    return step


def record_outcome(desk: Desk, step_id: str, data: dict) -> dict:
    """How the step went (done/partly/not_done), the citizen's 1-10 score, what next, what was
    learned; a recorded outcome is final (409 on a second one)."""
    given = outcome_input(data)
    already = Conflict("Prøvehandlingen er allerede fulgt op", "The step already has an outcome",
                       "result")
    with desk.sessions.begin() as session:
        step = own_step(session, desk, step_id)
        # Only a step still without an outcome is written: of two guides answering at once,
        # the second finds the row taken and is told, instead of overwriting.
        if step.result is not None or not write_if(
                session, step, PlanStep.result.is_(None), result=given.result,
                progress=given.progress, next=given.next,
                learned_sealed=desk.vault.seal(given.learned), outcome_at=desk.now()):
            raise already
        audit(session, desk, step.citizen_id, "record_outcome", details={"step": step.id})
        return step_dict(desk, step)


def plan(desk: Desk, citizen_id: str, action: str = "read_plan") -> dict:
    """The plan; ``action`` names the read in the audit log (``download_plan`` for the PDF)."""
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, action)
        return {"citizen_id": citizen.id, "name": desk.vault.open(citizen.name_sealed),
                "steps": [step_dict(desk, s) for s in citizen.steps],
                "referrals": [referral_dict(desk, r) for r in citizen.referrals],
                "consents": [consent_dict(desk, c) for c in citizen.consents if c.kind == "share"]}


def followups(desk: Desk, due_before: date) -> dict:
    """The team's steps without an outcome and open referrals whose follow-up date is on or
    before ``due_before``."""
    with desk.sessions.begin() as session:
        team = team_id(session, desk.actor)
        steps = session.scalars(
            select(PlanStep).join(Citizen).where(Citizen.team_id == team, PlanStep.result.is_(None),
                                                 PlanStep.follow_up <= due_before)
            .order_by(PlanStep.follow_up)).all()
        referrals = session.scalars(
            select(Referral).join(Citizen).where(Citizen.team_id == team,
                                                 Referral.status.in_(OPEN_STATUSES),
                                                 Referral.follow_up <= due_before)
            .order_by(Referral.follow_up)).all()
        for citizen_id in dict.fromkeys([s.citizen_id for s in steps] +
                                        [r.citizen_id for r in referrals]):
            audit(session, desk, citizen_id, "read_followups", why="follow_up")
        return {"due_before": due_before.isoformat(),
                "steps": [step_dict(desk, s) for s in steps],
                "referrals": [referral_dict(desk, r) for r in referrals]}
