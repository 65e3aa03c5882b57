"""Turn retrieval signals and rule verdicts into one feature row per candidate offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process

from catalogue.records import KINDS
from catalogue.states import DEFAULT_STALE_AFTER_DAYS
from matcher.affinity import ThemeAffinity, TraitMatrix, offer_tokens, query_tokens
from matcher.barriers import answered_matrix, shares_answered
from matcher.citizen import Citizen
from matcher.eligibility import (SOFT_RULES, distance_km, distance_score, soft_facts,
                                 soft_rules_read_only_place, soft_scores)
from matcher.fairness import stigmatised_focus
from matcher.index import CatalogueIndex
from matcher.lexicon import is_search
from matcher.retrieve import Signals
from matcher.text import fold
from matcher.understand import Understanding

RRF_K = 20
FEATURES = (
    "dense", "dense_rrf", "bm25", "bm25_rrf", "tfidf", "tfidf_rrf", "fuzzy_name",
    "need_overlap", "explicit_need_overlap", "interest_overlap", "semantic_need",
    "semantic_interest", "named_similarity", "for_everyone", "role_match",
    "kind_municipal", "kind_association", "kind_social_economy",
    "language", "distance", "schedule", "cost", "accessibility", "capacity",
    "referral_blocked", "stale", "short_query", "theme_affinity",
)


@dataclass
class CandidateRows:
    """Features for every candidate; the reasons behind them are written for the shown ones."""

    positions: np.ndarray
    matrix: np.ndarray
    named: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # offers the text names

    @classmethod
    def empty(cls) -> "CandidateRows":
        return cls(np.zeros(0, np.int64), np.zeros((0, len(FEATURES)), np.float32))

    def column(self, name: str) -> np.ndarray:
        return self.matrix[:, FEATURES.index(name)]


@dataclass(frozen=True)
class SoftKinds:
    """Offers grouped by what the soft rules read of them (``soft_facts``): ``of`` holds each
    offer's kind, ``example`` one offer of each kind."""

    of: np.ndarray
    example: np.ndarray

    @classmethod
    def build(cls, facts: list[tuple]) -> "SoftKinds":
        kinds: dict[tuple, int] = {}
        of = np.array([kinds.setdefault(f, len(kinds)) for f in facts], np.int64)
        example = np.zeros(len(kinds), np.int64)
        example[of] = np.arange(len(of))   # any offer of a kind stands for all of it
        return cls(of, example)


