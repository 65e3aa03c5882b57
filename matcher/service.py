"""``Matcher``: the one entry point the web UI, the JSON API, the CLI and the evaluation share."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

import numpy as np

from matcher.citizen import Citizen
from matcher.encoder import Encoder, leaves_a_core_free
from matcher.features import CandidateRows, OfferColumns, OfferFeatures, build_features
from matcher.helpers import helper_threads
from matcher.index import CatalogueIndex
from matcher.lexicon import is_search
from matcher.barriers import known_barriers, split_barriers
from matcher.themes import leaning_to_themes
from matcher.rank import LinearScorer, diversify, fusion_scorer, rule_scores, settle_places
from matcher.retrieve import (WordSignals, lexical_scores, name_core, named_offers, retrieve,
                              word_signals)
from matcher.suggestions import (NamedOffer, Reason, Suggestion, Suggestions, bridge_reasons,
                                 describe_match, draft_trial_step, first_steps, group_of,
                                 offer_facts, role_of, shown_words, typed_corrections)
from catalogue.places import municipality_key
from matcher.eligibility import (check_referral, distance_km, hard_verdicts, place_tier,
                                 shared_languages, soft_verdicts)
from matcher.understand import Understanding, dense_text, read_themes, spell, spoken_languages

METHODS = ("full", "hybrid", "dense", "bm25", "tfidf")
SINGLE_SIGNAL = {"dense": "dense", "bm25": "bm25", "tfidf": "tfidf"}
MAX_TEXT_CHARS = 2000   # longest text searched: a long intake note; bounds each request's work
NAMED_ALIKE = 3       # up to this many suggestions most like an offer the citizen named say so,
ALIKE_MIN = 1.0       # when this alike (``offer_likeness``: same theme and wording, not just style)
T = TypeVar("T")


class TextTooLong(ValueError):
    """A search text over ``MAX_TEXT_CHARS``: refused before any work is done."""

    def __init__(self, length: int):
        super().__init__(f"Teksten er for lang: {length} tegn, højst {MAX_TEXT_CHARS} / "
                         f"the text is too long: {length} characters, at most {MAX_TEXT_CHARS}")


def beside_encoding(work: Callable[[], T]) -> Future[T]:
    """``work`` (the search's own Python) on a helper thread, while the calling thread encodes
    the query: the encoder releases the GIL. The caller goes straight into the encoder, and the
    work is most often done before the vector is, so the caller never waits to be woken (on
    this 2-core machine a thread woken from a wait took 0.3-0.4 ms). When the encoding uses
    every core (``leaves_a_core_free``) the work is done here and now, before it: work beside
    it would only slow it."""
    if leaves_a_core_free():
        return helper_threads().submit(work)
    done: Future[T] = Future()
    try:
        done.set_result(work())
    except Exception as error:   # handed on as the helper's would be
        done.set_exception(error)
    return done


@dataclass
class WordsRead:
    """What the words of a search give before its meaning is known (``Matcher._read_words``)."""

    understanding: Understanding
    allowed: np.ndarray       # the offers the citizen may use (the hard rules)
    named: np.ndarray         # offers the text names
    words: WordSignals
    offer_features: OfferFeatures


@dataclass
class Ranking:
    """Ranked offer positions with scores and the evidence behind them."""

    positions: np.ndarray
    scores: np.ndarray
    rows: CandidateRows
    row_of: dict[int, int]
    understanding: Understanding


class Matcher:
    """Searches one ``CatalogueIndex`` for one citizen's words; never writes anything."""

    def __init__(self, index: CatalogueIndex, encoder: Encoder, scorer: LinearScorer | None = None):
        if index.encoder_name != encoder.name:
            raise ValueError(f"Indekset er bygget med {index.encoder_name}, ikke {encoder.name} "
                             f"/ the index was built with another encoder")
        self.index = index
        self.encoder = encoder
        self.scorer = scorer or fusion_scorer()
        self.spelling = index.spelling()
        self.offers = OfferColumns.build(index)

    def _origin(self, citizen: Citizen) -> tuple[float, float] | None:
        """Where the citizen is: coordinates, else their postcode, else their municipality."""
        if citizen.lat is not None and citizen.lon is not None:
            return citizen.lat, citizen.lon
        if citizen.postcode in self.index.postcode_centroids:
            return self.index.postcode_centroids[citizen.postcode]
        return self.index.municipality_centroids.get(municipality_key(citizen.municipality or ""))

    def _place(self, citizen: Citizen) -> tuple[float, float] | None:
        """Where the citizen is, when they said so (coordinates or a postcode the catalogue
        places): a card's distance is never measured from a whole municipality."""
        if citizen.lat is not None and citizen.lon is not None:
            return citizen.lat, citizen.lon
        return self.index.postcode_centroids.get(citizen.postcode or "")

    def candidates(self, text: str, citizen: Citizen, today: date
                   ) -> tuple[CandidateRows, Understanding]:
        """Every retrieved eligible candidate with its features (what rankers learn from)."""
        if len(text) > MAX_TEXT_CHARS:
            raise TextTooLong(len(text))
        named_barriers, without_barriers = split_barriers(text)
        barriers = known_barriers((*named_barriers, *citizen.barriers))
        languages, spoken = spoken_languages(text)
        if spoken != text:   # the languages the citizen speaks are said apart, not as themes
            text, without_barriers = spoken, split_barriers(spoken)[1]
        citizen = citizen.speaking(languages)
        spelled = dataclasses.replace(spell(without_barriers, self.spelling),
                                      barriers=barriers)
        if self.index.size == 0:
            return CandidateRows.empty(), read_themes(spelled, citizen.age)
        reading = beside_encoding(lambda: self._read_words(spelled, text, citizen, today))
        read_as = spelled.dense_text or text   # what the encoder reads, without barriers
        query_vector = self.encoder.encode_queries([dense_text(read_as, self.encoder.fits)])[0]
        read = reading.result()
        understanding = dataclasses.replace(
            read.understanding,
            semantic_needs=self.index.need_vectors.weights(query_vector),
            semantic_interests=self.index.interest_vectors.weights(query_vector))
        meaning = query_vector if is_search(read_as) else leaning_to_themes(
            query_vector, self.index.need_vectors.of(understanding.needs)
            + self.index.interest_vectors.of(understanding.interests))
        signals = retrieve(self.index, read.words, understanding, meaning, read.allowed,
                           read.named)
        rows = build_features(signals, read.offer_features)
        return rows, understanding

    def _read_words(self, spelled: Understanding, text: str, citizen: Citizen, today: date
                    ) -> WordsRead:
        """Themes, eligibility, lexical signals, the offers named and the features of every
        offer: all that needs only the words, computed while the query is encoded."""
        understanding = read_themes(spelled, citizen.age)
        allowed = self.index.table.hard_mask(citizen, today)
        lexical = lexical_scores(self.index, understanding)
        named = named_offers(self.index, text, list(lexical))
        if len(named):   # the names of offers are not the citizen's own needs
            understanding = read_themes(understanding, citizen.age,
                                        [name_core(self.index.records[p].name) for p in named])
        offer_features = OfferFeatures(self.index, understanding, citizen, self._origin(citizen),
                                       today, self.scorer.affinity, self.offers)
        words = word_signals(self.index, understanding, lexical, allowed)
        offer_features.add(words.pool)
        return WordsRead(understanding, allowed, named, words, offer_features)

    def rank(self, text: str, citizen: Citizen, k: int = 10, today: date | None = None,
             method: str = "full") -> Ranking:
        """The top ``k`` eligible offers for ``text`` by ``method`` (see ``METHODS``)."""
        today = today or date.today()
        rows, understanding = self.candidates(text, citizen, today)
        if method == "full":
            scores = self.scorer.score(rows.matrix)
            scores = scores + rule_scores(
                scores, self.offers.answered(rows.positions, understanding.barriers),
                rows.column("role_match"), self.offers.unconfirmed(rows.positions, today))
        elif method == "hybrid":
            scores = sum(rows.column(f"{name}_rrf") for name in ("dense", "bm25", "tfidf"))
        else:
            scores = rows.column(SINGLE_SIGNAL[method])
        # stable tie-break by catalogue position keeps rankings deterministic
        order = np.lexsort((rows.positions, -scores))
        if method == "full":
            needs, records = set(understanding.needs), self.index.records
            focus = self.offers.focus
            # offers about a stigmatised need the text does not speak of (in its words or in
            # meaning, ``semantic_needs``) come after all others
            spoken_of = (None, *needs, *understanding.semantic_needs)
            order = settle_places(order, np.array(
                [focus[p] not in spoken_of for p in rows.positions[order].tolist()], np.int64))
            order = diversify(order, scores, self.index.dense.vectors[rows.positions], k)[:k]
            order = settle_places(order, np.array(
                [place_tier(records[p], citizen, needs) for p in rows.positions[order]], np.int64))
        order = order[:k]
        return Ranking(rows.positions[order], scores[order], rows,
                       {int(p): i for i, p in enumerate(rows.positions)}, understanding)

    def suggest(self, text: str, citizen: Citizen, k: int = 10, today: date | None = None,
                now: datetime | None = None) -> Suggestions:
        """Ranked, explained suggestions grouped as prøvehandlinger, network and services."""
        now = now or datetime.now()
        today = today or now.date()
        ranking = self.rank(text, citizen, k, today)
        understanding = ranking.understanding
        citizen = dataclasses.replace(citizen.speaking(spoken_languages(text)[0]),
                                      barriers=understanding.barriers)
        surface = self.spelling.surface
        # the citizen's own spelling, else the catalogue's word for a repair: never a token
        query_terms = shown_words(understanding.text, understanding.corrections, surface)
        named_positions = {int(p) for p in ranking.rows.named}
        named = [self.index.records[p] for p in sorted(named_positions)]
        unavailable = [NamedOffer(offer, [v for v in hard_verdicts(offer, citizen, today) if not v.passed])
                       for p, offer in zip(sorted(named_positions), named) if p not in ranking.row_of]
        alike = self._most_like_named(ranking)
        origin, place = self._origin(citizen), self._place(citizen)
        items: list[Suggestion] = []
        offers = [self.index.records[int(p)] for p in ranking.positions]
        referrals = [check_referral(offer, citizen) for offer in offers]
        steps = first_steps(offers, [r.passed for r in referrals], understanding.barriers)
        for rank, (position, score) in enumerate(zip(ranking.positions, ranking.scores), start=1):
            position = int(position)
            offer, referral = offers[rank - 1], referrals[rank - 1]
            group = group_of(offer, referral, rank - 1 in steps)
            trial = None
            if group == "proevehandlinger":
                trial = draft_trial_step(offer, self.index.windows[position], now, citizen.busy,
                                         understanding.roles, steps.index(rank - 1) + 1)
            offer_terms = set(self.index.documents.terms[position]) - self.index.common_terms
            reasons = describe_match(
                set(understanding.needs), set(understanding.interests),
                self.index.needs.of(position) | set(offer.target_groups),
                self.index.interests.of(position),
                list(dict.fromkeys(w for t, w in query_terms.items() if t in offer_terms)))
            if position in alike and position not in named_positions:
                reasons.append(Reason("like_named", tuple(dict.fromkeys(n.name for n in named))))
            if not reasons:   # found by meaning alone: said without the similarity's number
                reasons.append(Reason("meaning_close"))
            reasons += bridge_reasons(offer, understanding.barriers)
            reasons += offer_facts(offer, citizen, shared_languages(offer, citizen))
            reasons.append(Reason("role", (role_of(offer, understanding.roles),)))
            rules = (hard_verdicts(offer, citizen, today) + [referral]
                     + soft_verdicts(offer, self.index.windows[position], citizen, origin))
            distance = (None if place is None or offer.lat is None or offer.lon is None
                        else float(distance_km(place[0], place[1], offer.lat, offer.lon)))
            items.append(Suggestion(offer, rank, float(score), group, reasons, rules, trial,
                                    distance))
        return Suggestions(items, sorted(understanding.needs), sorted(understanding.interests),
                           list(understanding.barriers),
                           typed_corrections(understanding.text, understanding.corrections, surface),
                           [n for n in unavailable if n.reasons])

    @staticmethod
    def _most_like_named(ranking: Ranking) -> set[int]:
        """The ``NAMED_ALIKE`` candidates most like an offer the text names, if alike enough."""
        if not len(ranking.rows.named):
            return set()
        similarity = ranking.rows.column("named_similarity")
        best = np.argsort(-similarity, kind="stable")[:NAMED_ALIKE]
        return {int(ranking.rows.positions[i]) for i in best if similarity[i] >= ALIKE_MIN}
