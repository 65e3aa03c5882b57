"""Understanding the citizen's text: spelling repair, needs, interests and wished-for roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from matcher.lexicon import interests_lexicon, needs_lexicon
from wordfreq import zipf_frequency

from matcher.text import fold, lower_words, stopwords

MIN_REPAIR_LENGTH = 4
REPAIR_CUTOFF = 82.0
MIN_ZIPF_DANISH = 1.0
MIN_ZIPF_ENGLISH = 2.5
ROLE_OF_INTEREST = {"work_job": "job", "helping_others": "frivillig"}


@dataclass(frozen=True)
class Understanding:
    """What the matcher read out of the text, kept for explanations."""

    text: str
    repaired_text: str
    corrections: dict[str, str] = field(default_factory=dict)
    needs: dict[str, set[str]] = field(default_factory=dict)
    interests: dict[str, set[str]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    semantic_needs: dict[str, float] = field(default_factory=dict)
    semantic_interests: dict[str, float] = field(default_factory=dict)


def is_real_word(word: str) -> bool:
    """A word of Danish or English as written (wordfreq), even if the catalogue lacks it."""
    return (zipf_frequency(word, "da") >= MIN_ZIPF_DANISH
            or zipf_frequency(word, "en") >= MIN_ZIPF_ENGLISH)


class SpellingRepair:
    """Replace misspelt words by the closest word the catalogue uses (rapidfuzz); real Danish
    or English words the catalogue happens not to use are left alone."""

    def __init__(self, vocabulary: set[str]):
        self.known = vocabulary
        self._choices = sorted(w for w in vocabulary if len(w) >= MIN_REPAIR_LENGTH)
        is_real_word("brobygger")  # load the word lists now, not during the first search

    def _closest(self, raw: str) -> str | None:
        word = fold(raw)
        if (len(word) < MIN_REPAIR_LENGTH or word in self.known or word in stopwords()
                or is_real_word(raw)):
            return None
        best = process.extractOne(word, self._choices, scorer=fuzz.ratio,
                                  score_cutoff=REPAIR_CUTOFF)
        return None if best is None else best[0]

    def repair(self, text: str) -> tuple[str, dict[str, str]]:
        """The text as the catalogue would spell it, and what was changed."""
        corrections: dict[str, str] = {}
        raw_words = lower_words(text)
        out: list[str] = []
        i = 0
        while i < len(raw_words):
            word = fold(raw_words[i])
            joined = word + fold(raw_words[i + 1]) if i + 1 < len(raw_words) else ""
            if joined in self.known and word not in stopwords():   # "fælles spisning"
                corrections[f"{word} {fold(raw_words[i + 1])}"] = joined
                out.append(joined)
                i += 2
                continue
            closest = self._closest(raw_words[i])
            if closest is not None:
                corrections[word] = closest
            out.append(closest or word)
            i += 1
        return " ".join(out), corrections


def understand(text: str, repair: SpellingRepair) -> Understanding:
    """Read needs, interests and roles from the text and its spelling-repaired twin."""
    repaired, corrections = repair.repair(text)
    both = f"{text}\n{repaired}"
    needs = needs_lexicon().detect(both)
    interests = interests_lexicon().detect(both)
    roles = frozenset(role for code, role in ROLE_OF_INTEREST.items() if code in interests)
    return Understanding(text, repaired, corrections, needs, interests, roles)
