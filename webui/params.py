"""Values read from a request, one way everywhere: numbers (plain ASCII digits only, bounded,
or None) and JSON bodies.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses with a 500; a thousand-digit
number is refused here too, before any arithmetic on it.
"""

from __future__ import annotations

import re

from flask.json.provider import DefaultJSONProvider

DIGITS = re.compile(r"[0-9]{1,6}")


def whole_number(raw: str | None, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, else None."""
    if not raw or not DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply for Python's parser is unreadable JSON
    (``get_json`` then answers as for any broken body) instead of a ``RecursionError`` (a 500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
