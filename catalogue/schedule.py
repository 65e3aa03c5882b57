"""Parse Danish schedule text ("tirsdage kl. 10-12", "man-fre 9-15") into weekly time windows.

The original text is always kept beside the windows; an empty result means "efter aftale" or
text we could not read, which the matcher treats as "time unknown", never as a collision.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from catalogue.vocab import fold_danish

DEFAULT_SESSION_MINUTES = 120
WEEKDAY_NAMES_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

_DAY_STEMS = {
    "man": 0, "tir": 1, "tirs": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4,
    "lor": 5, "loer": 5, "son": 6, "soen": 6,
}
_DAY = r"(?:mandag|man|tirsdag|tirs|tir|onsdag|ons|torsdag|tors|tor|fredag|fre|loerdag|lordag|loer|lor|soendag|sondag|soen|son)(?:e|en|ene)?\b\.?"
_TIME = r"(\d{1,2})(?:[.:](\d{2}))?"
_TOKEN = re.compile(
    rf"(?P<range>(?P<d1>{_DAY})\s*(?:-|–|til)\s*(?P<d2>{_DAY}))"
    rf"|(?P<day>{_DAY})"
    r"|(?P<weekdays>\bhverdag(?:e|ene)?\b)"
    r"|(?P<weekend>\bweekend(?:er|en)?\b)"
    r"|(?P<daily>\balle dage\b|\bdagligt?\b|\bhver dag\b|\bugens syv dage\b)"
    r"|(?P<allday>\bdoegnaaben\b|\bdoegnet rundt\b|\b24/7\b|\bhele doegnet\b)"
    rf"|(?P<time>(?:\bkl\.?\s*)?{_TIME}\s*(?:-|–|til)\s*(?:kl\.?\s*)?{_TIME})"
    rf"|(?P<single>\bkl\.?\s*{_TIME})"
)


@dataclass(frozen=True)
class Window:
    """A weekly time window: weekday 0 = Monday; minutes from midnight; None when unknown."""

    weekday: int
    start: int | None
    end: int | None
    recurrence: str = "weekly"  # weekly | biweekly | monthly

    def label_da(self) -> str:
        day = WEEKDAY_NAMES_DA[self.weekday]
        if self.start is None:
            return day
        return f"{day} kl. {_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int | None) -> str:
    if minutes is None:
        return "?"
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def _day_index(word: str) -> int:
    word = word.rstrip(".")
    for length in (4, 3):
        stem = word[:length]
        if stem in _DAY_STEMS:
            return _DAY_STEMS[stem]
    raise ValueError(word)


def _minutes(hour: str, minute: str | None) -> int:
    return int(hour) * 60 + int(minute or 0)


@lru_cache(maxsize=8192)
def parse_schedule(text: str) -> tuple[Window, ...]:
    """Read the weekly windows out of Danish schedule text; () when none can be read."""
    folded = fold_danish(text or "")
    recurrence = "weekly"
    if re.search(r"hver anden|hver 2\.|hver 14\.", folded):
        recurrence = "biweekly"
    elif re.search(r"i maaneden|om maaneden|maanedlig", folded):
        recurrence = "monthly"

    windows: list[Window] = []
    pending: list[int] = []
    last_days: list[int] = []
    for match in _TOKEN.finditer(folded):
        kind = match.lastgroup if match.group("range") is None else "range"
        if match.group("range"):
            first, last = _day_index(match.group("d1")), _day_index(match.group("d2"))
            pending += [d % 7 for d in range(first, last + 1 if last >= first else last + 8)]
        elif kind == "day":
            pending.append(_day_index(match.group("day")))
        elif kind == "weekdays":
            pending += [0, 1, 2, 3, 4]
        elif kind == "weekend":
            pending += [5, 6]
        elif kind == "daily":
            pending += list(range(7))
        elif kind == "allday":
            windows += [Window(d, 0, 24 * 60, recurrence) for d in range(7)]
            pending, last_days = [], []
        else:
            if match.group("time"):
                start, end = _time_range(match.group("time"))
            else:
                numbers = re.findall(r"\d+", match.group("single"))
                start = _minutes(numbers[0], numbers[1] if len(numbers) > 1 else None)
                end = start + DEFAULT_SESSION_MINUTES
            if not (0 <= start < 24 * 60 and 0 < end <= 24 * 60) or end <= start:
                continue
            days = pending or last_days
            windows += [Window(d, start, end, recurrence) for d in dict.fromkeys(days)]
            last_days, pending = (days, []) if days else (last_days, pending)
    windows += [Window(d, None, None, recurrence) for d in dict.fromkeys(pending)]
    return tuple(sorted(set(windows), key=lambda w: (w.weekday, w.start or 0, w.end or 0)))


_RANGE = re.compile(rf"(?:kl\.?\s*)?{_TIME}\s*(?:-|–|til)\s*(?:kl\.?\s*)?{_TIME}")


def _time_range(text: str) -> tuple[int, int]:
    """Start and end minutes of a range such as "9.30-14" or "kl. 17.00-kl. 20"."""
    match = _RANGE.search(text)
    assert match  # the tokenizer matched the same pattern
    start_h, start_m, end_h, end_m = match.groups()
    return _minutes(start_h, start_m), _minutes(end_h, end_m)


def next_session(windows: tuple[Window, ...], after: datetime) -> datetime | None:
    """The start of the next window after ``after`` (weekly reading); None when time is unknown."""
    best: datetime | None = None
    for window in windows:
        if window.start is None:
            continue
        days_ahead = (window.weekday - after.weekday()) % 7
        day: date = after.date() + timedelta(days=days_ahead)
        start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=window.start)
        if start <= after:
            start += timedelta(days=7)
        if best is None or start < best:
            best = start
    return best


def overlaps(a: Window, b: Window) -> bool:
    """True when two windows share a weekday and some minutes (unknown times never overlap)."""
    if a.weekday != b.weekday or None in (a.start, a.end, b.start, b.end):
        return False
    return a.start < b.end and b.start < a.end
