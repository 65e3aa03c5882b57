"""Properties that must hold for every citizen and every text: no ineligible offer is ever
returned, hard rules never cut the list short, and the same input gives the same ranking."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.citizen import Citizen
from matcher.eligibility import is_eligible
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
