"""Likely duplicate offers in one catalogue: alike names, and alike name + provider + address.

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


def likely_duplicates(records: list[OfferRecord], threshold: float = 90
                      ) -> list[tuple[str, str, float]]:
    """Pairs (first id, second id, score 0-100) that look like the same offer, sorted."""
    names = [_sorted_words(r.name) for r in records]
    places = [_sorted_words(f"{r.name} {r.provider} {r.address} {r.postcode}") for r in records]
    pairs = []
    for start in range(0, len(records), CHUNK):
        scores = process.cdist(names[start:start + CHUNK], names[start:], scorer=fuzz.ratio,
                               score_cutoff=threshold, dtype=np.uint8, workers=-1)
        rows, columns = np.nonzero(np.triu(scores, k=1))
        firsts, seconds = rows + start, columns + start
        full = process.cpdist([places[i] for i in firsts], [places[j] for j in seconds],
                              scorer=fuzz.ratio, score_cutoff=threshold, workers=-1)
        for k in np.flatnonzero(full):
            first, second = sorted((records[firsts[k]].id, records[seconds[k]].id))
            pairs.append((first, second, round(float(full[k]), 1)))
    return sorted(pairs)
