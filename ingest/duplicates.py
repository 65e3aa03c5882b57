"""Likely duplicate offers in one catalogue: alike names, and alike name + provider + address.

Two offers of one provider at one address are different offers unless their names look alike,
so names are compared first (all pairs, in chunks) and only those pairs compared in full.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process, utils

from catalogue.records import OfferRecord
from catalogue.vocab import fold_danish

CHUNK = 500  # rows of the score matrix at a time: CHUNK x len(records) bytes


def _normalised(text: str) -> str:
    return utils.default_process(fold_danish(text))


def likely_duplicates(records: list[OfferRecord], threshold: float = 90
                      ) -> list[tuple[str, str, float]]:
    """Pairs (first id, second id, score 0-100) that look like the same offer, sorted."""
    names = [_normalised(r.name) for r in records]
    places = [_normalised(f"{r.name} {r.provider} {r.address} {r.postcode}") for r in records]
    pairs = []
    for start in range(0, len(records), CHUNK):
        scores = process.cdist(names[start:start + CHUNK], names[start:],
                               scorer=fuzz.token_sort_ratio, score_cutoff=threshold,
                               dtype=np.uint8, workers=-1)
        rows, columns = np.nonzero(np.triu(scores, k=1))
        firsts, seconds = rows + start, columns + start
        full = process.cpdist([places[i] for i in firsts], [places[j] for j in seconds],
                              scorer=fuzz.token_sort_ratio, score_cutoff=threshold, workers=-1)
        for i, j, score in zip(firsts, seconds, full):
            if score:
                first, second = sorted((records[i].id, records[j].id))
                pairs.append((first, second, float(score)))
    return sorted(pairs)
