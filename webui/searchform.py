"""The search form: read the query string into text and a ``Citizen``, with errors a person
can act on (msgids in Danish, translated through the Babel catalogues).

Shared by the search page and ``/api/forslag`` so both accept and reject the same input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalogue.schedule import parse_schedule
from catalogue.vocab import codes
from matcher.barriers import barrier_codes, barrier_table
from matcher.citizen import Citizen
from matcher.service import MAX_TEXT_CHARS
from webui.params import whole_number
from webui.i18n import N_, in_language

MIN_AGE, MAX_AGE = 16, 120
DEFAULT_K, MAX_K = 10, 50
FIELDS = ("q", "age", "municipality", "has_referral", "postcode", "languages", "needs", "busy",
          "barriers")
LISTS = ("needs", "barriers")   # ticked boxes (or, from the API, comma-separated codes)
LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class FieldError:
    """A message for one field; the page shows it in the reader's language, the API in both."""

    msgid: str
    params: dict = field(default_factory=dict)

    @property
    def da(self) -> str:
        return in_language("da", self.msgid, **self.params)

    @property
    def en(self) -> str:
        return in_language("en", self.msgid, **self.params)


@dataclass
class SearchForm:
    """The submitted values (to show them again), the parsed request, and errors per field."""

    values: dict
    text: str = ""
    citizen: Citizen = field(default_factory=Citizen)
    k: int = DEFAULT_K
    errors: dict[str, FieldError] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return any(self.values.get(name) for name in FIELDS)

    @property
    def valid(self) -> bool:
        return not self.errors


def _age(raw: str, errors: dict) -> int | None:
    if not raw:
        return None
    if whole_number(raw, MIN_AGE, MAX_AGE) is None:
        errors["age"] = FieldError(N_("Alder skal være et helt tal mellem %(low)s og %(high)s."),
                                   {"low": MIN_AGE, "high": MAX_AGE})
        return None
    return int(raw)


def _postcode(raw: str, errors: dict) -> str | None:
    if not raw:
        return None
    if not re.fullmatch(r"\d{4}", raw):
        errors["postcode"] = FieldError(N_("Postnummeret skal være fire cifre, fx 8000."))
        return None
    return raw


def _languages(raw: str, errors: dict) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(w for w in re.split(r"[\s,;]+", raw.lower()) if w))
    if any(not LANGUAGE.match(w) for w in found):
        errors["languages"] = FieldError(
            N_("Skriv sprog som koder på to bogstaver adskilt af komma, fx da, en, ar."))
        return ()
    return found


def _busy(raw: str, errors: dict):
    windows = parse_schedule(raw)
    if raw and not any(w.start is not None for w in windows):
        errors["busy"] = FieldError(
            N_("Vi kunne ikke læse tidspunkterne. Skriv dage og klokkeslæt, fx man-fre 8-16."))
        return ()
    return windows


def barrier_vocabulary() -> dict[str, dict[str, str]]:
    """The barriers as a vocabulary for the checkboxes: code -> {"da", "en"} plain words."""
    return {code: {"da": b.label_da, "en": b.label_en} for code, b in barrier_table().items()}


def _barriers(given: list[str], errors: dict) -> tuple[str, ...]:
    """Barrier codes, ticked or written ``barriers=sprog,transport``; an unknown one is an error
    that names the known ones."""
    found = tuple(dict.fromkeys(c for raw in given for c in re.split(r"[\s,;]+", raw) if c))
    unknown = [c for c in found if c not in barrier_codes()]
    if unknown:
        errors["barriers"] = FieldError(N_("Ukendt barriere: %(unknown)s. Kendte: %(known)s."),
                                        {"unknown": ", ".join(unknown),
                                         "known": ", ".join(barrier_codes())})
        return ()
    return found


def _k(raw: str, errors: dict) -> int:
    if not raw:
        return DEFAULT_K
    if whole_number(raw, 1, MAX_K) is None:
        errors["k"] = FieldError(N_("Antal forslag skal være et helt tal mellem 1 og %(high)s."),
                                 {"high": MAX_K})
        return DEFAULT_K
    return int(raw)


def parse_search(args) -> SearchForm:
    """Read ``?q=&age=&municipality=&has_referral=&postcode=&languages=&needs=&busy=&barriers=
    &k=``."""
    values = {name: (args.get(name) or "").strip() for name in FIELDS if name not in LISTS}
    values["needs"] = [n for n in args.getlist("needs") if n in codes("accessibility")]
    errors: dict[str, FieldError] = {}
    barriers = _barriers(args.getlist("barriers"), errors)
    values["barriers"] = list(barriers)
    if not values["q"]:
        errors["q"] = FieldError(N_("Skriv med dine egne ord, hvad du drømmer om eller har brug for."))
    elif len(values["q"]) > MAX_TEXT_CHARS:
        errors["q"] = FieldError(
            N_("Teksten er for lang: højst %(most)s tegn (du skrev %(written)s). "
               "Skriv det vigtigste kort."), {"most": MAX_TEXT_CHARS, "written": len(values["q"])})
    citizen = Citizen(
        age=_age(values["age"], errors),
        municipality=values["municipality"] or None,
        has_referral=values["has_referral"] in ("1", "on", "true", "ja"),
        languages=_languages(values["languages"], errors),
        accessibility_needs=tuple(values["needs"]),
        postcode=_postcode(values["postcode"], errors),
        busy=_busy(values["busy"], errors),
        barriers=barriers,
    )
    return SearchForm(values, values["q"], citizen, _k((args.get("k") or "").strip(), errors),
                      errors)
