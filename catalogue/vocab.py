"""Controlled vocabularies (target groups, accessibility, roles...) and their Danish labels."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, dict[str, str]]]:
    """All vocabularies: name -> code -> {"da": label, "en": label}."""
    text = resources.files("catalogue").joinpath("data/vocabularies.json").read_text("utf-8")
    return json.loads(text)


def codes(vocabulary: str) -> frozenset[str]:
    return frozenset(vocabularies()[vocabulary])


def fold_danish(text: str) -> str:
    """Lower-case and write æ, ø, å as ae, oe, aa (the spelling of vocabulary codes)."""
    return text.strip().lower().translate(FOLD)


def normalise_code(vocabulary: str, value: str) -> str | None:
    """Map a value as people write it ("Kørestol", "psykisk sårbarhed") to its code, or None."""
    candidate = re.sub(r"[\s\-/]+", "_", fold_danish(value))
    known = codes(vocabulary)
    if candidate in known:
        return candidate
    by_label = {fold_danish(labels["da"]).replace(" ", "_"): code
                for code, labels in vocabularies()[vocabulary].items()}
    return by_label.get(candidate)


def label(vocabulary: str, code: str, lang: str = "da") -> str:
    """The human label of a code; the code itself when unknown."""
    return vocabularies().get(vocabulary, {}).get(code, {}).get(lang, code)
