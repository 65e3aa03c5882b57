"""Numbers read from a request: plain ASCII digits only, bounded, or None.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses with a 500; a thousand-digit
number is refused here too, before any arithmetic on it.
"""

from __future__ import annotations

import re

DIGITS = re.compile(r"[0-9]{1,6}")


def whole_number(raw: str | None, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, else None."""
    if not raw or not DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None