@dataclass
class OfferColumns:
    """What the features read from each offer on every query, taken out of the records once
    per index (folded names, kind, assured date, traits), not per query."""

    folded_names: list[str]
    kinds: np.ndarray          # offer x KINDS, one-hot
    for_everyone: np.ndarray
    assured: np.ndarray        # ordinal of the assured date, -1 when never assured
    requires_referral: np.ndarray
    lat: np.ndarray            # NaN where the offer has no place (online, phone)
    lon: np.ndarray
    traits: TraitMatrix        # what theme affinity is learned over (``traits_of``)
    own_soft_scores: np.ndarray   # offer x SOFT_RULES for a citizen who told nothing
    soft_kinds: SoftKinds         # for a citizen who told languages or needs, not busy times
    timed_soft_kinds: SoftKinds   # for a citizen who told busy times too
    answers: np.ndarray        # offer x barrier, whether a bridge answers it (``answered_matrix``)
    roles: dict[str, np.ndarray]   # role code -> whether each offer has it
    focus: list[str | None]    # the stigmatised need each offer is about (``stigmatised_focus``)

    @classmethod
    def build(cls, index: CatalogueIndex) -> "OfferColumns":
        records = index.records
        facts = [soft_facts(r) for r in records]
        return cls(
            folded_names=[fold(r.name) for r in records],
            kinds=np.array([[r.kind == kind for kind in KINDS] for r in records],
                           np.float32).reshape(len(records), len(KINDS)),
            for_everyone=np.array(["alle" in r.target_groups for r in records], np.float32),
            assured=np.array([r.assured_date.toordinal() if r.assured_date else -1
                              for r in records], np.int64),
            requires_referral=np.array([r.requires_referral for r in records], bool),
            lat=np.array([np.nan if r.lat is None else r.lat for r in records], np.float64),
            lon=np.array([np.nan if r.lon is None else r.lon for r in records], np.float64),
            traits=TraitMatrix.build([traits_of(index, p) for p in range(len(records))]),
            own_soft_scores=np.array([soft_scores(r, w, Citizen(), None)
                                      for r, w in zip(records, index.windows)],
                                     np.float64).reshape(len(records), len(SOFT_RULES)),
            soft_kinds=SoftKinds.build(facts),
            timed_soft_kinds=SoftKinds.build([(f, r.schedule) for f, r in zip(facts, records)]),
            answers=answered_matrix(records),
            roles={role: np.array([role in r.roles for r in records], bool)
                   for role in sorted({role for r in records for role in r.roles})},
            focus=[stigmatised_focus(r) for r in records])

    def distances(self, positions: np.ndarray, origin: tuple[float, float] | None) -> np.ndarray:
        """Each offer's distance in km from ``origin``; NaN where either place is unknown."""
        if origin is None:
            return np.full(len(positions), np.nan)
        return distance_km(origin[0], origin[1], self.lat[positions], self.lon[positions])

    def soft_scores(self, index: CatalogueIndex, positions: np.ndarray, citizen: Citizen,
                    origin: tuple[float, float] | None) -> np.ndarray:
        """``soft_scores`` of the offers at ``positions`` (offer x ``SOFT_RULES``): each offer's
        own when the rules read only the citizen's place (``soft_rules_read_only_place``), else
        those of one offer of each kind among them (``SoftKinds``); then the distance's."""
        if soft_rules_read_only_place(citizen):
            scores = self.own_soft_scores[positions]
        else:
            kinds = self.timed_soft_kinds if citizen.busy else self.soft_kinds
            found, kind_of = np.unique(kinds.of[positions], return_inverse=True)
            scores = np.array([soft_scores(index.records[p], index.windows[p], citizen, None)
                               for p in kinds.example[found].tolist()],
                              np.float64).reshape(len(found), len(SOFT_RULES))[kind_of]
        km = self.distances(positions, origin)
        scores[:, SOFT_RULES.index("distance")] = np.where(np.isnan(km), 0.0,
                                                           distance_score(np.nan_to_num(km)))
        return scores

    def unconfirmed(self, positions: np.ndarray, today: date) -> np.ndarray:
        """Whether each offer has gone unconfirmed longer than the catalogue calls stale
        (``DEFAULT_STALE_AFTER_DAYS``), or was never confirmed."""
        assured = self.assured[positions]
        return (assured < 0) | (today.toordinal() - assured > DEFAULT_STALE_AFTER_DAYS)

    def plays_a_role(self, wished: frozenset[str]) -> np.ndarray:
        """Whether each offer has one of the ``wished`` roles (taking part, giving, working)."""
        has = np.zeros(len(self.for_everyone), bool)
        for role in wished & self.roles.keys():
            has |= self.roles[role]
        return has

    def answered(self, positions: np.ndarray, barriers: tuple[str, ...]) -> np.ndarray:
        """The share of the citizen's ``barriers`` each offer's bridges answer."""
        return shares_answered(self.answers, positions, barriers)


def _rrf(scores: np.ndarray) -> np.ndarray:
    """Reciprocal rank of each score within the candidates (1 / (k + rank))."""
    ranks = np.empty(len(scores), np.float32)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return (1.0 + RRF_K) / (RRF_K + ranks)


def traits_of(index: CatalogueIndex, position: int) -> frozenset[str]:
    """The offer's traits that theme affinity is learned over."""
    return offer_tokens(index.records[position], index.documents.needs[position],
                        index.documents.interests[position])


# The features of one offer for this citizen and these words. Neither the query's meaning nor
# the other candidates change them, so ``OfferFeatures`` computes them while the query is still
# being encoded.
OFFER_FEATURES = (*SOFT_RULES, "fuzzy_name", "for_everyone", "role_match", "referral_blocked",
                  "stale", "short_query", "theme_affinity", *(f"kind_{kind}" for kind in KINDS))
_FUZZY = OFFER_FEATURES.index("fuzzy_name")
_SOFT = [OFFER_FEATURES.index(rule) for rule in SOFT_RULES]
EVERY_OFFER_UP_TO = 20_000   # see ``OfferFeatures``: above, a search's own work outlasts its encoding


