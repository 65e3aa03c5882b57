"""What the journeys type and expect in each language."""

from __future__ import annotations

import pytest

# (language, the query string that chooses it, a citizen's need in that language)
LANGUAGES = [
    pytest.param("da", "", "Jeg har gæld og rykkere, som jeg ikke kan overskue", id="da"),
    pytest.param("en", "?lang=en", "I have debts and reminders I cannot manage", id="en"),
]
