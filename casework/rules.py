"""What the API and the pages may send, checked by pure functions: each returns plain data or
raises ``Invalid`` naming the field, in Danish and English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from catalogue.schedule import parse_schedule
from catalogue.vocab import codes as catalogue_codes
from casework.errors import Invalid
from casework.vocab import codes

MAX_TEXT = 5000
MAX_SHORT = 200
MAX_NETWORK = 100
MAX_LANGUAGES = 20
MAX_MOMENT = 40
MIN_AGE, MAX_AGE = 16, 120
LANGUAGE = re.compile(r"^[a-z]{2}$")


def _text(data: dict, field: str, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"»{field}« skal udfyldes", f"'{field}' is required", field)
        return None
    if not isinstance(value, str):
        raise Invalid(f"»{field}« skal være tekst", f"'{field}' must be text", field)
    if len(value) > limit:
        raise Invalid(f"»{field}« er for lang (højst {limit} tegn)",
                      f"'{field}' is too long (at most {limit} characters)", field)
    return value.strip()


def _whole(data: dict, field: str, low: int, high: int, required: bool = False) -> int | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"»{field}« skal være et helt tal fra {low} til {high}",
                      f"'{field}' must be a whole number from {low} to {high}", field)
    return value


def _codes(data: dict, field: str, allowed: tuple[str, ...], required: bool = False) -> tuple:
    value = data.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"»{field}« skal være en liste af koder", f"'{field}' must be a list of codes",
                      field)
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise Invalid(f"Ukendt kode i »{field}«: {unknown[0]} (kendte: {', '.join(allowed)})",
                      f"Unknown code in '{field}': {unknown[0]} (known: {', '.join(allowed)})",
                      field)
    if required and not value:
        raise Invalid(f"»{field}« må ikke være tom", f"'{field}' must not be empty", field)
    return tuple(dict.fromkeys(value))


def _one_of(data: dict, field: str, allowed: tuple[str, ...], required: bool = True) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if value not in allowed:
        raise Invalid(f"»{field}« skal være en af: {', '.join(allowed)}",
                      f"'{field}' must be one of: {', '.join(allowed)}", field)
    return value


def moment(value, field: str, required: bool = True) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC moment (a date is its midnight)."""
    if value is None and not required:
        return None
    try:
        parsed = datetime.fromisoformat(value) \
            if isinstance(value, str) and len(value) <= MAX_MOMENT else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid(f"»{field}« skal være en dato eller et tidspunkt (ISO 8601)",
                      f"'{field}' must be an ISO 8601 date or date-time", field)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def day(value, field: str, required: bool = False) -> date | None:
    """An ISO 8601 date (``2026-12-24``)."""
    if value is None and not required:
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid(f"»{field}« skal være en dato som 2026-12-24",
                  f"'{field}' must be a date such as 2026-12-24", field)


def _object(data, field: str) -> dict:
    if not isinstance(data, dict):
        raise Invalid(f"»{field}« skal være et JSON-objekt", f"'{field}' must be a JSON object", field)
    return data


@dataclass(frozen=True)
class CitizenInput:
    name: str
    age: int | None
    municipality: str | None
    postcode: str | None
    languages: tuple[str, ...]
    accessibility_needs: tuple[str, ...]
    busy: str | None
    purpose: str
    consent_given_at: datetime


def citizen_input(data: dict, now: datetime) -> CitizenInput:
    """A new citizen; there is no record without a consent to keep one (``consent``)."""
    _object(data, "body")
    consent = data.get("consent")
    if not isinstance(consent, dict) or not consent:
        raise Invalid("Borgeren skal give samtykke til, at vi gemmer oplysningerne (»consent«: "
                      "formål og tidspunkt); uden samtykke ingen registrering",
                      "The citizen must consent to keeping a record ('consent': purpose and "
                      "when); without consent there is no record", "consent")
    purpose = _text(consent, "purpose", required=True, limit=MAX_SHORT)
    given_at = moment(consent.get("given_at"), "given_at")
    if given_at > now:
        raise Invalid("Samtykket kan ikke være givet i fremtiden",
                      "The consent cannot be given in the future", "given_at")
    postcode = _text(data, "postcode", limit=4)
    if postcode is not None and not re.fullmatch(r"\d{4}", postcode):
        raise Invalid("Postnummeret skal være fire cifre", "The postcode must be four digits",
                      "postcode")
    languages = data.get("languages") or []
    if not isinstance(languages, list) or len(languages) > MAX_LANGUAGES or \
            not all(isinstance(v, str) and LANGUAGE.match(v) for v in languages):
        raise Invalid("»languages« skal være sprogkoder som da, en",
                      "'languages' must be language codes such as da, en", "languages")
    busy = _text(data, "busy", limit=MAX_SHORT)
    if busy is not None and not parse_schedule(busy):
        raise Invalid("Faste aftaler skal skrives som fx »man-fre 8-16«",
                      "Busy hours must read like 'man-fre 8-16'", "busy")
    return CitizenInput(
        name=_text(data, "name", required=True, limit=MAX_SHORT),
        age=_whole(data, "age", MIN_AGE, MAX_AGE),
        municipality=_text(data, "municipality", limit=100), postcode=postcode,
        languages=tuple(dict.fromkeys(languages)),
        accessibility_needs=_codes(data, "accessibility_needs",
                                   tuple(catalogue_codes("accessibility"))),
        busy=busy, purpose=purpose, consent_given_at=given_at)


@dataclass(frozen=True)
class PersonInput:
    name: str
    relation: str | None
    ring: str | None
    closeness: int
    offer_id: str | None = None


