"""Eligibility rules as pure functions: each returns a verdict with a reason a person can read.

Hard rules (age, municipality, status, valid_to) decide whether an offer may be shown at all.
Referral never hides an offer; it marks it. Soft rules (language, distance, schedule, cost,
accessibility, capacity) only change the score, and say why. Place rules (``place_tier``) say
which offers may come first: one that is full never, one only for an age group the citizen is
not known to belong to only after the open ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from catalogue.places import municipality_key, open_to_all
from catalogue.records import OfferRecord
from catalogue.schedule import Window, overlaps
from catalogue.vocab import fold_danish, label
from matcher.citizen import Citizen


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule for one offer and citizen."""

    rule: str
    passed: bool
    da: str
    en: str
    score: float = 0.0  # soft rules: added to the ranking score (negative = worse fit)


def municipality_variants(name: str) -> set[str]:
    """The keys a citizen's municipality may be written as in an offer, with and without the
    genitive s ("Københavns Kommune" / "København")."""
    key = municipality_key(name)
    return {key, key + "s"} | ({key[:-1]} if key.endswith("s") else set())


# --- hard rules -------------------------------------------------------------------------

def check_age(offer: OfferRecord, citizen: Citizen) -> Verdict:
    if citizen.age is None:
        return Verdict("age", True, "Alder ikke oplyst; tjek aldersgrænsen",
                       "Age not given; check the age limit")
    if offer.min_age is not None and citizen.age < offer.min_age:
        return Verdict("age", False, f"Kræver mindst {offer.min_age} år",
                       f"Requires age {offer.min_age} or over")
    if offer.max_age is not None and citizen.age > offer.max_age:
        return Verdict("age", False, f"Kun til og med {offer.max_age} år",
                       f"Only up to age {offer.max_age}")
    return Verdict("age", True, f"Alder {citizen.age} passer", f"Age {citizen.age} fits")


def check_municipality(offer: OfferRecord, citizen: Citizen) -> Verdict:
    allowed = {municipality_key(m) for m in offer.municipalities}
    if open_to_all(offer.municipalities):
        return Verdict("municipality", True, "Åbent for borgere fra alle kommuner",
                       "Open to residents of every municipality")
    if citizen.municipality is None:
        return Verdict("municipality", True, "Bopælskommune ikke oplyst; kun for "
                       + ", ".join(offer.municipalities),
                       "Municipality not given; only for " + ", ".join(offer.municipalities))
    if municipality_variants(citizen.municipality) & allowed:
        return Verdict("municipality", True, f"For borgere i {citizen.municipality}",
                       f"For residents of {citizen.municipality}")
    return Verdict("municipality", False, "Kun for borgere i " + ", ".join(offer.municipalities),
                   "Only for residents of " + ", ".join(offer.municipalities))


def check_status(offer: OfferRecord) -> Verdict:
    if offer.status == "active":
        return Verdict("status", True, "Tilbuddet kører", "The offer is running")
    return Verdict("status", False, f"Tilbuddet er {label('status', offer.status).lower()}",
                   f"The offer is {label('status', offer.status, 'en').lower()}")


def check_valid_to(offer: OfferRecord, today: date) -> Verdict:
    if offer.valid_to is None:
        return Verdict("valid_to", True, "Ingen slutdato", "No end date")
    if offer.valid_to < today:
        return Verdict("valid_to", False, f"Sluttede {offer.valid_to.isoformat()}",
                       f"Ended {offer.valid_to.isoformat()}")
    return Verdict("valid_to", True, f"Kører til og med {offer.valid_to.isoformat()}",
                   f"Runs until {offer.valid_to.isoformat()}")


def hard_verdicts(offer: OfferRecord, citizen: Citizen, today: date) -> list[Verdict]:
    return [check_age(offer, citizen), check_municipality(offer, citizen), check_status(offer),
            check_valid_to(offer, today)]


def is_eligible(offer: OfferRecord, citizen: Citizen, today: date) -> bool:
    return all(v.passed for v in hard_verdicts(offer, citizen, today))


# --- referral ---------------------------------------------------------------------------

def check_referral(offer: OfferRecord, citizen: Citizen) -> Verdict:
    """Passed = usable now; an offer needing visitation the citizen lacks is marked, not hidden."""
    if not offer.requires_referral:
        return Verdict("referral", True, "Kræver ikke visitation", "No assessment decision needed")
    if citizen.has_referral:
        return Verdict("referral", True, "Kræver visitation, som borgeren har",
                       "Needs an assessment decision, which the citizen holds")
    return Verdict("referral", False, "Kræver visitation fra kommunen først",
                   "Needs a municipal assessment decision first", score=-0.5)


