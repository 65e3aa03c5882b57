"""Likely duplicate offers: within one file, and against the stored catalogue across sources.
Alike names, and alike name + provider + address.

Two offers of one provider at one address are different offers unless their names look alike,
so names are compared first (all pairs, in chunks) and only those pairs compared in full.
Scores are rapidfuzz's token sort ratio: words are sorted once here, then compared by ``ratio``.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process, utils

from catalogue.records import OfferRecord
from catalogue.vocab import fold_danish

CHUNK = 1000  # rows of the score matrix at a time: CHUNK x len(records) bytes


def _sorted_words(text: str) -> str:
    return " ".join(sorted(utils.default_process(fold_danish(text)).split()))


def _keys(records: list[OfferRecord]) -> tuple[list[str], list[str]]:
    """What is compared: the name, and the name with provider and address."""
    return ([_sorted_words(r.name) for r in records],
            [_sorted_words(f"{r.name} {r.provider} {r.address} {r.postcode}") for r in records])


def _alike(left: list[OfferRecord], right: list[OfferRecord] | None, threshold: float):
    """(i, j, score) for each ``left[i]`` that looks like ``right[j]``; with ``right`` None,
    pairs within ``left``, each once."""
    names, places = _keys(left)
    other_names, other_places = (names, places) if right is None else _keys(right)
    for start in range(0, len(left), CHUNK):
        offset = start if right is None else 0
        scores = process.cdist(names[start:start + CHUNK], other_names[offset:], scorer=fuzz.ratio,
                               score_cutoff=threshold, dtype=np.uint8, workers=-1)
        rows, columns = np.nonzero(np.triu(scores, k=1) if right is None else scores)
        firsts, seconds = rows + start, columns + offset
        full = process.cpdist([places[i] for i in firsts], [other_places[j] for j in seconds],
                              scorer=fuzz.ratio, score_cutoff=threshold, workers=-1)
        for k in np.flatnonzero(full):
            yield int(firsts[k]), int(seconds[k]), round(float(full[k]), 1)


def likely_duplicates(records: list[OfferRecord], threshold: float = 90
                      ) -> list[tuple[str, str, float]]:
    """Pairs (first id, second id, score 0-100) that look like the same offer, sorted."""
    return sorted((*sorted((records[i].id, records[j].id)), score)
                  for i, j, score in _alike(records, None, threshold))


def alike_pairs(records: list[OfferRecord], threshold: float = 90
                ) -> list[tuple[int, int, float]]:
    """(i, j, score) for every pair of ``records`` that looks like the same offer, best first."""
    return sorted(_alike(records, None, threshold), key=lambda pair: (-pair[2], pair[0], pair[1]))


def alike_in_catalogue(incoming: list[OfferRecord], stored: list[OfferRecord],
                       threshold: float = 90) -> list[tuple[OfferRecord, OfferRecord, float]]:
    """(incoming, stored, score) where an incoming offer looks like one already in the catalogue
    under another source or id: the same offer listed twice, across sources."""
    own = {(r.source, r.id) for r in incoming}
    others = [r for r in stored if (r.source, r.id) not in own and r.status != "ended"]
    return sorted(((incoming[i], others[j], score) for i, j, score in _alike(incoming, others, threshold)),
                  key=lambda pair: (pair[0].id, pair[1].source, pair[1].id))
