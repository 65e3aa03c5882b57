"""Detect needs (target groups) and interests in free text with lexicons kept as data files.

A term matches a whole stemmed word, a phrase of words in order, or the first or last part of a
Danish compound ("hund" in "hundeluftning", "have" in "byhave"), so a dream with no word in
common with an offer can still meet it through a shared theme.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from matcher.text import stem, words

MIN_COMPOUND_PART = 4
MIN_COMPOUND_REST = 3


@dataclass(frozen=True)
class Theme:
    code: str
    label_da: str
    label_en: str


class Lexicon:
    """Terms for a set of themes; ``detect(text)`` returns theme code -> matched terms."""

    def __init__(self, entries: dict[str, dict]):
        self.themes = {code: Theme(code, e["label_da"], e["label_en"]) for code, e in entries.items()}
        self._single: dict[str, set[str]] = defaultdict(set)
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for code, entry in entries.items():
            for term in entry["terms"]:
                tokens = tuple(stem(w) for w in words(term))
                if len(tokens) == 1:
                    self._single[tokens[0]].add(code)
                elif tokens:
                    self._phrases[tokens[0]].append((tokens, code))

    def _compound_codes(self, token: str) -> set[str]:
        found: set[str] = set()
        for cut in range(MIN_COMPOUND_PART, len(token) - MIN_COMPOUND_REST + 1):
            found |= self._single.get(token[:cut], set()) | self._single.get(token[-cut:], set())
        return found

    def detect(self, text: str) -> dict[str, set[str]]:
        """Theme code -> the (stemmed) terms that matched in ``text``."""
        tokens = [stem(w) for w in words(text)]
        hits: dict[str, set[str]] = defaultdict(set)
        for i, token in enumerate(tokens):
            for code in self._single.get(token, ()):
                hits[code].add(token)
            for phrase, code in self._phrases.get(token, ()):
                if tuple(tokens[i:i + len(phrase)]) == phrase:
                    hits[code].add(" ".join(phrase))
            if len(token) >= MIN_COMPOUND_PART + MIN_COMPOUND_REST and token not in self._single:
                for code in self._compound_codes(token):
                    hits[code].add(token)
        return dict(hits)


def _load(name: str) -> dict[str, dict]:
    return json.loads(resources.files("matcher").joinpath(f"data/{name}").read_text("utf-8"))


@lru_cache(maxsize=1)
def needs_lexicon() -> Lexicon:
    return Lexicon(_load("needs.json"))


@lru_cache(maxsize=1)
def interests_lexicon() -> Lexicon:
    return Lexicon(_load("interests.json"))
