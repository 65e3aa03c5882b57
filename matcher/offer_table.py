"""Column arrays of the catalogue for fast, vectorised hard-rule filtering.

``hard_mask`` is the vectorised twin of the hard rules in ``matcher.eligibility``; the tests
check on real and random data that both always agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

from catalogue import places
from catalogue.places import municipality_key
from catalogue.records import OfferRecord
from matcher.citizen import Citizen
from matcher.eligibility import municipality_variants

NO_MIN, NO_MAX = -1, 10_000
NO_END = date.max.toordinal()


@dataclass
class OfferTable:
    min_age: np.ndarray
    max_age: np.ndarray
    active: np.ndarray
    valid_to: np.ndarray
    open_to_all: np.ndarray
    members: dict[str, np.ndarray]

    @classmethod
    def build(cls, records: list[OfferRecord]) -> "OfferTable":
        members: dict[str, list[int]] = defaultdict(list)
        open_to_all = np.zeros(len(records), dtype=bool)
        for i, record in enumerate(records):
            keys = {municipality_key(m) for m in record.municipalities}
            if places.open_to_all(record.municipalities):
                open_to_all[i] = True
            for key in keys:
                members[key].append(i)
        return cls(
            min_age=np.array([NO_MIN if r.min_age is None else r.min_age for r in records], np.int32),
            max_age=np.array([NO_MAX if r.max_age is None else r.max_age for r in records], np.int32),
            active=np.array([r.status == "active" for r in records], dtype=bool),
            valid_to=np.array([NO_END if r.valid_to is None else r.valid_to.toordinal()
                               for r in records], np.int64),
            open_to_all=open_to_all,
            members={k: np.array(v, np.int64) for k, v in members.items()},
        )

    def hard_mask(self, citizen: Citizen, today: date) -> np.ndarray:
        """True where the offer passes every hard rule for this citizen today."""
        mask = self.active & (self.valid_to >= today.toordinal())
        if citizen.age is not None:
            mask &= (self.min_age <= citizen.age) & (citizen.age <= self.max_age)
        if citizen.municipality is not None:
            place = self.open_to_all.copy()
            for key in municipality_variants(citizen.municipality):
                place[self.members.get(key, [])] = True
            mask &= place
        return mask
