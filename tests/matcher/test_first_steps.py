"""First steps that can happen (issue 19): a full offer is never first nor a first step, a
waitlisted one is never "go there the first time", and without a known age an offer only for an
age group comes after the open ones unless the text points to that age."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from catalogue.records import empty_record
from matcher.citizen import Citizen
from matcher.eligibility import Verdict, age_group, can_start_now, place_tier
from matcher.rank import settle_places
from matcher.suggestions import first_steps, group_of
from tests.matcher.conftest import TODAY

PASSED = Verdict("referral", True, "", "")
UNKNOWN_AGE, AGE_70 = Citizen(), Citizen(age=70)


@pytest.mark.parametrize("min_age, max_age, group", [
    (None, None, None), (18, None, None), (16, None, None), (18, 64, None), (25, 65, None),
    (65, None, "aeldre"), (60, None, "aeldre"), (50, 67, "aeldre"),
    (18, 24, "unge"), (18, 30, "unge"), (16, 35, "unge"),
])
def test_age_group(min_age, max_age, group):
    assert age_group(empty_record(id="x", min_age=min_age, max_age=max_age)) == group


@pytest.mark.parametrize("capacity, now", [
    ("open", True), ("unknown", True), ("waitlist", False), ("full", False)])
def test_can_start_now(capacity, now):
    assert can_start_now(empty_record(id="x", capacity=capacity)) is now


@pytest.mark.parametrize("capacity, min_age, citizen, needs, tier", [
    ("open", 18, UNKNOWN_AGE, set(), 0),
    ("waitlist", 18, UNKNOWN_AGE, set(), 0),        # waitlisted: lower by its score, not moved
    ("full", 18, UNKNOWN_AGE, set(), 2),
    ("full", 65, AGE_70, set(), 2),
    ("open", 65, UNKNOWN_AGE, set(), 1),            # 65+ and no age known: after the open ones
    ("open", 65, UNKNOWN_AGE, {"aeldre"}, 0),       # ... unless the text says "pensionist"
    ("open", 65, AGE_70, set(), 0),                 # a known age settles it (hard rule)
    ("waitlist", 65, UNKNOWN_AGE, set(), 1),
])
def test_place_tier(capacity, min_age, citizen, needs, tier):
    offer = empty_record(id="x", capacity=capacity, min_age=min_age)
    assert place_tier(offer, citizen, needs) == tier


def test_settle_places_keeps_the_ranking_within_each_tier():
    order = np.array([7, 3, 9, 1, 4])
    assert settle_places(order, np.array([2, 0, 1, 0, 0])).tolist() == [3, 1, 4, 9, 7]


@pytest.mark.parametrize("capacities, steps", [
    (["open"] * 5, [0, 1, 2]), (["full", "open", "waitlist", "open"], [1, 3]),
    (["waitlist", "full"], [])])
def test_only_an_offer_one_can_go_to_now_is_a_first_step(capacities, steps):
    offers = [empty_record(id=f"x{i}", kind="association", capacity=c) for i, c in enumerate(capacities)]
    assert first_steps(offers, [True] * len(offers)) == steps
    assert [group_of(o, PASSED, i in steps) for i, o in enumerate(offers)] == [
        "proevehandlinger" if i in steps else "network" for i in range(len(offers))]


# --- on the demo catalogue -----------------------------------------------------------------

def test_lonely_without_an_age_does_not_get_an_age_group_offer_first(demo_matcher):
    for text in ("ensom, vil gerne møde nogen", "lonely, want to meet people"):
        first = demo_matcher.suggest(text, Citizen(), today=TODAY).items[0].offer
        assert age_group(first) is None, first.name


def test_a_text_that_points_to_the_age_may_get_a_senior_offer_first(demo_matcher):
    ranking = demo_matcher.rank("pensionist, ensom, vil gerne møde nogen", Citizen(), 20, TODAY)
    groups = [age_group(demo_matcher.index.records[int(p)]) for p in ranking.positions]
    assert groups[0] == "aeldre"
    youth = groups.index("unge")   # offers for the young still come after all the others
    assert groups[youth:] == ["unge"] * groups.count("unge")


def test_a_full_shelter_is_never_first(demo_matcher):
    for citizen in (Citizen(), Citizen(age=40, municipality="Aarhus"), Citizen(municipality="Odense")):
        items = demo_matcher.suggest("herberg og et sted at sove", citizen, today=TODAY).items
        assert items[0].offer.capacity != "full", items[0].offer.name
        assert all(s.offer.capacity != "full" for s in items if s.trial_step is not None)


def test_a_waitlisted_offer_is_never_a_first_time_step(demo_matcher):
    now = datetime(2026, 11, 23, 9, 0)
    for text in ("ensom, vil gerne møde nogen", "bostøtte", "samtalegruppe om depression",
                 "herberg og et sted at sove"):
        for item in demo_matcher.suggest(text, Citizen(), today=TODAY, now=now).items:
            if item.offer.capacity in ("waitlist", "full"):
                assert item.trial_step is None and item.group != "proevehandlinger", item.offer.name