# --- soft rules -------------------------------------------------------------------------

def shared_languages(offer: OfferRecord, citizen: Citizen) -> list[str]:
    return [l for l in citizen.languages if l in offer.languages]


def check_language(offer: OfferRecord, citizen: Citizen) -> Verdict:
    if not citizen.languages or not offer.languages:
        return Verdict("language", True, "Sprog ikke afklaret", "Language not settled")
    shared = shared_languages(offer, citizen)
    if shared:
        return Verdict("language", True, f"Foregår på {', '.join(shared)}",
                       f"Held in {', '.join(shared)}", score=0.2)
    if "uden_dansk" in offer.low_threshold:
        return Verdict("language", True, "Du behøver ikke tale dansk",
                       "No Danish needed", score=0.0)
    return Verdict("language", False, "Intet fælles sprog; en tolk eller ledsager kan hjælpe",
                   "No shared language; an interpreter or companion can bridge it", score=-0.4)


def distance_km(lat1: float, lon1: float, lat2, lon2):
    """Great-circle distance in kilometres; ``lat2`` and ``lon2`` may be arrays (many offers
    at once, NaN where an offer has no place, giving NaN)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


DISTANCE_STEPS = np.array([3.0, 10.0, 30.0])   # km: up to 3, up to 10, up to 30, further
DISTANCE_SCORES = np.array([0.15, 0.0, -0.2, -0.6])


def distance_score(km):
    """Near is better: by kilometres, a number or an array of them (many offers at once)."""
    score = DISTANCE_SCORES[np.searchsorted(DISTANCE_STEPS, km)]
    return float(score) if np.ndim(score) == 0 else score


def check_distance(offer: OfferRecord, origin: tuple[float, float] | None) -> Verdict:
    if offer.lat is None or offer.lon is None:
        return Verdict("distance", True, "Online, telefon eller uden fast adresse",
                       "Online, phone or no fixed address")
    if origin is None:
        return Verdict("distance", True, "Afstand ukendt", "Distance unknown")
    km = float(distance_km(origin[0], origin[1], offer.lat, offer.lon))
    return Verdict("distance", km <= 30, f"Cirka {km:.1f} km væk".replace(".", ","),
                   f"About {km:.1f} km away",
                   score=distance_score(km))


def free_windows(windows: tuple[Window, ...], busy: tuple[Window, ...]) -> list[Window]:
    return [w for w in windows if not any(overlaps(w, b) for b in busy)]


def check_schedule(windows: tuple[Window, ...], citizen: Citizen) -> Verdict:
    if not windows:
        return Verdict("schedule", True, "Tidspunkt efter aftale", "Time by arrangement")
    if not citizen.busy:
        return Verdict("schedule", True, "Tidspunkt: " + ", ".join(w.label_da() for w in windows[:3]),
                       "Time: see schedule")
    free = free_windows(windows, citizen.busy)
    if free:
        return Verdict("schedule", True, "Passer med din kalender: " + free[0].label_da(),
                       "Fits your calendar", score=0.1)
    return Verdict("schedule", False, "Falder sammen med dine faste aftaler (fx arbejde)",
                   "Collides with your fixed commitments (e.g. work)", score=-0.8)


@lru_cache(maxsize=4096)
def is_free(cost: str) -> bool:
    folded = fold_danish(cost)
    return not folded or folded in ("gratis", "free", "0", "0 kr.")


def check_cost(offer: OfferRecord) -> Verdict:
    if is_free(offer.cost):
        return Verdict("cost", True, "Gratis", "Free")
    return Verdict("cost", True, f"Pris: {offer.cost}", f"Price: {offer.cost}", score=-0.05)


def check_accessibility(offer: OfferRecord, citizen: Citizen) -> Verdict:
    needs = set(citizen.accessibility_needs)
    if not needs:
        return Verdict("accessibility", True, "Ingen særlige behov oplyst", "No needs given")
    missing = sorted(needs - set(offer.accessibility))
    if not missing:
        return Verdict("accessibility", True, "Tilgængelighed: " + ", ".join(
            label("accessibility", n) for n in sorted(needs)), "Accessibility needs met", score=0.2)
    return Verdict("accessibility", False, "Ikke oplyst: " + ", ".join(
        label("accessibility", n) for n in missing), "Not stated: " + ", ".join(missing),
        score=-0.5)


CAPACITY_SCORES = {"full": -0.4, "waitlist": -0.15}


def check_capacity(offer: OfferRecord) -> Verdict:
    if offer.capacity == "full":
        return Verdict("capacity", False, "Fuldt lige nu", "Full right now",
                       score=CAPACITY_SCORES["full"])
    if offer.capacity == "waitlist":
        return Verdict("capacity", True, "Venteliste", "Waiting list",
                       score=CAPACITY_SCORES["waitlist"])
    return Verdict("capacity", True, "Har plads" if offer.capacity == "open" else "Plads ukendt",
                   "Open" if offer.capacity == "open" else "Capacity unknown")


def soft_verdicts(offer: OfferRecord, windows: tuple[Window, ...], citizen: Citizen,
                  origin: tuple[float, float] | None) -> list[Verdict]:
    return [check_language(offer, citizen), check_distance(offer, origin),
            check_schedule(windows, citizen), check_cost(offer),
            check_accessibility(offer, citizen), check_capacity(offer)]


SOFT_RULES = ("language", "distance", "schedule", "cost", "accessibility", "capacity")


def soft_rules_read_only_place(citizen: Citizen) -> bool:
    """Whether ``soft_scores`` read nothing of ``citizen`` but the distance (no languages, busy
    times or accessibility needs told): each offer's scores are then its own (those for a
    citizen who told nothing) with the distance's."""
    return not (citizen.languages or citizen.busy or citizen.accessibility_needs)


