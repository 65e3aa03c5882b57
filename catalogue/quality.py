"""Listings that stay true: how complete an offer's record is, what a coordinator should fix
(findings, each a code with a Danish and an English text), and one score per listing.

The score starts from the completeness share (the fields a citizen or a guide relies on that
are filled, 0 to 1) and each finding takes its weight off, never below 0. The API's ``quality``
is this score. Whether the target groups fit the description is read with the matcher's own
text understanding, which the caller hands in (``ThemeReader``): the catalogue does not depend
on the matcher, and the rule stays a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from catalogue.records import OfferRecord
from catalogue.states import DEFAULT_STALE_AFTER_DAYS
from catalogue.vocab import label

# Each counts once when filled; the required fields (id, name, description, kind) are always
# there and do not count. Coordinates count as one field (lat and lon come together).
QUALITY_FIELDS = ("provider", "categories", "target_groups", "municipalities",
                  "requires_referral", "cost", "address", "postcode", "lat", "schedule",
                  "languages", "contact", "roles", "low_threshold", "capacity", "assured_date")
MIN_DESCRIPTION_CHARS = 80      # shorter says too little for a citizen to choose by
EVERYONE = "alle"

# code: (weight taken off the score, Danish text, English text); texts may hold values
FINDINGS = {
    "short_description": (0.15, "Beskrivelsen er for kort: skriv, hvad man laver, hvor og "
                                "for hvem", "The description is too short: say what people "
                                "do there, where and for whom"),
    "vague_description": (0.1, "Beskrivelsen er uklar: den siger hverken, hvad man laver, "
                               "eller hvem det er for", "The description is vague: it says "
                               "neither what people do nor whom it is for"),
    "no_contact": (0.15, "Ingen kontakt: skriv et telefonnummer eller en e-mail",
                   "No contact: add a phone number or an e-mail address"),
    "no_schedule": (0.1, "Ingen tider: skriv, hvornår tilbuddet er, fx »tirsdage kl. 10-12« "
                         "eller »efter aftale«", "No schedule: say when it runs, e.g. "
                         "'tirsdage kl. 10-12' or 'efter aftale'"),
    "no_target_group": (0.1, "Ingen målgruppe: vælg, hvem tilbuddet er for (eller »alle«)",
                        "No target group: choose whom the offer is for (or 'alle')"),
    "target_groups_unfit": (0.1, "Målgrupperne ({groups_da}) passer ikke til beskrivelsen: den "
                                 "nævner dem ikke", "The target groups ({groups_en}) do not fit "
                                 "the description: it does not speak of them"),
    "likely_duplicate": (0.1, "Ligner et andet tilbud (måske fra en anden kilde): afgør det "
                              "under »Mulige dubletter«", "Looks like another offer (perhaps "
                              "from another source): decide under 'Possible duplicates'"),
    "unconfirmed": (0.2, "Ikke bekræftet i 12 måneder: bed udbyderen bekræfte det",
                    "Not confirmed for 12 months: ask the provider to confirm it"),
}
FINDING_CODES = tuple(FINDINGS)

ThemeReader = Callable[[str], tuple[set[str], set[str]]]   # text -> (needs, interests)


@dataclass(frozen=True)
class Finding:
    """One thing to fix on a listing, said in Danish and English."""

    code: str
    da: str
    en: str

    @classmethod
    def of(cls, code: str, **values: str) -> "Finding":
        _, da, en = FINDINGS[code]
        return cls(code, da.format(**values), en.format(**values))


def completeness(record: OfferRecord) -> float:
    """The share of ``QUALITY_FIELDS`` that are filled, rounded to two decimals."""
    filled = sum(1 for name in QUALITY_FIELDS if getattr(record, name) not in (None, "", ()))
    return round(filled / len(QUALITY_FIELDS), 2)


def _text(record: OfferRecord) -> str:
    return " . ".join((record.name, record.description, *record.categories))


def _unfit_groups(record: OfferRecord, needs: set[str]) -> list[str]:
    """The named target groups, when the text speaks of none of them (``alle`` always fits)."""
    named = [group for group in record.target_groups if group != EVERYONE]
    if not named or EVERYONE in record.target_groups or needs & set(named):
        return []
    return named


def findings(record: OfferRecord, today: date, themes: ThemeReader,
             stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
             duplicate: bool = False) -> list[Finding]:
    """What a coordinator should fix on ``record``, in ``FINDINGS`` order. ``duplicate`` says
    the catalogue holds a likely duplicate (``ingest.duplicates``) not decided on yet."""
    needs, interests = themes(_text(record))
    found = []
    if len(record.description.strip()) < MIN_DESCRIPTION_CHARS:
        found.append(Finding.of("short_description"))
    if not needs and not interests:
        found.append(Finding.of("vague_description"))
    if not record.contact.strip():
        found.append(Finding.of("no_contact"))
    if not record.schedule.strip():
        found.append(Finding.of("no_schedule"))
    if not record.target_groups:
        found.append(Finding.of("no_target_group"))
    if unfit := _unfit_groups(record, needs):
        found.append(Finding.of(
            "target_groups_unfit", **{f"groups_{lang}": ", ".join(
                label("target_groups", g, lang) for g in unfit) for lang in ("da", "en")}))
    if duplicate:
        found.append(Finding.of("likely_duplicate"))
    if record.assured_date is None or record.assured_date < today - timedelta(days=stale_after_days):
        found.append(Finding.of("unconfirmed"))
    return found


def score(record: OfferRecord, found: list[Finding]) -> float:
    """The completeness share less each finding's weight, between 0 and 1."""
    penalty = sum(FINDINGS[f.code][0] for f in found)
    return round(max(0.0, completeness(record) - penalty), 2)
