"""One validator for every format: raw field values in, ``OfferRecord`` or precise problems out.

Readers hand over values typed as well as their format allows (CSV readers convert "18" to 18
first); this module decides what is valid, so every format accepts and rejects the same things.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from catalogue.places import ALL_MUNICIPALITIES, means_all_municipalities
from catalogue.records import (KINDS, REQUIRED_FIELDS, STATUSES, OfferRecord,
                               unprintable_problem)
from catalogue.vocab import codes, normalise_code
from ingest.problems import ProblemCollector

VOCABULARY_FIELDS = {
    "target_groups": "target_groups",
    "accessibility": "accessibility",
    "roles": "roles",
    "low_threshold": "low_threshold",
}
PLAIN_LIST_FIELDS = ("categories", "municipalities", "languages")
TEXT_FIELDS = ("provider", "cost", "address", "contact", "schedule")
DATE_FIELDS = ("valid_to", "assured_date")
MAX_TEXT = 20_000
# Longest text the database column holds (catalogue/models.py); longer is an error, not a crash.
COLUMN_LIMITS = {"id": 200, "name": 300, "provider": 300, "cost": 300, "contact": 300,
                 "address": 300, "postcode": 10, "legal_basis": 100}
LANGUAGE = re.compile(r"^[a-z]{2}$")
# An id stands in links, headers and the tab-separated TREC run: one line, no tabs.
SPLITS_A_LINE = re.compile(r"[\t\n\r\u2028\u2029\x85]")


@dataclass(frozen=True)
class RawRow:
    """One offer as read from a file, before validation; ``line`` is the file's line or row."""

    line: int
    data: dict


class _RowCheck:
    """Validates one row, recording problems against its line."""

    def __init__(self, row: RawRow, problems: ProblemCollector):
        self.row, self.problems, self.ok = row, problems, True

    def fail(self, field: str, da: str, en: str) -> None:
        self.ok = False
        self.problems.error(self.row.line, field, da, en)

    def text(self, field: str, required: bool = False) -> str:
        value = self.row.data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "Feltet skal udfyldes", "The field is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(field, f"Skal være tekst, ikke {_type_da(value)}",
                      f"Must be text, not {type(value).__name__}")
            return ""
        value = str(value).strip()
        limit = COLUMN_LIMITS.get(field)
        if problem := unprintable_problem(value):
            self.fail(field, *problem)
        elif field == "id" and SPLITS_A_LINE.search(value):
            self.fail(field, "Et id skal stå på én linje uden tabulatorer",
                      "An id must be a single line without tabs")
        elif limit is not None and len(value) > limit:
            self.fail(field, f"Højst {limit} tegn (der er {len(value)})",
                      f"At most {limit} characters (there are {len(value)})")
        elif len(value) > MAX_TEXT:
            self.fail(field, f"Teksten er for lang (over {MAX_TEXT} tegn)",
                      f"The text is too long (over {MAX_TEXT} characters)")
        return value

    def optional_text(self, field: str) -> str | None:
        return self.text(field) or None

    def integer(self, field: str, low: int, high: int) -> int | None:
        value = self.row.data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, f"Skal være et helt tal eller tomt, ikke {value!r}",
                      f"Must be a whole number or empty, not {value!r}")
            return None
        if not low <= value <= high:
            self.fail(field, f"Skal ligge mellem {low} og {high}, ikke {value}",
                      f"Must be between {low} and {high}, not {value}")
            return None
        return value

    def number(self, field: str, low: float, high: float) -> float | None:
        value = self.row.data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            self.fail(field, f"Skal være et tal eller tomt, ikke {value!r}",
                      f"Must be a number or empty, not {value!r}")
            return None
        if not low <= value <= high:
            self.fail(field, f"Skal ligge mellem {low} og {high}, ikke {value}",
                      f"Must be between {low} and {high}, not {value}")
            return None
        return float(value)

    def boolean(self, field: str) -> bool | None:
        value = self.row.data.get(field)
        if value is None or value == "":
            return None
        if not isinstance(value, bool):
            self.fail(field, f"Skal være true eller false, ikke {value!r}",
                      f"Must be true or false, not {value!r}")
            return None
        return value

    def iso_date(self, field: str) -> date | None:
        value = self.row.data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(field, f"Skal være en dato som ÅÅÅÅ-MM-DD, ikke {value!r}",
                  f"Must be a date like YYYY-MM-DD, not {value!r}")
        return None

    def string_list(self, field: str) -> tuple[str, ...]:
        value = self.row.data.get(field)
        if value is None or value == "":
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, "Skal være en liste af tekster", "Must be a list of strings")
            return ()
        for item in value:
            if problem := unprintable_problem(item):
                self.fail(field, *problem)
                return ()
        return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))

    def vocabulary_list(self, field: str, vocabulary: str) -> tuple[str, ...]:
        result = []
        for value in self.string_list(field):
            code = normalise_code(vocabulary, value)
            if code is None:
                allowed = ", ".join(sorted(codes(vocabulary)))
                self.fail(field, f"Ukendt værdi {value!r}; tilladt: {allowed}",
                          f"Unknown value {value!r}; allowed: {allowed}")
            else:
                result.append(code)
        return tuple(dict.fromkeys(result))

    def choice(self, field: str, allowed: tuple[str, ...], default: str | None,
               required: bool = False) -> str | None:
        value = self.text(field, required=required)
        if not value:
            return default
        folded = value.lower()
        if folded not in allowed:
            self.fail(field, f"Ukendt værdi {value!r}; tilladt: {', '.join(allowed)}",
                      f"Unknown value {value!r}; allowed: {', '.join(allowed)}")
            return default
        return folded


