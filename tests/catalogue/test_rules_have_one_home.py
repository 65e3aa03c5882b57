"""One home for each catalogue rule: who counts as every municipality, and what each state is
called (the labels a listing, the statistics and an eligibility reason show)."""

from __future__ import annotations

import pytest

from catalogue.places import ALL_MUNICIPALITIES, means_all_municipalities, open_to_all
from catalogue.records import STATUSES
from catalogue.states import STATE_LABELS, STATES
from catalogue.vocab import codes, label


@pytest.mark.parametrize("municipalities, expected", [
    ((), True),
    (("alle",), True),
    (("Alle",), True),
    (("Aarhus", " ALLE "), True),
    (("Aarhus",), False),
    (("Aarhus Kommune", "Odense"), False),
    (("Allerød",), False),
])
def test_open_to_all(municipalities, expected):
    assert open_to_all(municipalities) is expected


def test_only_the_word_alle_means_every_municipality():
    assert means_all_municipalities("Alle") and means_all_municipalities(ALL_MUNICIPALITIES)
    assert not means_all_municipalities("Allerød")


def test_every_state_has_one_label_in_the_vocabulary():
    assert set(STATUSES) <= set(STATES) == codes("status")     # a stored status is a state
    assert STATE_LABELS["active"] == (label("status", "active"), "Active") == ("Aktivt", "Active")
    assert all(da and en and da != code for code, (da, en) in STATE_LABELS.items())
