"""Outcomes as pseudonymised training rows for the ranker: the offer's traits, the themes the
matcher reads in the conversation (codes), and the result. No name, no id of a person, no free
text; a citizen is a keyed hash that is new with every export (salt), so rows from two exports
cannot be joined."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from catalogue.models import Offer
from casework.citizens import conversation_dict, profile
from casework.desk import Desk, audit
from casework.models import Citizen
from casework.suggest import matcher_query
from matcher.affinity import text_form
from matcher.lexicon import lexicon_surface_forms
from matcher.understand import SpellingRepair, understand

REACHED = {"accepted": True, "started": True, "ended": True, "declined": False}
STEP_REACHED = {"done": True, "partly": True, "not_done": False}


def offer_traits(offer: Offer | None) -> dict:
    if offer is None:
        return {"kind": None}
    return {"kind": offer.kind, "target_groups": sorted(offer.target_groups or []),
            "low_threshold": sorted(offer.low_threshold or []), "roles": sorted(offer.roles or []),
            "categories": sorted(offer.categories or []),
            "requires_referral": bool(offer.eligibility and offer.eligibility.requires_referral),
            "capacity": offer.capacity, "free": (offer.cost or "").strip().lower() in ("", "gratis")}


def themes(desk: Desk, citizen: Citizen, repair: SpellingRepair) -> dict:
    """Codes only: the form of the text (story or search), needs and interests the matcher
    reads, and the barrier codes."""
    talk = conversation_dict(desk, citizen)
    text, _ = matcher_query(talk, profile(desk, citizen))
    read = understand(text, repair, citizen.age) if text else None
    return {"form": text_form(text) if text else "story",
            "needs": sorted(read.needs) if read else [],
            "interests": sorted(read.interests) if read else [],
            "barriers": sorted(talk["barriers"])}


def step_reached(step) -> bool | None:
    if step.result in STEP_REACHED:
        return STEP_REACHED[step.result]
    return step.checkin_happened


def training_rows(desk: Desk, salt: bytes | None = None) -> list[dict]:
    """One row per referral the provider answered and per step with an outcome or a check-in
    (each read of a citizen audited as ``training_export``)."""
    salt = salt or secrets.token_bytes(32)
    repair = SpellingRepair(lexicon_surface_forms())
    rows = []
    with desk.sessions.begin() as session:
        offers = {f"{o.source}:{o.external_id}": o for o in session.scalars(select(Offer))}
        for citizen in session.scalars(select(Citizen).order_by(Citizen.created_at)):
            outcomes = [("referral", r.offer_ref, r.status, REACHED.get(r.status))
                        for r in citizen.referrals] + \
                       [("step", s.offer_ref, s.result or ("checkin" if s.checkin_at else None),
                         step_reached(s)) for s in citizen.steps if s.offer_ref]
            outcomes = [o for o in outcomes if o[3] is not None]
            if not outcomes:
                continue
            who = hmac.new(salt, citizen.id.encode(), hashlib.sha256).hexdigest()[:16]
            read = themes(desk, citizen, repair)
            audit(session, desk, citizen.id, "training_export", why="training")
            rows += [{"example": who, "source": source, "offer_id": ref,
                      "offer": offer_traits(offers.get(ref)), "themes": read, "result": result,
                      "reached": reached} for source, ref, result, reached in outcomes]
    return rows
