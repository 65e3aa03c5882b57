"""Shape ranked offers as suggestions: prøvehandlinger first, then network, then services.

A prøvehandling is a small concrete step drafted from an offer: what, where, when (the next
session), who could come along, and a follow-up date. Reasons and steps are codes with values;
``webui/reasons.py`` words them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from catalogue.places import open_to_all
from catalogue.records import OfferRecord
from catalogue.schedule import Window, next_session, overlaps
from matcher.barriers import FEARS, FREE, answering_bridges, threshold_ease
from matcher.citizen import Citizen
from matcher.eligibility import Verdict, can_start_now, is_free
from matcher.text import RAW_WORD, content_terms, fold

GROUPS = ("proevehandlinger", "network", "services", "needs_visitation")
TRIAL_STEPS = 3
FOLLOW_UP_DAYS = 14
SHOWN_WORDS = 6
# What a reason may say (the web layer words each one; ``webui/reasons.py``): the citizen's own
# words and themes, the offer's own facts. Learned associations are never a reason.
REASON_CODES = ("need", "interest", "shared_words", "like_named", "meaning_close",
                "age_fits", "municipality", "free", "language", "bridge", "role")
ROLES = ("deltager", "frivillig", "job")   # taking part, giving, working (the ``role`` reason)
STEP_ACTIONS = ("job_talk", "volunteer", "try_once", "first_time")
COMPANIONS = ("companion_welcome", "met_at_door", "bring_someone")


@dataclass(frozen=True)
class Reason:
    """One reason an offer was suggested: a code from ``REASON_CODES`` and its values (words
    as the citizen wrote them, vocabulary keys, theme codes, names), never a sentence."""

    code: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrialStep:
    """A drafted prøvehandling as codes and the offer's own facts; the guide and the citizen
    adjust it together, the web layer words it."""

    action: str                    # one of STEP_ACTIONS
    offer_name: str
    where: str                     # the offer's address as written; "" when online or by phone
    next_session: datetime | None
    schedule: str                  # the offer's own schedule text when no session was read
    companion: str                 # one of COMPANIONS
    follow_up: date
    order: int = 1                 # 1 for the step proposed first (``first_steps``)


@dataclass(frozen=True)
class Suggestion:
    """One suggested offer with its score, group and the reasons it was chosen."""

    offer: OfferRecord
    rank: int
    score: float
    group: str
    reasons: list[Reason]
    rules: list[Verdict]
    trial_step: TrialStep | None = None
    distance_km: float | None = None   # from the citizen's postcode or place, when both are known


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
    understood_barriers: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)   # as typed -> the real word
    named_unavailable: list[NamedOffer] = field(default_factory=list)

    def group(self, name: str) -> list[Suggestion]:
        """The suggestions of one group, prøvehandlinger in the order they are proposed."""
        items = [s for s in self.items if s.group == name]
        if name == "proevehandlinger":
            items.sort(key=lambda s: s.trial_step.order)
        return items

    @property
    def ranked_ids(self) -> list[str]:
        return [s.offer.id for s in self.items]


def companion_of(offer: OfferRecord) -> str:
    """Who could come along the first time (a code from ``COMPANIONS``)."""
    if "ledsager" in offer.low_threshold:
        return "companion_welcome"
    if "modtagelse" in offer.low_threshold:
        return "met_at_door"
    return "bring_someone"


def draft_trial_step(offer: OfferRecord, windows: tuple[Window, ...], now: datetime,
                     busy: tuple[Window, ...] = (), wished_roles: frozenset[str] = frozenset(),
                     order: int = 1) -> TrialStep:
    """A first concrete step for this offer at a time the citizen is free, with a follow-up
    two weeks after it."""
    free = tuple(w for w in windows if not any(overlaps(w, b) for b in busy))
    session = next_session(free or windows, now)
    roles = set(offer.roles) & set(wished_roles)
    if "job" in roles or ("job" in offer.roles and offer.kind == "social_economy"):
        action = "job_talk"
    elif "frivillig" in roles:
        action = "volunteer"
    elif "proevegang" in offer.low_threshold:
        action = "try_once"
    else:
        action = "first_time"
    follow_up = (session.date() if session is not None else now.date()) + timedelta(days=FOLLOW_UP_DAYS)
    where = offer.address
    if offer.postcode and offer.postcode not in where:
        where = ", ".join(p for p in (where, offer.postcode) if p)
    return TrialStep(action, offer.name, where, session, "" if session else offer.schedule,
                     companion_of(offer), follow_up, order)


def first_steps(offers: list[OfferRecord], usable: list[bool], barriers: tuple[str, ...] = ()
                ) -> list[int]:
    """Which of the ranked ``offers`` are drafted as prøvehandlinger, in the order proposed:
    the best ranked the citizen can use and go to now (not full, no waiting list). For a
    citizen afraid of going (``FEARS``) the lowest-threshold fit among them all comes first
    (``threshold_ease``), then the rest by rank."""
    open_now = [i for i, (offer, ok) in enumerate(zip(offers, usable)) if ok and can_start_now(offer)]
    if open_now and FEARS & set(barriers):
        easiest = max(open_now, key=lambda i: (threshold_ease(offers[i], barriers), -i))
        open_now = [easiest] + [i for i in open_now if i != easiest]
    return open_now[:TRIAL_STEPS]


def group_of(offer: OfferRecord, referral: Verdict, first_step: bool) -> str:
    """A prøvehandling when ``first_steps`` chose the offer; the rest are network or
    services, or need a visitation first."""
    if not referral.passed:
        return "needs_visitation"
    if first_step:
        return "proevehandlinger"
    return "network" if offer.kind == "association" else "services"


def role_of(offer: OfferRecord, wished_roles: frozenset[str]) -> str:
    """What the citizen would be there (one of ``ROLES``): working or giving when the offer has
    the role they wish for, or has no other; else taking part."""
    for role in ("job", "frivillig"):
        if role in offer.roles and role in wished_roles:
            return role
    if not offer.roles or "deltager" in offer.roles:
        return "deltager"
    return "job" if "job" in offer.roles else "frivillig"


def bridge_reasons(offer: OfferRecord, barriers: tuple[str, ...]) -> list[Reason]:
    """One reason per bridge of ``offer`` that answers the citizen's barriers."""
    return [Reason("bridge", (bridge,)) for bridge in answering_bridges(offer, barriers)]


