"""Shape ranked offers as suggestions: prøvehandlinger first, then network, then services.

A prøvehandling is a small concrete step drafted from an offer: what, where, when (the next
session), who could come along, and a follow-up date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from catalogue.records import OfferRecord
from catalogue.schedule import Window, next_session, overlaps
from catalogue.vocab import label
from matcher.eligibility import Verdict, can_start_now

GROUPS = ("proevehandlinger", "network", "services", "needs_visitation")
GROUP_LABELS = {
    "proevehandlinger": ("Prøvehandlinger: et lille skridt du kan tage nu", "Trial steps you can take now"),
    "network": ("Fællesskaber og netværk i civilsamfundet", "Communities and civil society"),
    "services": ("Kommunale tilbud, job og praktik", "Municipal offers, jobs and work training"),
    "needs_visitation": ("Kræver visitation fra kommunen", "Needs a municipal assessment decision"),
}
TRIAL_STEPS = 3
FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class TrialStep:
    """A drafted prøvehandling; the guide and the citizen adjust it together."""

    what: str
    where: str
    when: str
    who_joins: str
    follow_up: str
    next_session: datetime | None


@dataclass(frozen=True)
class Suggestion:
    """One suggested offer with its score, group and the reasons it was chosen."""

    offer: OfferRecord
    rank: int
    score: float
    group: str
    matched: list[str]
    rules: list[Verdict]
    trial_step: TrialStep | None = None


@dataclass(frozen=True)
class NamedOffer:
    """An offer the citizen asked for by name but cannot use, and why (the rules that failed)."""

    offer: OfferRecord
    reasons: list[Verdict]


@dataclass
class Suggestions:
    """The matcher's answer: a ranked list and the same items grouped for people."""

    items: list[Suggestion]
    understood_needs: list[str] = field(default_factory=list)
    understood_interests: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    named_unavailable: list[NamedOffer] = field(default_factory=list)

    def group(self, name: str) -> list[Suggestion]:
        return [s for s in self.items if s.group == name]

    @property
    def ranked_ids(self) -> list[str]:
        return [s.offer.id for s in self.items]


def companion_text(offer: OfferRecord) -> str:
    if "ledsager" in offer.low_threshold:
        return "Tag en ven, en pårørende eller din kontaktperson med; det er velkomment her."
    if "modtagelse" in offer.low_threshold:
        return "Der står en og tager imod dig; du kan også tage en, du kender, med."
    return "Overvej at tage en, du er tryg ved, med første gang."


def draft_trial_step(offer: OfferRecord, windows: tuple[Window, ...], now: datetime,
                     busy: tuple[Window, ...] = (), wished_roles: frozenset[str] = frozenset()
                     ) -> TrialStep:
    """A first concrete step for this offer at a time the citizen is free, with a follow-up
    two weeks after it."""
    free = tuple(w for w in windows if not any(overlaps(w, b) for b in busy))
    session = next_session(free or windows, now)
    roles = set(offer.roles) & set(wished_roles)
    if "job" in roles or ("job" in offer.roles and offer.kind == "social_economy"):
        what = f"Aftal en prøvedag eller en snak om praktik: {offer.name}"
    elif "frivillig" in roles:
        what = f"Mød op og hør om at være med som frivillig: {offer.name}"
    elif "proevegang" in offer.low_threshold:
        what = f"Prøv én gang: {offer.name}"
    else:
        what = f"Deltag første gang: {offer.name}"
    if session is not None:
        when = f"{session:%d.%m.%Y} kl. {session:%H.%M}"
        follow_up = session.date() + timedelta(days=FOLLOW_UP_DAYS)
    else:
        when = offer.schedule or "Efter aftale"
        follow_up = now.date() + timedelta(days=FOLLOW_UP_DAYS)
    where = offer.address
    if offer.postcode and offer.postcode not in where:
        where = ", ".join(p for p in (where, offer.postcode) if p)
    where = where or "Online eller telefon"
    return TrialStep(what, where, when, companion_text(offer),
                     f"Opfølgning {follow_up:%d.%m.%Y}: hvordan gik det, og hvad er næste skridt?",
                     session)


def group_of(offer: OfferRecord, referral: Verdict, trial_steps_so_far: int) -> str:
    """A first step only where the citizen can go the first time now (not full, no waiting
    list); the rest are network or services."""
    if not referral.passed:
        return "needs_visitation"
    if trial_steps_so_far < TRIAL_STEPS and can_start_now(offer):
        return "proevehandlinger"
    return "network" if offer.kind == "association" else "services"


def describe_match(needs: set[str], interests: dict[str, str], offer_needs: set[str],
                   offer_interests: set[str], terms: list[str]) -> list[str]:
    """Human reasons: which needs, interests and words connect the text to the offer."""
    reasons = []
    shared_needs = sorted(needs & offer_needs)
    if shared_needs:
        reasons.append("Målgruppe: " + ", ".join(label("target_groups", n) for n in shared_needs))
    shared_interests = sorted(set(interests) & offer_interests)
    if shared_interests:
        reasons.append("Interesse: " + ", ".join(interests[i] for i in shared_interests))
    if terms:
        reasons.append("Fælles ord: " + ", ".join(terms[:6]))
    return reasons
