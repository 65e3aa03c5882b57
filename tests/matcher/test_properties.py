"""Properties that must hold for every citizen and every text: no ineligible offer is ever
returned, hard rules never cut the list short, and the same input gives the same ranking."""

from datetime import timedelta
from functools import lru_cache
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.demo import demo_catalogue_path
from catalogue.records import OfferRecord
from catalogue.schedule import Window, parse_schedule
from ingest.importer import read_catalogue
from matcher.citizen import Citizen
from matcher.eligibility import SOFT_RULES, distance_km, is_eligible, soft_scores, soft_verdicts
from tests.matcher.conftest import MUNICIPALITIES, TODAY

texts = st.sampled_from([
    "gæld", "gaeldsraadgivning", "jeg er ensom", "vil gerne passe dyr", "job i et køkken",
    "I want to sing", "angst", "et sted at sove", "", "xyzzy", "Borgeren er 23 år og drømmer om "
    "at arbejde med cykler, men har gæld og sover dårligt.",
])
citizens = st.builds(
    Citizen,
    age=st.one_of(st.none(), st.integers(min_value=16, max_value=90)),
    municipality=st.one_of(st.none(), st.sampled_from(MUNICIPALITIES + ["Vejle"])),
    has_referral=st.booleans(),
)
days = st.integers(min_value=-3, max_value=3).map(lambda d: TODAY + timedelta(days=d))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, citizen=citizens, today=days, k=st.sampled_from([1, 5, 10, 30]))
def test_never_returns_an_ineligible_offer(generated_matcher, text, citizen, today, k):
    ranking = generated_matcher.rank(text, citizen, k, today)
    records = generated_matcher.index.records
    returned = [records[int(p)] for p in ranking.positions]
    assert all(is_eligible(r, citizen, today) for r in returned)
    eligible = sum(is_eligible(r, citizen, today) for r in records)
    # hard rules filter before the cut: the list is only short when too few offers are eligible
    assert len(returned) == min(k, eligible)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(citizen=citizens, today=days)
def test_vectorised_mask_agrees_with_the_rules(generated_matcher, citizen, today):
    mask = generated_matcher.index.table.hard_mask(citizen, today)
    expected = [is_eligible(r, citizen, today) for r in generated_matcher.index.records]
    assert mask.tolist() == expected


def test_same_input_same_ranking(generated_matcher):
    citizen = Citizen(age=40, municipality="Aarhus")
    first = generated_matcher.rank("ensom og vil gerne synge", citizen, 10, TODAY)
    for _ in range(3):
        again = generated_matcher.rank("ensom og vil gerne synge", citizen, 10, TODAY)
        assert again.positions.tolist() == first.positions.tolist()
        assert again.scores.tolist() == first.scores.tolist()


def test_expired_yesterday_is_gone_but_last_day_is_shown(generated_matcher):
    records = generated_matcher.index.records
    last_day = [r for r in records if r.valid_to == TODAY and r.status == "active"
                and not r.min_age and not r.max_age]
    assert last_day, "the generated catalogue must contain an offer whose last day is today"
    mask_today = generated_matcher.index.table.hard_mask(Citizen(), TODAY)
    mask_tomorrow = generated_matcher.index.table.hard_mask(Citizen(), TODAY + timedelta(days=1))
    position = generated_matcher.index.positions[last_day[0].id]
    assert mask_today[position] and not mask_tomorrow[position]


busy_times = st.sampled_from(["", "man-fre 9-15", "tirsdage kl. 10-12", "onsdage kl. 18-20"])
rich_citizens = st.builds(
    Citizen,
    age=st.one_of(st.none(), st.integers(min_value=16, max_value=90)),
    has_referral=st.booleans(),
    languages=st.sampled_from([(), ("da",), ("ar",), ("uk",), ("en", "da")]),
    accessibility_needs=st.sampled_from([(), ("koerestol",), ("koerestol", "hoereslynge")]),
    busy=busy_times.map(parse_schedule),
)
origins = st.one_of(st.none(), st.tuples(st.floats(55.0, 57.5), st.floats(8.0, 12.6)))


@lru_cache(maxsize=1)
def demo_offers() -> list[tuple[OfferRecord, tuple[Window, ...]]]:
    records, _ = read_catalogue(demo_catalogue_path(), source="test")
    return [(r, parse_schedule(r.schedule)) for r in records]


@settings(max_examples=60, deadline=None)
@given(citizen=rich_citizens, origin=origins)
def test_soft_scores_agree_with_the_soft_rules(citizen, origin):
    """Ranking scores every candidate with ``soft_scores``; people read ``soft_verdicts``."""
    for record, windows in demo_offers():
        verdicts = soft_verdicts(record, windows, citizen, origin)
        assert [v.rule for v in verdicts] == list(SOFT_RULES)
        km = (None if origin is None or record.lat is None or record.lon is None
              else distance_km(origin[0], origin[1], record.lat, record.lon))
        assert list(soft_scores(record, windows, citizen, km)) == [v.score for v in verdicts]


