"""Every eligibility rule and its edges, as tables of cases."""

from datetime import date

import pytest

from catalogue.records import empty_record
from catalogue.schedule import parse_schedule
from matcher.citizen import Citizen
from matcher.eligibility import (check_accessibility, check_age, check_capacity, check_cost,
                                 check_distance, check_language, check_municipality,
                                 check_referral, check_schedule, check_status, check_valid_to,
                                 is_eligible)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("min_age, max_age, age, passed", [
    (18, None, 18, True),      # exactly at the lower limit
    (18, None, 17, False),
    (18, 29, 29, True),        # exactly at the upper limit
    (18, 29, 30, False),
    (None, None, 99, True),
    (65, None, 64, False),
    (18, 29, None, True),      # age unknown: shown, with a note
])
def test_age(min_age, max_age, age, passed):
    verdict = check_age(empty_record(id="x", min_age=min_age, max_age=max_age), Citizen(age=age))
    assert verdict.passed is passed
    assert verdict.da and verdict.en


@pytest.mark.parametrize("municipalities, citizen_municipality, passed", [
    (("Aarhus",), "Aarhus", True),
    (("Aarhus",), "Odense", False),
    (("Aarhus",), "aarhus kommune", True),   # written differently, same place
    (("alle",), "Esbjerg", True),
    (("Alle",), "Esbjerg", True),
    ((), "Esbjerg", True),                   # unknown restriction: no restriction
    (("Aarhus", "Odense"), "Odense", True),
    (("Aalborg",), None, True),              # municipality unknown: shown, with a note
    (("Københavns Kommune",), "København", True),   # the genitive s of the official name
    (("København",), "Københavns Kommune", True),
    (("Aarhus",), "Aarhus Kommune", True),
    (("Aars",), "Aarhus", False),
])
def test_municipality(municipalities, citizen_municipality, passed):
    offer = empty_record(id="x", municipalities=municipalities)
    assert check_municipality(offer, Citizen(municipality=citizen_municipality)).passed is passed


@pytest.mark.parametrize("valid_to, passed", [
    (None, True),
    (TODAY, True),                    # the last day still counts
    (date(2026, 11, 22), False),      # yesterday
    (date(2027, 1, 1), True),
])
def test_valid_to(valid_to, passed):
    assert check_valid_to(empty_record(id="x", valid_to=valid_to), TODAY).passed is passed


@pytest.mark.parametrize("status, passed", [("active", True), ("paused", False), ("ended", False)])
def test_status(status, passed):
    verdict = check_status(empty_record(id="x", status=status))
    assert verdict.passed is passed
    if not passed:
        assert status in verdict.en


@pytest.mark.parametrize("requires, has_referral, passed, penalised", [
    (True, False, False, True),
    (True, True, True, False),
    (False, False, True, False),
    (None, False, True, False),
])
def test_referral_marks_but_never_hides(requires, has_referral, passed, penalised):
    offer = empty_record(id="x", requires_referral=requires)
    verdict = check_referral(offer, Citizen(has_referral=has_referral))
    assert verdict.passed is passed
    assert (verdict.score < 0) is penalised
    assert is_eligible(offer, Citizen(has_referral=has_referral), TODAY)


@pytest.mark.parametrize("offer_languages, low_threshold, citizen_languages, passed", [
    (("da",), (), ("da",), True),
    (("da",), (), ("ar",), False),            # soft: a companion or interpreter can bridge it
    (("da",), ("uden_dansk",), ("ar",), True),
    ((), (), ("ar",), True),
    (("da", "ar"), (), ("ar",), True),
])
def test_language_is_soft(offer_languages, low_threshold, citizen_languages, passed):
    offer = empty_record(id="x", languages=offer_languages, low_threshold=low_threshold)
    verdict = check_language(offer, Citizen(languages=citizen_languages))
    assert verdict.passed is passed
    assert is_eligible(offer, Citizen(languages=citizen_languages), TODAY)


@pytest.mark.parametrize("offer_at, origin, passed, better_than_far", [
    ((56.1572, 10.2107), (56.1572, 10.2107), True, True),      # same place
    ((56.1572, 10.2107), (55.4038, 10.4024), False, False),    # Aarhus to Odense, ~85 km
    ((None, None), (56.1572, 10.2107), True, True),            # online
])
def test_distance(offer_at, origin, passed, better_than_far):
    offer = empty_record(id="x", lat=offer_at[0], lon=offer_at[1])
    verdict = check_distance(offer, origin)
    assert verdict.passed is passed
    assert (verdict.score > -0.6) is better_than_far


@pytest.mark.parametrize("offer_schedule, busy, passed", [
    ("tirsdage kl. 10-12", "man-fre 8-16", False),       # work comes first
    ("tirsdage kl. 17-19", "man-fre 8-16", True),
    ("lørdage kl. 10-13", "man-fre 8-16", True),
    ("mandag kl. 9-11 og torsdag kl. 18-20", "man-fre 8-16", True),
    ("efter aftale", "man-fre 8-16", True),              # unknown time never collides
    ("tirsdage kl. 16-18", "man-fre 8-16", True),        # touching, not overlapping
])
def test_schedule_collisions(offer_schedule, busy, passed):
    verdict = check_schedule(parse_schedule(offer_schedule), Citizen(busy=parse_schedule(busy)))
    assert verdict.passed is passed


def test_cost_accessibility_capacity():
    assert check_cost(empty_record(id="x", cost="gratis")).score == 0
    assert check_cost(empty_record(id="x", cost="50 kr. pr. gang")).score < 0
    wheelchair = Citizen(accessibility_needs=("koerestol",))
    assert check_accessibility(empty_record(id="x", accessibility=("koerestol",)), wheelchair).passed
    assert not check_accessibility(empty_record(id="x"), wheelchair).passed
    assert not check_capacity(empty_record(id="x", capacity="full")).passed
    assert check_capacity(empty_record(id="x", capacity="waitlist")).score < 0
