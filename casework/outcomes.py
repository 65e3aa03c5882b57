"""What works for whom, in counts only: referrals and prøvehandlinger by offer and by the offer's
kind. A group of fewer than ``MIN_GROUP`` citizens is withheld, so no one can be picked out."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import Offer
from casework.models import PlanStep, Referral
from casework.vocab import codes

MIN_GROUP = 5
REACHED = ("accepted", "started", "ended")      # the provider took the citizen in


@dataclass
class Tally:
    citizens: set[str] = field(default_factory=set)
    referrals: Counter = field(default_factory=Counter)
    declined_because: Counter = field(default_factory=Counter)
    steps: Counter = field(default_factory=Counter)
    checkins: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        total = sum(self.referrals.values())
        reached = sum(self.referrals[s] for s in REACHED)
        return {"citizens": len(self.citizens),
                "referrals": {"total": total,
                              **{s: self.referrals[s] for s in codes("referral_statuses")},
                              "conversion": round(reached / total, 3) if total else None,
                              "declined_because": {r: self.declined_because[r]
                                                   for r in codes("decline_reasons")}},
                "steps": {"total": sum(self.steps.values()),
                          **{r: self.steps[r] for r in (*codes("results"), "open")}},
                "checkins": {"happened": self.checkins["happened"],
                             "did_not_happen": self.checkins["did_not_happen"],
                             **{f: self.checkins[f] for f in codes("feelings")}}}


def _offers(session: Session) -> dict[str, tuple[str, str]]:
    rows = session.execute(select(Offer.source, Offer.external_id, Offer.name, Offer.kind))
    return {f"{source}:{external}": (name, kind) for source, external, name, kind in rows}


def outcomes(sessions: sessionmaker[Session], min_group: int = MIN_GROUP) -> dict:
    """``{"min_group", "by_offer": [...], "by_kind": [...], "withheld": {"offers", "kinds"}}``."""
    by_offer: dict[str, Tally] = defaultdict(Tally)
    with sessions() as session:
        offers = _offers(session)
        for ref, citizen, status, reason in session.execute(select(
                Referral.offer_ref, Referral.citizen_id, Referral.status, Referral.decline_reason)):
            tally = by_offer[ref]
            tally.citizens.add(citizen)
            tally.referrals[status] += 1
            if reason:
                tally.declined_because[reason] += 1
        for ref, citizen, result, happened, feeling in session.execute(select(
                PlanStep.offer_ref, PlanStep.citizen_id, PlanStep.result, PlanStep.checkin_happened,
                PlanStep.checkin_feeling).where(PlanStep.offer_ref.is_not(None))):
            tally = by_offer[ref]
            tally.citizens.add(citizen)
            tally.steps[result or "open"] += 1
            if happened is not None:
                tally.checkins["happened" if happened else "did_not_happen"] += 1
            if feeling:
                tally.checkins[feeling] += 1
    by_kind: dict[str, Tally] = defaultdict(Tally)
    for ref, tally in by_offer.items():
        merged = by_kind[offers.get(ref, (ref, "unknown"))[1]]
        merged.citizens |= tally.citizens
        for name in ("referrals", "declined_because", "steps", "checkins"):
            getattr(merged, name).update(getattr(tally, name))
    shown_offers = [{"offer_id": ref, "name": offers.get(ref, (ref, None))[0],
                     "kind": offers.get(ref, (ref, "unknown"))[1], **tally.as_dict()}
                    for ref, tally in sorted(by_offer.items()) if len(tally.citizens) >= min_group]
    shown_kinds = [{"kind": kind, **tally.as_dict()} for kind, tally in sorted(by_kind.items())
                   if len(tally.citizens) >= min_group]
    return {"min_group": min_group, "by_offer": shown_offers, "by_kind": shown_kinds,
            "withheld": {"offers": len(by_offer) - len(shown_offers),
                         "kinds": len(by_kind) - len(shown_kinds)}}


def hard_to_reach(sessions: sessionmaker[Session], min_group: int = MIN_GROUP,
                  share: float = 0.5) -> list[dict]:
    """Offers that at least ``share`` of the tries never reach (declined referrals, steps not
    done, check-ins saying it did not happen), among at least ``min_group`` citizens; worst first."""
    tries: dict[str, Counter] = defaultdict(Counter)
    people: dict[str, set[str]] = defaultdict(set)
    with sessions() as session:
        names = {ref: name for ref, (name, _) in _offers(session).items()}
        for ref, citizen, status in session.execute(select(
                Referral.offer_ref, Referral.citizen_id, Referral.status)
                .where(Referral.status.in_((*REACHED, "declined")))):
            people[ref].add(citizen)
            tries[ref]["failed" if status == "declined" else "reached"] += 1
        for ref, citizen, result, happened in session.execute(select(
                PlanStep.offer_ref, PlanStep.citizen_id, PlanStep.result, PlanStep.checkin_happened)
                .where(PlanStep.offer_ref.is_not(None))):
            failed = result == "not_done" if result else (None if happened is None else not happened)
            if failed is not None:
                people[ref].add(citizen)
                tries[ref]["failed" if failed else "reached"] += 1
    flagged = []
    for ref, count in tries.items():
        total = count["failed"] + count["reached"]
        if len(people[ref]) >= min_group and count["failed"] / total >= share:
            flagged.append({"offer_id": ref, "name": names.get(ref, ref), "tries": total,
                            "failed": count["failed"], "share": round(count["failed"] / total, 3)})
    return sorted(flagged, key=lambda f: (-f["share"], f["name"]))