def shown_words(text: str, corrections: dict[str, str], surface: dict[str, str]) -> dict[str, str]:
    """Stemmed term -> the word a person is shown for it: as the citizen typed it or, for a
    word the spelling repair changed, as the catalogue writes the word it was read as (never
    the folded or stemmed token the matcher compares)."""
    read_as = {part: repaired for key, repaired in corrections.items() for part in key.split(" ")}
    shown: dict[str, str] = {}
    for typed in RAW_WORD.findall(text):
        repaired = read_as.get(fold(typed)) if read_as else None
        word = surface.get(repaired) if repaired is not None else typed
        for term in _terms(word or ""):
            shown.setdefault(term, word)
    return shown


@lru_cache(maxsize=65_536)   # the same words in search after search
def _terms(word: str) -> tuple[str, ...]:
    return tuple(content_terms(word))


def typed_corrections(text: str, corrections: dict[str, str], surface: dict[str, str]
                      ) -> dict[str, str]:
    """The spelling repairs as a person reads them: the citizen's words as typed -> the real
    word as the catalogue writes it ("gaa tur" -> "gåtur", not the folded "gaatur")."""
    typed = RAW_WORD.findall(text)
    folded = [fold(w) for w in typed]
    shown: dict[str, str] = {}
    for key, repaired in corrections.items():
        parts = key.split(" ")
        written = surface.get(repaired)
        at = next((i for i in range(len(folded) - len(parts) + 1)
                   if folded[i:i + len(parts)] == parts), None)
        if written and at is not None:
            words = " ".join(typed[at:at + len(parts)])
            if words.casefold() != written.casefold():
                shown[words] = written
    return shown


def describe_match(needs: set[str], interests: set[str], offer_needs: set[str],
                   offer_interests: set[str], words: list[str]) -> list[Reason]:
    """Which needs, interest themes and words connect the citizen's text to the offer."""
    reasons = []
    if shared_needs := sorted(needs & offer_needs):
        reasons.append(Reason("need", tuple(shared_needs)))
    if shared_interests := sorted(interests & offer_interests):
        reasons.append(Reason("interest", tuple(shared_interests)))
    if words:
        reasons.append(Reason("shared_words", tuple(words[:SHOWN_WORDS])))
    return reasons


def offer_facts(offer: OfferRecord, citizen: Citizen, shared_languages: list[str]) -> list[Reason]:
    """The offer's own facts that fit what the citizen told: age, municipality, price, language."""
    facts = []
    if citizen.age is not None and (offer.min_age is not None or offer.max_age is not None):
        facts.append(Reason("age_fits", (str(citizen.age),)))
    if citizen.municipality and not open_to_all(offer.municipalities):
        facts.append(Reason("municipality", (citizen.municipality,)))
    if is_free(offer.cost) and FREE not in answering_bridges(offer, citizen.barriers):
        facts.append(Reason("free"))   # else the bridge says it
    if [code for code in shared_languages if code != "da"]:
        facts.append(Reason("language", tuple(shared_languages)))
    return facts
