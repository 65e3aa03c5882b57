"""Detect needs (target groups) and interests in free text with lexicons kept as data files.

A term matches a word as written or by its stem, a phrase of words in order, or the first or
last part of a Danish compound ("hund" in "hundeluftning", "have" in "kolonihave"), so a dream
with no word in common with an offer can still meet it through a shared theme.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from matcher.text import stem, stopwords, words

MIN_STEM = 4          # shorter stems ("dyr", "kor", "bag") must match the whole word as written
MIN_COMPOUND_PART = 4
MIN_PREFIX_REST = 3   # "hund|eluftning"
MIN_SUFFIX_REST = 4   # "koloni|have", but not "for|middag"
MAX_PHRASE_GAP = 2    # extra words allowed inside a phrase


@dataclass(frozen=True)
class Theme:
    code: str
    label_da: str
    label_en: str


class Lexicon:
    """Terms for a set of themes; ``detect(text)`` returns theme code -> matched terms."""

    def __init__(self, entries: dict[str, dict]):
        self.themes = {code: Theme(code, e["label_da"], e["label_en"]) for code, e in entries.items()}
        self._terms = {code: list(e["terms"]) for code, e in entries.items()}
        self._by_word: dict[str, set[str]] = defaultdict(set)
        self._by_stem: dict[str, set[str]] = defaultdict(set)
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for code, entry in entries.items():
            for term in entry["terms"]:
                term_words = words(term)
                if len(term_words) == 1:
                    self._by_word[term_words[0]].add(code)
                    if len(stem(term_words[0])) >= MIN_STEM:
                        self._by_stem[stem(term_words[0])].add(code)
                elif term_words:
                    phrase = tuple(stem(w) for w in term_words)
                    self._phrases[phrase[0]].append((phrase, code))

    def entries(self) -> dict[str, tuple[Theme, list[str]]]:
        """Code -> (theme, terms)."""
        return {code: (self.themes[code], self._terms[code]) for code in self.themes}

    def _word_codes(self, word: str) -> set[str]:
        """Codes of a single word: as written, by stem, or as part of a compound."""
        found = set(self._by_word.get(word, ()))
        if word in stopwords():
            return found
        found |= self._by_stem.get(stem(word), set())
        if found:
            return found
        for cut in range(MIN_COMPOUND_PART, len(word) - MIN_PREFIX_REST + 1):
            found |= self._by_word.get(word[:cut], set())
        for cut in range(MIN_COMPOUND_PART, len(word) - MIN_SUFFIX_REST + 1):
            found |= self._by_word.get(word[-cut:], set())
        return found

    def detect(self, text: str) -> dict[str, set[str]]:
        """Theme code -> the words or (stemmed) phrases that matched in ``text``."""
        text_words = words(text)
        stems = [stem(w) for w in text_words]
        hits: dict[str, set[str]] = defaultdict(set)
        for i, word in enumerate(text_words):
            for code in self._word_codes(word):
                hits[code].add(word)
            for phrase, code in self._phrases.get(stems[i], ()):
                end = _phrase_end(stems, i, phrase)
                if end is not None:
                    hits[code].add(" ".join(text_words[i:end]))
        return dict(hits)


def _phrase_end(stems: list[str], start: int, phrase: tuple[str, ...]) -> int | None:
    """Where ``phrase`` ends if its words follow ``start`` in order with at most
    ``MAX_PHRASE_GAP`` other words in between ("en dør, jeg selv kan låse" matches
    "en dør jeg kan låse"); None when they do not."""
    position, gaps = start + 1, 0
    for wanted in phrase[1:]:
        while position < len(stems) and stems[position] != wanted:
            position, gaps = position + 1, gaps + 1
            if gaps > MAX_PHRASE_GAP:
                return None
        if position >= len(stems):
            return None
        position += 1
    return position


def _load(name: str) -> dict[str, dict]:
    return json.loads(resources.files("matcher").joinpath(f"data/{name}").read_text("utf-8"))


@lru_cache(maxsize=1)
def needs_lexicon() -> Lexicon:
    return Lexicon(_load("needs.json"))


@lru_cache(maxsize=1)
def interests_lexicon() -> Lexicon:
    return Lexicon(_load("interests.json"))