def _type_da(value: object) -> str:
    return {bool: "sand/falsk", list: "en liste", dict: "et objekt", float: "et tal",
            int: "et tal"}.get(type(value), type(value).__name__)


def validate_row(row: RawRow, source: str, problems: ProblemCollector,
                 default_kind: str | None = None) -> OfferRecord | None:
    """The record for one row, or None with every problem of the row reported."""
    check = _RowCheck(row, problems)
    required = {name: check.text(name, required=True) for name in REQUIRED_FIELDS if name != "kind"}
    kind = check.choice("kind", KINDS, default_kind)
    if kind is None and str(row.data.get("kind") or "").strip() == "":
        check.fail("kind", "Art (kind) mangler: skriv municipal, association eller social_economy "
                           "i filen, eller vælg én art for hele filen (--default-kind)",
                   "The kind is missing: write municipal, association or social_economy in the "
                   "file, or choose one kind for the whole file (--default-kind)")
    min_age = check.integer("min_age", 0, 120)
    max_age = check.integer("max_age", 0, 120)
    if min_age is not None and max_age is not None and min_age > max_age:
        check.fail("max_age", f"max_age ({max_age}) er mindre end min_age ({min_age})",
                   f"max_age ({max_age}) is below min_age ({min_age})")
    lat, lon = check.number("lat", -90, 90), check.number("lon", -180, 180)
    if (lat is None) != (lon is None):
        check.fail("lat" if lat is None else "lon", "lat og lon skal begge udfyldes eller begge være tomme",
                   "lat and lon must both be given or both be empty")
    languages = tuple(v.lower() for v in check.string_list("languages"))
    for language in languages:
        if not LANGUAGE.match(language):
            check.fail("languages", f"{language!r} er ikke en ISO 639-1-kode (to bogstaver, fx 'da')",
                       f"{language!r} is not an ISO 639-1 code (two letters, e.g. 'da')")
    municipalities = tuple(ALL_MUNICIPALITIES if means_all_municipalities(m) else m
                           for m in check.string_list("municipalities"))
    values = dict(
        **required,
        kind=kind,
        categories=check.string_list("categories"),
        municipalities=municipalities,
        languages=languages,
        min_age=min_age, max_age=max_age, lat=lat, lon=lon,
        requires_referral=check.boolean("requires_referral"),
        legal_basis=check.optional_text("legal_basis"),
        capacity=check.choice("capacity", tuple(sorted(codes("capacity"))), None),
        status=check.choice("status", STATUSES, "active"),
        **{name: check.text(name) for name in TEXT_FIELDS},
        **{name: check.iso_date(name) for name in DATE_FIELDS},
        **{name: check.vocabulary_list(name, vocab) for name, vocab in VOCABULARY_FIELDS.items()},
        postcode=check.text("postcode"),
        source=source,
    )
    return OfferRecord(**values) if check.ok else None


def validate_rows(rows: list[RawRow], source: str, problems: ProblemCollector,
                  default_kind: str | None = None, progress: Callable[[int, int], None] | None = None
                  ) -> list[OfferRecord]:
    """Validate every row and the file as a whole (unique ids); report all problems at once.
    ``progress`` hears (rows validated, rows) as it goes."""
    records: list[OfferRecord] = []
    first_line: dict[str, int] = {}
    for done, row in enumerate(rows):
        if progress is not None:
            progress(done, len(rows))
        record = validate_row(row, source, problems, default_kind)
        if record is None:
            continue
        if record.id in first_line:
            problems.error(row.line, "id",
                           f"Id {record.id!r} står allerede på linje {first_line[record.id]}",
                           f"Id {record.id!r} already appears on line {first_line[record.id]}")
            continue
        first_line[record.id] = row.line
        records.append(record)
    if progress is not None:
        progress(len(rows), len(rows))
    return records