@dataclass(frozen=True)
class ConversationInput:
    dreams: str | None
    goals: str | None
    what_matters: str | None
    barriers: tuple[str, ...]
    barrier_words: str | None
    notes: str | None
    network: tuple[PersonInput, ...]


def person_input(data) -> PersonInput:
    data = _object(data, "network")
    return PersonInput(name=_text(data, "name", required=True, limit=MAX_SHORT),
                       relation=_text(data, "relation", limit=MAX_SHORT),
                       ring=_one_of(data, "ring", codes("rings"), required=False),
                       closeness=_whole(data, "closeness", 1, 3, required=True),
                       offer_id=_text(data, "offer_id", limit=320))


def conversation_input(data: dict) -> ConversationInput:
    _object(data, "body")
    network = data.get("network") or []
    if not isinstance(network, list) or len(network) > MAX_NETWORK:
        raise Invalid(f"»network« skal være en liste med højst {MAX_NETWORK} personer",
                      f"'network' must be a list of at most {MAX_NETWORK} people", "network")
    return ConversationInput(
        dreams=_text(data, "dreams"), goals=_text(data, "goals"),
        what_matters=_text(data, "what_matters"), barriers=_codes(data, "barriers", codes("barriers")),
        barrier_words=_text(data, "barrier_words"), notes=_text(data, "notes"),
        network=tuple(person_input(p) for p in network))


@dataclass(frozen=True)
class StepInput:
    offer_id: str | None
    what: str
    where: str | None
    when: str | None
    companion: str | None
    follow_up: date | None


def step_input(data: dict) -> StepInput:
    _object(data, "body")
    when = data.get("when")
    if when is not None:
        moment(when, "when")
    return StepInput(offer_id=_text(data, "offer_id", limit=300),
                     what=_text(data, "what", required=True, limit=MAX_TEXT),
                     where=_text(data, "where", limit=MAX_SHORT), when=when,
                     companion=_text(data, "companion", limit=32),
                     follow_up=day(data.get("follow_up"), "follow_up"))


@dataclass(frozen=True)
class OutcomeInput:
    result: str
    progress: int | None
    next: str
    learned: str | None


def outcome_input(data: dict) -> OutcomeInput:
    _object(data, "body")
    return OutcomeInput(result=_one_of(data, "result", codes("results")),
                        progress=_whole(data, "progress", 1, 10),
                        next=_one_of(data, "next", codes("next")),
                        learned=_text(data, "learned"))


@dataclass(frozen=True)
class ShareConsentInput:
    offer_id: str
    shares: tuple[str, ...]
    given_at: datetime


def share_consent_input(data: dict, now: datetime) -> ShareConsentInput:
    _object(data, "body")
    scope = data.get("scope")
    if not isinstance(scope, dict):
        raise Invalid("»scope« skal nævne tilbuddet: {\"offer_id\": ...}",
                      "'scope' must name the offer: {\"offer_id\": ...}", "scope")
    given_at = moment(data.get("given_at"), "given_at")
    if given_at > now:
        raise Invalid("Samtykket kan ikke være givet i fremtiden",
                      "The consent cannot be given in the future", "given_at")
    return ShareConsentInput(offer_id=_text(scope, "offer_id", required=True, limit=300),
                             shares=_codes(data, "shares", codes("shares"), required=True),
                             given_at=given_at)


@dataclass(frozen=True)
class ReferralInput:
    citizen_id: str
    offer_id: str
    consent_id: str
    message: str | None
    follow_up: date | None


def referral_input(data: dict) -> ReferralInput:
    _object(data, "body")
    return ReferralInput(citizen_id=_text(data, "citizen_id", required=True, limit=32),
                         offer_id=_text(data, "offer_id", required=True, limit=300),
                         consent_id=_text(data, "consent_id", required=True, limit=32),
                         message=_text(data, "message"),
                         follow_up=day(data.get("follow_up"), "follow_up"))


@dataclass(frozen=True)
class ProviderAnswer:
    status: str                 # accepted|proposed|declined
    proposed_time: str | None
    decline_reason: str | None
    note: str | None


PROVIDER_ACTIONS = {"accept": "accepted", "propose": "proposed", "decline": "declined"}


def provider_answer_input(data: dict) -> ProviderAnswer:
    """``{"action": "accept|propose|decline", "time": ISO (propose), "reason": code (decline),
    "note": text}``."""
    _object(data, "body")
    action = _one_of(data, "action", tuple(PROVIDER_ACTIONS))
    proposed = data.get("time") if action == "propose" else None
    if action == "propose":
        moment(proposed, "time")
    reason = _one_of(data, "reason", codes("decline_reasons")) if action == "decline" else None
    return ProviderAnswer(PROVIDER_ACTIONS[action], proposed, reason,
                          _text(data, "note", limit=1000))


@dataclass(frozen=True)
class CheckinAnswer:
    happened: bool
    feeling: str | None
    again: str | None


def checkin_input(data: dict) -> CheckinAnswer:
    """``{"happened": true|false, "feeling": "good|ok|bad", "again": "yes|maybe|no"}``; how it
    was is asked only when it happened."""
    _object(data, "body")
    happened = data.get("happened")
    if not isinstance(happened, bool):
        raise Invalid("Svar ja eller nej: blev det til noget?", "Answer yes or no: did it happen?",
                      "happened")
    return CheckinAnswer(happened, _one_of(data, "feeling", codes("feelings"), required=False),
                         _one_of(data, "again", codes("again"), required=False))

