"""Barriers in, bridges out: what stands between a citizen and an offer, and what answers it.

A barrier is how, not what: "jeg tør ikke gå derhen alene", "I don't speak Danish", "jeg har
ikke råd". It is read from the citizen's words or given as a code (the search page's checkboxes,
the API's ``barriers=``, the guide's conversation), never becomes a need or a target group, and
leads to offers whose bridges answer it (``data/barriers.json``, the one table of both).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from catalogue.records import OfferRecord
from matcher.eligibility import is_free
from matcher.text import RAW_WORD, content_terms, fold

MAX_GAP = 2                    # other words allowed inside a phrase ("tør ikke gå derhen alene")
NEGATIONS = frozenset({"ikke", "ik", "aldrig", "not", "never", "no"})   # never inside a gap
FEARS = frozenset({"angst", "ingen_ledsager"})   # barriers of going there the first time
FREE = "gratis"                # the bridge of an offer that states it is free


@dataclass(frozen=True)
class Barrier:
    code: str
    label_da: str
    label_en: str
    bridges: tuple[str, ...]
    cut: bool                  # its phrases are left out of what the themes and meaning read
    phrases: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=100_000)   # the same words in every search
def loose(word: str) -> str:
    """A word with æøå, their folded spelling and their plain-keyboard spelling alike
    ("tør", "toer", "tor" -> "tor"; "råd", "raad", "rad" -> "rad")."""
    return fold(word).replace("aa", "a").replace("ae", "a").replace("oe", "o")


def _words(text: str) -> list[tuple[str, int, int]]:
    """(loose word, start, end) of each word of ``text``."""
    return [(loose(m.group(0)), m.start(), m.end()) for m in RAW_WORD.finditer(text)]


@lru_cache(maxsize=1)
def barrier_table() -> dict[str, Barrier]:
    """Code -> barrier, in the data file's order."""
    data = json.loads(resources.files("matcher").joinpath("data/barriers.json").read_text("utf-8"))
    return {code: Barrier(code, e["label_da"], e["label_en"], tuple(e["bridges"]), e["cut"],
                          tuple(tuple(w for w, _, _ in _words(p)) for p in e["phrases"]))
            for code, e in data.items() if not code.startswith("_")}


def barrier_codes() -> tuple[str, ...]:
    return tuple(barrier_table())


def _phrase_end(words: Sequence[str], start: int, phrase: tuple[str, ...]) -> int | None:
    """Index after the last word of ``phrase`` when it starts at ``start`` and its words follow
    in order with at most ``MAX_GAP`` other words, none a negation, in between."""
    position, gaps = start + 1, 0
    for wanted in phrase[1:]:
        while position < len(words) and words[position] != wanted:
            if words[position] in NEGATIONS or gaps == MAX_GAP:
                return None
            position, gaps = position + 1, gaps + 1
        if position >= len(words):
            return None
        position += 1
    return position


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for code, barrier in barrier_table().items():
        for phrase in barrier.phrases:
            by_first.setdefault(phrase[0], []).append((code, phrase))
    return by_first


def barrier_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(barrier code, start, end) of every barrier phrase in ``text``."""
    found = _words(text)
    words = [w for w, _, _ in found]
    spans = []
    for i, word in enumerate(words):
        for code, phrase in _phrases_by_first_word().get(word, ()):
            if (end := _phrase_end(words, i, phrase)) is not None:
                spans.append((code, found[i][1], found[end - 1][2]))
    return tuple(spans)


def split_barriers(text: str) -> tuple[tuple[str, ...], str]:
    """The barriers ``text`` names (in the table's order), and ``text`` with the phrases of the
    barriers that say how, not what (``Barrier.cut``), left out unless nothing else would be
    said: "I don't speak Danish and I am lonely" -> "I and I am lonely"; a barrier is a fact
    for the ranking, never a theme."""
    table, spans = barrier_table(), barrier_spans(text)
    named = {code for code, _, _ in spans}
    return tuple(code for code in table if code in named), _leave_out(
        text, sorted((s, e) for code, s, e in spans if table[code].cut))


def _leave_out(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    kept, at = [], 0
    for start, end in spans:
        if start > at:
            kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    rest = re.sub(r"\s+", " ", " ".join(kept)).strip()
    return rest if content_terms(rest) else text


def known_barriers(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes the table knows, in its order (the guide records more barriers than have a
    bridge: energy, health, housing)."""
    given = set(codes)
    return tuple(code for code in barrier_table() if code in given)


@lru_cache(maxsize=65_536)
def offer_bridges(offer: OfferRecord) -> tuple[str, ...]:
    """Every bridge of ``offer`` the table names: its low_threshold codes, its accessibility
    facts that answer a barrier, and ``gratis`` when it states that it is free."""
    answers = {b for barrier in barrier_table().values() for b in barrier.bridges}
    has = set(offer.low_threshold) | (set(offer.accessibility) & answers)
    if offer.cost and is_free(offer.cost):
        has.add(FREE)
    return tuple(b for b in (*offer.low_threshold, *sorted(has - set(offer.low_threshold))) if b in has)


def answering_bridges(offer: OfferRecord, barriers: Sequence[str]) -> tuple[str, ...]:
    """The bridges of ``offer`` that answer any of the citizen's ``barriers``."""
    table = barrier_table()
    wanted = {b for code in barriers if code in table for b in table[code].bridges}
    return tuple(b for b in offer_bridges(offer) if b in wanted)


def answered_barriers(offer: OfferRecord) -> frozenset[str]:
    """The barriers of the table that some bridge of ``offer`` answers."""
    has = set(offer_bridges(offer))
    return frozenset(code for code, barrier in barrier_table().items() if has & set(barrier.bridges))


def answered_share(offer: OfferRecord, barriers: Sequence[str]) -> float:
    """The share of the citizen's ``barriers`` that some bridge of ``offer`` answers (0 when
    the citizen named none)."""
    known = [code for code in barriers if code in barrier_table()]
    if not known:
        return 0.0
    answered = answered_barriers(offer)
    return sum(1 for code in known if code in answered) / len(known)


def answered_matrix(offers: Sequence[OfferRecord]) -> np.ndarray:
    """Offer x barrier (in the table's order): whether a bridge of the offer answers it, so
    ``answered_share`` of many offers is one look-up (``shares_answered``)."""
    codes = list(barrier_table())
    matrix = np.zeros((len(offers), len(codes)), bool)
    for row, offer in enumerate(offers):
        matrix[row, [codes.index(code) for code in answered_barriers(offer)]] = True
    return matrix


def shares_answered(matrix: np.ndarray, rows: np.ndarray, barriers: Sequence[str]) -> np.ndarray:
    """``answered_share`` of the offers at ``rows`` of ``answered_matrix``."""
    codes = list(barrier_table())
    known = [codes.index(code) for code in barriers if code in barrier_table()]
    if not known:
        return np.zeros(len(rows), np.float32)
    return matrix[np.ix_(rows, known)].mean(axis=1).astype(np.float32)


def threshold_ease(offer: OfferRecord, barriers: Sequence[str]) -> tuple[int, int]:
    """How low the threshold of ``offer`` is for this citizen: bridges answering their barriers,
    then all its bridges (higher is easier)."""
    return len(answering_bridges(offer, barriers)), len(offer_bridges(offer))
