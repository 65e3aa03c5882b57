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

from matcher.text import fold, lower_words, stem, stopwords, words

MIN_STEM = 4          # shorter stems ("dyr", "kor", "bag") must match the whole word as written
MIN_COMPOUND_PART = 4
MIN_PREFIX_REST = 3   # "hund|eluftning"
MIN_SUFFIX_REST = 4   # "koloni|have", but not "for|middag"
MAX_COMPOUND = 60     # longer is no word ("aaaa…" pasted): not cut into parts, which grows as its square
MAX_PHRASE_GAP = 2    # extra words allowed inside a phrase
KNOWN_WORDS = 200_000  # words whose codes a lexicon remembers (the least recently read go first)
SEARCH_MAX_WORDS = 4  # a text this short is a search: "spil", "kunst og tegning"


@lru_cache(maxsize=1024)   # asked of the same text by understanding, features and affinity
def is_search(text: str) -> bool:
    return len(words(text)) <= SEARCH_MAX_WORDS


@dataclass(frozen=True)
class Theme:
    code: str
    label_da: str
    label_en: str


class _Words:
    """Single-word terms by word as written and by stem."""

    def __init__(self):
        self.by_word: dict[str, set[str]] = defaultdict(set)
        self.by_stem: dict[str, set[str]] = defaultdict(set)

    def add(self, word: str, code: str) -> None:
        self.by_word[word].add(code)
        if len(stem(word)) >= MIN_STEM:
            self.by_stem[stem(word)].add(code)


class Lexicon:
    """Terms for a set of themes; ``detect(text)`` returns theme code -> matched terms.

    An entry's ``terms`` count in any text; its ``search_terms`` are single words that name the
    theme in a search of a few words ("spil", "dans") but mean other things in a story
    ("det spillede ingen rolle"), so they count only when ``detect`` is told the text is a search.
    """

    def __init__(self, entries: dict[str, dict]):
        self.themes = {code: Theme(code, e["label_da"], e["label_en"]) for code, e in entries.items()}
        self._terms = {code: list(e["terms"]) for code, e in entries.items()}
        self._search_terms = {code: list(e.get("search_terms", ())) for code, e in entries.items()}
        self._words, self._search_words = _Words(), _Words()
        # the same words come back in every search, and a compound costs a lookup per cut
        self._codes_of = lru_cache(maxsize=KNOWN_WORDS)(self._word_codes)
        # first stem -> (phrase, its stems as a set, code)
        self._phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str], str]]] = defaultdict(list)
        for code, entry in entries.items():
            for term in entry["terms"]:
                term_words = words(term)
                if len(term_words) == 1:
                    self._words.add(term_words[0], code)
                elif term_words:
                    phrase = tuple(stem(w) for w in term_words)
                    self._phrases[phrase[0]].append((phrase, frozenset(phrase), code))
            for term in entry.get("search_terms", ()):
                self._search_words.add(words(term)[0], code)

    def written_words(self) -> set[str]:
        """Every word the terms use, in lower case as written (æøå kept)."""
        return {w for terms in (*self._terms.values(), *self._search_terms.values())
                for term in terms for w in lower_words(term)}

    def entries(self) -> dict[str, tuple[Theme, list[str]]]:
        """Code -> (theme, terms)."""
        return {code: (self.themes[code], self._terms[code]) for code in self.themes}

    def _word_codes(self, word: str, search: bool) -> frozenset[str]:
        """Codes of a single word: as written, by stem, or as part of a compound."""
        return frozenset(self._read_word(
            word, [self._words, self._search_words] if search else [self._words]))

    def _read_word(self, word: str, tables: list[_Words]) -> set[str]:
        found = set().union(*(t.by_word.get(word, ()) for t in tables))
        if word in stopwords():
            return found
        found |= set().union(*(t.by_stem.get(stem(word), ()) for t in tables))
        if found or len(word) > MAX_COMPOUND:
            return found
        for table in tables:
            for cut in range(MIN_COMPOUND_PART, len(word) - MIN_PREFIX_REST + 1):
                found |= table.by_word.get(word[:cut], set())
            for cut in range(MIN_COMPOUND_PART, len(word) - MIN_SUFFIX_REST + 1):
                found |= table.by_word.get(word[-cut:], set())
        return found

    def detect(self, text: str, search: bool = False) -> dict[str, set[str]]:
        """Theme code -> the words or (stemmed) phrases that matched in ``text``; ``search``
        counts the search terms too."""
        text_words = words(text)
        stems = [stem(w) for w in text_words]
        present = set(stems)
        hits: dict[str, set[str]] = defaultdict(set)
        for i, word in enumerate(text_words):
            for code in self._codes_of(word, search):
                hits[code].add(word)
            for phrase, needed, code in self._phrases.get(stems[i], ()):
                # a phrase whose words are not all in the text cannot follow: skip the walk
                end = _phrase_end(stems, i, phrase) if needed <= present else None
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


@lru_cache(maxsize=1)
def lexicon_surface_forms() -> dict[str, str]:
    """Folded word -> how the lexicons write it: words the matcher understands, which spelling
    repair may aim at even when no offer uses them ("tenge" -> "tegne")."""
    written = needs_lexicon().written_words() | interests_lexicon().written_words()
    return {fold(w): w for w in sorted(written)}
