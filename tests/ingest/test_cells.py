"""Cell text (CSV) and Excel values become the types the validator expects, or stay as they were."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ingest.cells import convert_cell


@pytest.mark.parametrize("field, cell, expected", [
    ("name", "  Gågruppe ", "Gågruppe"),
    ("name", "", None),
    ("name", "   ", None),
    ("min_age", None, None),
    ("min_age", " 18 ", 18),
    ("min_age", 18, 18),
    ("min_age", "tyve", "tyve"),
    ("min_age", "18.5", "18.5"),
    ("lat", "56.15623", 56.15623),
    ("lat", "56,15623", 56.15623),
    ("lat", 56.15623, 56.15623),
    ("lat", "56,15,623", "56,15,623"),
    ("lat", "nord", "nord"),
    ("requires_referral", "Ja", True),
    ("requires_referral", "NEJ", False),
    ("requires_referral", "yes", True),
    ("requires_referral", "0", False),
    ("requires_referral", True, True),
    ("requires_referral", 1, True),
    ("requires_referral", "maybe", "maybe"),
    ("languages", "da; en ;", ["da", "en"]),
    ("categories", "gæld;økonomi", ["gæld", "økonomi"]),
    ("valid_to", datetime(2026, 11, 23, 0, 0), date(2026, 11, 23)),
    ("valid_to", "23/11/2026", "23/11/2026"),
    ("postcode", 8000, "8000"),
    ("postcode", 8000.0, "8000"),
    ("contact", 86123456, "86123456"),
    ("status", " Paused ", "Paused"),
])
def test_convert_cell(field: str, cell: object, expected: object):
    converted = convert_cell(field, cell)

    assert converted == expected and type(converted) is type(expected)
