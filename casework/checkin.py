"""The citizen's one-tap check-in after a prøvehandling (by token link, no account), and the
same answer given by the guide: did it happen, how was it, would you go again. The answer sits on
the step, so the follow-up list shows it at once."""

from __future__ import annotations

from datetime import date, datetime

from casework.desk import Desk, audit
from casework.errors import Conflict
from casework.links import LinkClosed
from casework.models import Citizen, PlanStep
from casework.plan import own_step
from casework.rules import CheckinAnswer, checkin_input
from catalogue.db import aware, write_if
from catalogue.tokens import link_state, row_for


def opens_on(step: PlanStep) -> date | None:
    """The day the check-in opens: the step's day, else its follow-up day (None: at once)."""
    if step.when:
        try:
            return datetime.fromisoformat(step.when).date()
        except ValueError:
            return None
    return step.follow_up


def _step(session, desk: Desk, token: str) -> PlanStep:
    step = row_for(session, PlanStep.checkin_hash, token, closed=LinkClosed)
    citizen = session.get(Citizen, step.citizen_id)
    state = link_state(aware(step.checkin_expires_at), desk.now(),
                       withdrawn=citizen.ended_at is not None, used=step.checkin_at is not None)
    if state != "open":
        raise LinkClosed(state)
    first_day = opens_on(step)
    if first_day is not None and desk.now().date() < first_day:
        raise LinkClosed("not_yet")
    return step


def open_checkin(desk: Desk, token: str) -> dict:
    """What the check-in page shows: the offer (from the catalogue) and the day, nothing the
    citizen or the guide wrote."""
    with desk.sessions.begin() as session:
        step = _step(session, desk, token)
        audit(session, desk, step.citizen_id, "checkin_view", why="follow_up",
              details={"step": step.id})
        return {"offer_id": step.offer_ref, "when": step.when}


def _record(session, desk: Desk, step: PlanStep, given: CheckinAnswer, by: str,
            taken: Exception) -> dict:
    """Write the answer (and its audit entry) only while the check-in is unanswered; raise
    ``taken``, writing nothing, when another answer (the link's or the guide's) got there
    first, even one given at the same moment."""
    feeling = given.feeling if given.happened else None
    if not write_if(session, step, PlanStep.checkin_at.is_(None), checkin_happened=given.happened,
                    checkin_feeling=feeling, checkin_again=given.again, checkin_by=by,
                    checkin_at=desk.now()):
        raise taken
    audit(session, desk, step.citizen_id, "checkin", why="follow_up", details={"step": step.id})
    return {"happened": given.happened, "feeling": feeling, "again": given.again, "by": by}


def answer_checkin(desk: Desk, token: str, data: dict) -> dict:
    """The citizen's answer (once); the link is used afterwards."""
    given = checkin_input(data)
    with desk.sessions.begin() as session:
        return _record(session, desk, _step(session, desk, token), given, "citizen",
                       LinkClosed("used"))


def guide_checkin(desk: Desk, step_id: str, data: dict) -> dict:
    """The guide answers the check-in with or for the citizen (own team; once, like the link)."""
    given = checkin_input(data)
    already = Conflict("Der er allerede svaret på opfølgningen", "The check-in has already been "
                       "answered", "happened")
    with desk.sessions.begin() as session:
        step = own_step(session, desk, step_id)
        if step.checkin_at is not None:
            raise already
        return _record(session, desk, step, given, "guide", already)
