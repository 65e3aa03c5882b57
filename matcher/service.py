"""``Matcher``: the one entry point the web UI, the JSON API, the CLI and the evaluation share."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from matcher.citizen import Citizen
from matcher.encoder import Encoder, leaves_a_core_free
from matcher.features import CandidateRows, OfferColumns, OfferFeatures, build_features
from matcher.helpers import helper_threads
from matcher.index import CatalogueIndex
from matcher.barriers import known_barriers, split_barriers
from matcher.rank import LinearScorer, diversify, fusion_scorer, rule_scores, settle_places
from matcher.retrieve import lexical_scores, name_core, named_offers, retrieve, word_signals
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


class TextTooLong(ValueError):
    """A search text over ``MAX_TEXT_CHARS``: refused before any work is done."""

    def __init__(self, length: int):
        super().__init__(f"Teksten er for lang: {length} tegn, højst {MAX_TEXT_CHARS} / "
                         f"the text is too long: {length} characters, at most {MAX_TEXT_CHARS}")


def encode_aside(encoder: Encoder, text: str) -> Future:
    """The query's vector, computed in an encoding thread; returns once the encoding proper has
    begun. Until then the encoding thread needs the GIL, and a caller going straight on to its
    own Python work would keep it from starting for up to ``sys.getswitchinterval()`` (5 ms):
    the two would run one after the other instead of side by side. When the encoding uses every
    core (``leaves_a_core_free``) it is done here and now: work beside it would only slow it."""
    if not leaves_a_core_free():
        done: Future = Future()
        try:
            done.set_result(encoder.encode_queries([text]))
        except Exception as error:   # handed on as an aside encoding's would be
            done.set_exception(error)
        return done
    started = threading.Event()
    encoding = helper_threads().submit(encoder.encode_queries, [text], started.set)
    encoding.add_done_callback(lambda _: started.set())    # also when it fails before starting
    started.wait()
    return encoding


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
        # the encoder releases the GIL: encode while the themes and lexical signals are read
        encoding = encode_aside(self.encoder, dense_text(spelled.dense_text or text, self.encoder.fits))
        understanding = read_themes(spelled, citizen.age)
        allowed = self.index.table.hard_mask(citizen, today)
        lexical = lexical_scores(self.index, understanding)
        named = named_offers(self.index, text, list(lexical))
        if len(named):   # the names of offers are not the citizen's own needs
            understanding = read_themes(understanding, citizen.age,
                                        [name_core(self.index.records[p].name) for p in named])
        # while the encoder works: what each lexical candidate's offer brings to the ranking
        offer_features = OfferFeatures(self.index, understanding, citizen, self._origin(citizen),
                                       today, self.scorer.affinity, self.offers)
        words = word_signals(self.index, understanding, lexical, allowed)
        offer_features.add(words.pool)
        query_vector = encoding.result()[0]
        understanding = dataclasses.replace(
            understanding,
            semantic_needs=self.index.need_vectors.weights(query_vector),
            semantic_interests=self.index.interest_vectors.weights(query_vector))
        signals = retrieve(self.index, words, understanding, query_vector, allowed, named)
        rows = build_features(signals, offer_features)
        return rows, understanding

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