@pytest.mark.parametrize("catalogue", ["generated_matcher", "demo_matcher"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(citizen=rich_citizens, origin=origins)
def test_every_candidate_is_scored_by_the_soft_rules_all_at_once_or_one_by_one(
        request, catalogue, citizen, origin):
    """The candidates' scores at once (from each offer's own, when the rules read only the
    citizen's place, else from one offer of each kind) are the scores ``soft_scores`` gives
    offer by offer; the demo's offers differ in languages, costs, access and capacity."""
    matcher = request.getfixturevalue(catalogue)
    index, offers = matcher.index, matcher.offers
    positions = np.arange(index.size)
    for asked in (citizen, Citizen(age=citizen.age, municipality=citizen.municipality,
                                   has_referral=citizen.has_referral, lat=citizen.lat, lon=citizen.lon)):
        expected = [soft_scores(index.records[p], index.windows[p], asked,
                                None if origin is None or index.records[p].lat is None
                                else distance_km(origin[0], origin[1], index.records[p].lat,
                                                 index.records[p].lon))
                    for p in positions.tolist()]
        assert offers.soft_scores(index, positions, asked, origin).tolist() == \
            [list(row) for row in expected]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(citizen=rich_citizens, origin=origins, text=texts)
def test_an_offers_features_are_its_own_whether_computed_for_all_offers_or_asked_for_later(
        generated_matcher, citizen, origin, text):
    """``OfferFeatures`` computes most features for every offer while the query encodes and the
    rest when a candidate is asked for: each row is what the rules give that offer alone."""
    from rapidfuzz import fuzz

    from matcher.features import OFFER_FEATURES, OfferFeatures
    from matcher.text import fold
    from matcher.understand import read_themes, spell

    index, matcher = generated_matcher.index, generated_matcher
    understanding = read_themes(spell(text, matcher.spelling), citizen.age)
    positions = np.random.default_rng(len(text)).permutation(index.size)
    every = []
    for up_to in (index.size, 0):     # every offer at once, or a large catalogue's candidates
        with mock.patch("matcher.features.EVERY_OFFER_UP_TO", up_to):
            features = OfferFeatures(index, understanding, citizen, origin, TODAY,
                                     matcher.scorer.affinity, matcher.offers)
        features.add(positions[:10])             # found by words, while the query encodes
        every.append(features.of(positions[5:25]))   # then the candidates, some asked before
    assert np.array_equal(*every)
    rows = every[0]
    column = {name: rows[:, i] for i, name in enumerate(OFFER_FEATURES)}
    for row, p in enumerate(positions[5:25].tolist()):
        record = index.records[p]
        km = (None if origin is None or record.lat is None
              else distance_km(origin[0], origin[1], record.lat, record.lon))
        own = soft_scores(record, index.windows[p], citizen, km)
        assert [column[rule][row] for rule in SOFT_RULES] == list(np.float32(own))
        assert column["fuzzy_name"][row] == np.float32(
            fuzz.token_set_ratio(fold(understanding.repaired_text), fold(record.name)) / 100.0)
        assert column["role_match"][row] == bool(understanding.roles & set(record.roles))
        assert column["referral_blocked"][row] == (record.requires_referral and not citizen.has_referral)


def test_the_role_wished_is_matched_for_every_offer_at_once_as_offer_by_offer(demo_matcher):
    records = demo_matcher.index.records
    for wished in (frozenset(), frozenset({"frivillig"}), frozenset({"job", "frivillig"}),
                   frozenset({"ukendt"})):
        has = demo_matcher.offers.plays_a_role(wished)
        assert has.tolist() == [bool(wished & set(r.roles)) for r in records], wished
        assert has.any() == bool(wished - {"ukendt"})


def test_shown_suggestions_carry_every_rule_with_its_reason(generated_matcher):
    """Reasons are written for the suggestions shown, the same rules as before in the same order."""
    citizen = Citizen(age=40, municipality="Aarhus", languages=("dansk",),
                      busy=parse_schedule("man-fre 9-15"), lat=56.15, lon=10.2)
    suggestions = generated_matcher.suggest("ensom og vil gerne synge", citizen, 5, TODAY)
    index = generated_matcher.index
    for item in suggestions.items:
        position = index.positions[item.offer.id]
        assert [v.rule for v in item.rules] == ["age", "municipality", "status", "valid_to",
                                                "referral", *SOFT_RULES]
        assert item.rules[5:] == soft_verdicts(item.offer, index.windows[position], citizen,
                                               (56.15, 10.2))
        assert all(v.da and v.en for v in item.rules)