class OfferFeatures:
    """``OFFER_FEATURES`` of offers for one search. Up to ``EVERY_OFFER_UP_TO`` offers, those
    that need only the offer and the citizen are computed for every offer at once (cheaper than
    picking out the candidates, and done while the query is encoded); above, for the candidates
    asked for. The likeness of the offer's name to the text (``fuzzy_name``), and the soft
    rules' scores when they read more of the citizen than the place
    (``soft_rules_read_only_place``), are always computed per candidate (``add``)."""

    def __init__(self, index: CatalogueIndex, understanding: Understanding, citizen: Citizen,
                 origin: tuple[float, float] | None, today: date, affinity: ThemeAffinity,
                 offers: OfferColumns):
        self.index, self.citizen, self.origin, self.today = index, citizen, origin, today
        self.offers = offers
        self.words = fold(understanding.repaired_text)
        self.search = 1.0 if is_search(understanding.text) else 0.0
        self.role_match = offers.plays_a_role(understanding.roles)
        self.theme_affinity = affinity.scores(query_tokens(understanding), offers.traits)
        self._soft_per_offer = not soft_rules_read_only_place(citizen)
        self._matrix = np.zeros((index.size, len(OFFER_FEATURES)), np.float32)
        self._filled = np.zeros(index.size, bool)   # offers whose columns by ``_fill`` are in
        self._done = np.zeros(index.size, bool)     # offers whose rows are whole
        if index.size <= EVERY_OFFER_UP_TO:
            self._fill(np.arange(index.size))

    def _fill(self, positions: np.ndarray) -> None:
        """The columns computed for many offers at once."""
        offers, n = self.offers, len(positions)
        assured = offers.assured[positions]
        stale_days = np.where(assured >= 0, self.today.toordinal() - assured, 730)
        columns: dict[str, np.ndarray] = {
            "for_everyone": offers.for_everyone[positions],
            "role_match": self.role_match[positions],
            "referral_blocked": offers.requires_referral[positions] & (not self.citizen.has_referral),
            "stale": np.minimum(np.maximum(stale_days, 0) / 365.0, 2.0),
            "short_query": np.full(n, self.search),
            "theme_affinity": self.theme_affinity[positions],
            **{f"kind_{kind}": offers.kinds[positions, i] for i, kind in enumerate(KINDS)},
        }
        if not self._soft_per_offer:
            columns.update(zip(SOFT_RULES, offers.soft_scores(self.index, positions, self.citizen,
                                                              self.origin).T))
        self._matrix[positions] = np.column_stack(
            [np.asarray(columns.get(name, np.zeros(n)), np.float32)
             for name in OFFER_FEATURES]).reshape(n, len(OFFER_FEATURES))
        self._filled[positions] = True

    def add(self, positions: np.ndarray) -> None:
        """Complete the rows of the ``positions`` not completed yet."""
        missing = np.unique(positions[~self._done[positions]])
        if not len(missing):
            return
        unfilled = missing[~self._filled[missing]]
        if len(unfilled):
            self._fill(unfilled)
        names = [self.offers.folded_names[p] for p in missing.tolist()]
        self._matrix[missing, _FUZZY] = process.cdist(
            [self.words], names, scorer=fuzz.token_set_ratio, dtype=np.float64)[0] / 100.0
        if self._soft_per_offer:
            self._matrix[np.ix_(missing, _SOFT)] = self.offers.soft_scores(
                self.index, missing, self.citizen, self.origin)
        self._done[missing] = True

    def of(self, positions: np.ndarray) -> np.ndarray:
        """Rows in the order of ``positions`` (offer x ``OFFER_FEATURES``)."""
        self.add(positions)
        return self._matrix[positions]


def build_features(signals: Signals, offer_features: OfferFeatures) -> CandidateRows:
    """One row of ``FEATURES`` per candidate, in the order of ``signals.positions``: the
    retrieval signals, then what ``offer_features`` knows of each offer."""
    positions = signals.positions
    if not len(positions):
        return CandidateRows(positions, np.zeros((0, len(FEATURES)), np.float32), signals.named)
    bm25_max = float(signals.bm25.max()) if signals.bm25.max() > 0 else 1.0
    columns: dict[str, np.ndarray] = dict(zip(OFFER_FEATURES, offer_features.of(positions).T))
    columns.update({
        "dense": signals.dense, "dense_rrf": _rrf(signals.dense),
        "bm25": signals.bm25 / bm25_max, "bm25_rrf": _rrf(signals.bm25),
        "tfidf": signals.tfidf, "tfidf_rrf": _rrf(signals.tfidf),
        "need_overlap": signals.needs,
        "explicit_need_overlap": signals.explicit_needs,
        "interest_overlap": signals.interests,
        "semantic_need": signals.semantic_needs,
        "semantic_interest": signals.semantic_interests,
        "named_similarity": signals.named_similarity,
    })
    matrix = np.column_stack([np.asarray(columns[name], np.float32) for name in FEATURES])
    return CandidateRows(positions, matrix, signals.named)