def soft_facts(offer: OfferRecord) -> tuple:
    """What ``soft_scores`` reads of an offer besides its place and its times. Offers alike in
    these (and, for a citizen who told when they are busy, in their schedule) score alike, so a
    search scores each kind of offer once (``matcher.features.SoftKinds``)."""
    return (offer.languages, "uden_dansk" in offer.low_threshold, is_free(offer.cost),
            offer.accessibility, offer.capacity)


def soft_scores(offer: OfferRecord, windows: tuple[Window, ...], citizen: Citizen,
                km: float | None) -> tuple[float, ...]:
    """The scores of ``soft_verdicts`` in ``SOFT_RULES`` order, without writing their reasons:
    ranking needs the scores of every candidate, people read the reasons of the ten shown.
    ``km`` is the offer's distance from the citizen (``distance_km``, computed for all the
    candidates at once), None when either place is unknown. The tests check that both agree."""
    if not citizen.languages or not offer.languages or shared_languages(offer, citizen):
        language = 0.2 if citizen.languages and offer.languages else 0.0
    else:
        language = 0.0 if "uden_dansk" in offer.low_threshold else -0.4
    distance = 0.0 if km is None else distance_score(km)
    if not windows or not citizen.busy:
        schedule = 0.0
    else:
        schedule = 0.1 if free_windows(windows, citizen.busy) else -0.8
    cost = 0.0 if is_free(offer.cost) else -0.05
    needs = set(citizen.accessibility_needs)
    accessibility = 0.0 if not needs else -0.5 if needs - set(offer.accessibility) else 0.2
    capacity = CAPACITY_SCORES.get(offer.capacity, 0.0)
    return language, distance, schedule, cost, accessibility, capacity


# --- place rules: what may come first ----------------------------------------------------

SENIOR_MIN_AGE = 50   # an offer from this age on is for older adults ("Jobnetværket 50+")
YOUTH_MAX_AGE = 35    # an offer up to this age is for young adults ("Ungechatten 18-24")


def age_group(offer: OfferRecord) -> str | None:
    """The age group (a need code) an offer is only for: "aeldre", "unge" or None."""
    if offer.min_age is not None and offer.min_age >= SENIOR_MIN_AGE:
        return "aeldre"
    if offer.max_age is not None and offer.max_age <= YOUTH_MAX_AGE:
        return "unge"
    return None


def can_start_now(offer: OfferRecord) -> bool:
    """Whether the citizen can go there the first time now: not full, no waiting list."""
    return offer.capacity not in ("full", "waitlist")


def place_tier(offer: OfferRecord, citizen: Citizen, needs: set[str] | frozenset[str]) -> int:
    """0 for an open offer; 1 for one only for an age group, when the age is unknown and the text
    does not point to that age (``needs`` holds "aeldre" for "pensionist", "ældre", "65 år"); 2
    for a full one. Lower tiers are shown first (``matcher.rank.settle_places``)."""
    if offer.capacity == "full":
        return 2
    group = age_group(offer)
    if citizen.age is None and group is not None and group not in needs:
        return 1
    return 0
