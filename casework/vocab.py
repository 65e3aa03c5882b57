"""The casework vocabularies (barrier codes, network rings, shareable data pieces, outcomes,
referral statuses), each code with a Danish and an English label (and, for what comes next,
the FSIII code of KL's shared terms), from a data file."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, tuple[str, str]]]:
    raw = json.loads((resources.files("casework") / "data" / "vocabularies.json")
                     .read_text(encoding="utf-8"))
    return {name: {code: tuple(labels) for code, labels in codes.items()}
            for name, codes in raw.items() if isinstance(codes, dict)}


def codes(name: str) -> tuple[str, ...]:
    return tuple(vocabularies()[name])


def fsiii(next_code: str | None) -> str | None:
    """The FSIII follow-up result (E1-E3) beside our ``next`` code, for the case systems."""
    labels = vocabularies()["next"].get(next_code or "")
    return labels[2] if labels else None
