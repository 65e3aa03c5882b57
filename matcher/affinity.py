"""Theme affinity: which kinds of offer have suited which needs and interests.

Learned from judged examples (labelled queries, and outcomes with ``train --with-outcomes``)
as a smoothed lift: how much more relevant an offer with a given trait (a need or interest it serves, its kind, a
role, a low threshold, visitation, a category tag) was for citizens whose words had a given
theme than offers were on average. It speaks of themes and traits, never of single offers, so what it learned on
one municipality's catalogue carries over to another's. "Ensomhed" learns to favour volunteer
roles and communities; "gæld" learns that counselling suits better than a job.
Pairs that would lead to a condition the citizen did not state are never kept
(``matcher.fairness.fair_pair``), however the examples fell. It shapes the ranking only; it is
never given to a person as a reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse

from catalogue.records import OfferRecord
from matcher.fairness import fair_pair
from matcher.lexicon import is_search
from matcher.text import stem, words
from matcher.understand import Understanding

SMOOTHING = 10.0      # judged rows worth of the average that each pair starts from
MAX_GRADE = 3.0


def query_tokens(understanding: Understanding) -> frozenset[str]:
    """The traits of what the citizen wrote: themes read from it, and search or story."""
    return theme_tokens(text_form(understanding.text), understanding.needs, understanding.interests)


def text_form(text: str) -> str:
    """``search`` for a few search words, ``story`` for sentences about oneself."""
    return "search" if is_search(text) else "story"


def theme_tokens(form: str, needs: Iterable[str], interests: Iterable[str]) -> frozenset[str]:
    """Query traits from plain values (the outcome rows of casework carry the same codes)."""
    return frozenset({f"form:{form}"} | {f"need:{c}" for c in needs}
                     | {f"interest:{c}" for c in interests})


@lru_cache(maxsize=262_144)   # a query asks for hundreds of offers, and the same ones again
def offer_tokens(record: OfferRecord, needs: frozenset[str], interests: frozenset[str]
                 ) -> frozenset[str]:
    """The traits of an offer: whom it serves, what it is about, how one takes part, and its
    category tags (stemmed: "samtalegrupper" and "samtalegruppe" are one tag)."""
    return trait_tokens(record.kind, (*needs, *record.target_groups), interests, record.roles,
                        record.low_threshold, record.categories, bool(record.requires_referral))


@lru_cache(maxsize=65_536)   # catalogues reuse a few hundred categories across many offers
def category_tag(category: str) -> str | None:
    """A category as a stemmed tag ("Samtalegrupper" -> "tag:samtalegrupp"); None if wordless."""
    found = words(category)
    return "tag:" + " ".join(stem(w) for w in found) if found else None


def trait_tokens(kind: str, needs: Iterable[str], interests: Iterable[str], roles: Iterable[str],
                 low_threshold: Iterable[str], categories: Iterable[str], requires_referral: bool
                 ) -> frozenset[str]:
    """Offer traits from plain values: the index's records and the outcome rows of casework
    (``evaluation.outcomes``) speak the same tokens."""
    tokens = {f"kind:{kind}"} | {f"need:{c}" for c in needs}
    tokens |= {tag for tag in map(category_tag, categories) if tag}
    tokens |= {f"interest:{c}" for c in interests} | {f"role:{r}" for r in roles}
    tokens |= {f"threshold:{t}" for t in low_threshold}
    if requires_referral:
        tokens.add("referral")
    return frozenset(tokens)


@dataclass(frozen=True)
class TraitMatrix:
    """Offers x traits, 1 where an offer has the trait (``columns`` names each column)."""

    matrix: sparse.csr_matrix
    columns: dict[str, int]

    @classmethod
    def build(cls, offers: list[frozenset[str]]) -> "TraitMatrix":
        columns = {trait: i for i, trait in enumerate(sorted(set().union(*offers)))}
        indices = np.array([columns[t] for traits in offers for t in sorted(traits)], np.int64)
        indptr = np.concatenate([[0], np.cumsum([len(traits) for traits in offers])]).astype(np.int64)
        matrix = sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                                   shape=(len(offers), len(columns)))
        return cls(matrix, columns)


@dataclass(frozen=True)
class ThemeAffinity:
    """Lift of (query trait, offer trait) pairs. An offer's affinity is the mean over its pairs
    that were ever judged, so a tag no example had (another catalogue's words) changes nothing."""

    lift: dict[tuple[str, str], float] = field(default_factory=dict)
    judged: int = 0   # how many judged candidate rows it was learned from

    @cached_property
    def _by_query(self) -> dict[str, dict[str, float]]:
        table: dict[str, dict[str, float]] = defaultdict(dict)
        for (q, o), lift in self.lift.items():
            table[q][o] = lift
        return dict(table)

    @classmethod
    def fit(cls, samples: Iterable[tuple[frozenset[str], frozenset[str], int]],
            smoothing: float = SMOOTHING) -> "ThemeAffinity":
        """Learn from (query traits, offer traits, graded relevance 0-3) of judged candidates."""
        total: dict[tuple[str, str], float] = defaultdict(float)
        count: dict[tuple[str, str], int] = defaultdict(int)
        grades, rows = 0.0, 0
        for query, offer, grade in samples:
            relevance = grade / MAX_GRADE
            grades, rows = grades + relevance, rows + 1
            for pair in ((q, o) for q in query for o in offer):
                total[pair] += relevance
                count[pair] += 1
        if not rows:
            return cls()
        base = grades / rows
        return cls(_fair({pair: (total[pair] + smoothing * base) / (n + smoothing) - base
                          for pair, n in count.items()}), rows)

    def score(self, query: frozenset[str], offers: list[frozenset[str]]) -> np.ndarray:
        """Each offer's mean lift over its judged pairs with the query's traits (0 if none)."""
        return self.scores(query, TraitMatrix.build(offers))

    def scores(self, query: frozenset[str], traits: "TraitMatrix") -> np.ndarray:
        """``score`` of every offer (row) of ``traits``, in two sparse products: the sum of the
        lifts of each offer's judged pairs, and how many there are."""
        lifts, pairs = np.zeros(len(traits.columns)), np.zeros(len(traits.columns))
        for q in query:
            for o, lift in self._by_query.get(q, {}).items():
                if (column := traits.columns.get(o)) is not None:
                    lifts[column] += lift
                    pairs[column] += 1
        total, count = traits.matrix @ lifts, traits.matrix @ pairs
        return np.divide(total, count, out=np.zeros(len(total)), where=count > 0).astype(np.float32)

    def to_json(self) -> dict:
        return {"judged": self.judged,
                "lift": [[q, o, round(v, 5)] for (q, o), v in sorted(self.lift.items())]}

    @classmethod
    def from_json(cls, data: dict | None) -> "ThemeAffinity":
        if not data:
            return cls()
        return cls(_fair({(q, o): float(v) for q, o, v in data["lift"]}), int(data.get("judged", 0)))


def _fair(lift: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """The pairs that pass the fairness rule; applied to every table learned or loaded."""
    return {pair: value for pair, value in lift.items() if fair_pair(*pair)}
