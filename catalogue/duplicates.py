"""Coordinators' decisions on offers that look alike: remembered, so a pair judged once is not
listed again. Finding alike offers is ``ingest.duplicates``; this module only keeps the word."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import DuplicateDecision

DECISIONS = ("distinct", "merged")


def pair_key(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def decided_pairs(session: Session) -> set[tuple[int, int]]:
    """Offer-id pairs (smaller first) a coordinator has already decided on."""
    rows = session.execute(select(DuplicateDecision.first_offer_id, DuplicateDecision.second_offer_id))
    return {tuple(row) for row in rows}


def record_decision(session: Session, first: int, second: int, decision: str, who: str) -> None:
    """Remember ``decision`` on the pair (a later word on the same pair replaces it)."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    low, high = pair_key(first, second)
    found = session.scalar(select(DuplicateDecision).where(
        DuplicateDecision.first_offer_id == low, DuplicateDecision.second_offer_id == high))
    found = found or DuplicateDecision(first_offer_id=low, second_offer_id=high)
    found.decision, found.decided_by = decision, who
    session.add(found)
