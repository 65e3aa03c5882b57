"""Understanding the citizen's text: spelling repair, needs, interests and wished-for roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from matcher.lexicon import interests_lexicon, needs_lexicon
from matcher.text import stopwords, words

MIN_REPAIR_LENGTH = 4
REPAIR_CUTOFF = 82.0
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


class SpellingRepair:
    """Replace words the catalogue does not know by the closest word it does (rapidfuzz)."""

    def __init__(self, vocabulary: set[str]):
        self.known = vocabulary
        self._choices = sorted(w for w in vocabulary if len(w) >= MIN_REPAIR_LENGTH)

    def repair(self, text: str) -> tuple[str, dict[str, str]]:
        corrections: dict[str, str] = {}
        stop = stopwords()
        for word in words(text):
            if len(word) < MIN_REPAIR_LENGTH or word in self.known or word in stop:
                continue
            best = process.extractOne(word, self._choices, scorer=fuzz.ratio,
                                      score_cutoff=REPAIR_CUTOFF)
            if best is not None:
                corrections[word] = best[0]
        repaired = " ".join(corrections.get(w, w) for w in words(text))
        return repaired, corrections


def understand(text: str, repair: SpellingRepair) -> Understanding:
    """Read needs, interests and roles from the text and its spelling-repaired twin."""
    repaired, corrections = repair.repair(text)
    both = f"{text}\n{repaired}"
    needs = needs_lexicon().detect(both)
    interests = interests_lexicon().detect(both)
    roles = frozenset(role for code, role in ROLE_OF_INTEREST.items() if code in interests)
    return Understanding(text, repaired, corrections, needs, interests, roles)
