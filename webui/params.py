"""Values read from a request, one way everywhere: numbers (plain ASCII digits only, bounded,
or None) and JSON bodies.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses with a 500; a thousand-digit
number is refused here too, before any arithmetic on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from flask.json.provider import DefaultJSONProvider

DIGITS = re.compile(r"[0-9]{1,6}")
VERSION_TAG = re.compile(r'\s*(?:W/)?"?(\d{1,9})"?\s*')     # an If-Match: "3", W/"3" or 3


def whole_number(raw: str | None, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, else None."""
    if not raw or not DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


SURROGATE = re.compile("[\ud800-\udfff]")


def texts(value) -> Iterator[str]:
    """Every text (keys too) in a parsed JSON value, walked without recursion."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            waiting.extend(item.keys())
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)


def tagged_version(raw: str) -> int | None:
    """The version an ``If-Match`` header names, or None when it names none."""
    found = VERSION_TAG.fullmatch(raw)
    return int(found.group(1)) if found else None


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that these are unreadable JSON (``get_json`` then answers as for any
    broken body) instead of a 500: a body nested too deeply for Python's parser
    (``RecursionError``), and a lone surrogate (``"\\ud800"`` or its bytes), which is no
    character and cannot be written out again as UTF-8."""

    def loads(self, s, **kwargs):
        if isinstance(s, (bytes, bytearray)):   # strict: a UnicodeDecodeError is a ValueError
            s = s.decode(json.detect_encoding(s))
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
        if any(SURROGATE.search(text) for text in texts(value)):
            raise ValueError("JSON text holds a lone surrogate")
        return value
