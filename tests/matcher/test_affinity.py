"""Theme affinity: learned from judged examples, readable, stored with the ranker."""

import numpy as np

from matcher.affinity import ThemeAffinity, offer_tokens, query_tokens
from matcher.features import FEATURES
from matcher.rank import LinearScorer
from matcher.understand import Understanding
from catalogue.records import empty_record

LONELY = frozenset({"form:story", "need:ensomhed"})
VOLUNTEER = frozenset({"kind:association", "role:frivillig"})
JOB = frozenset({"kind:social_economy", "role:job"})


def judged_examples():
    """Lonely citizens found volunteer roles good and jobs poor, many times over."""
    return [(LONELY, VOLUNTEER, 3)] * 20 + [(LONELY, JOB, 0)] * 20


def test_it_learns_which_offers_suited_whom():
    affinity = ThemeAffinity.fit(judged_examples())
    assert affinity.lift[("need:ensomhed", "role:frivillig")] > 0.3
    assert affinity.lift[("need:ensomhed", "role:job")] < -0.3
    volunteer, job, unknown = affinity.score(LONELY, [VOLUNTEER, JOB, frozenset({"kind:municipal"})])
    assert volunteer > 0 > job and unknown == 0


def test_a_single_example_moves_it_little():
    one = ThemeAffinity.fit([(LONELY, VOLUNTEER, 3), (LONELY, JOB, 0)])
    many = ThemeAffinity.fit(judged_examples())
    pair = ("need:ensomhed", "role:frivillig")
    assert 0 < one.lift[pair] < many.lift[pair]


def test_without_examples_it_is_silent():
    empty = ThemeAffinity.fit([])
    assert empty.score(LONELY, [VOLUNTEER]).tolist() == [0.0]


def test_traits_of_query_and_offer():
    understanding = Understanding("Jeg er ensom og vil gerne male", "", "",
                                  needs={"ensomhed": {"ensom"}}, interests={"art_painting": {"male"}})
    assert query_tokens(understanding) == {"form:story", "need:ensomhed", "interest:art_painting"}
    record = empty_record(id="x", kind="association", target_groups=("ensomhed",), roles=("frivillig",),
                   low_threshold=("anonym",), requires_referral=True,
                   categories=("Samtalegrupper", "beskyttet beskæftigelse"))
    assert offer_tokens(record, frozenset({"aeldre"}), frozenset({"art_painting"})) == {
        "kind:association", "need:ensomhed", "need:aeldre", "interest:art_painting",
        "role:frivillig", "threshold:anonym", "referral", "tag:samtalegrup",
        "tag:beskyt beskaeftig"}


def test_a_trait_no_example_had_changes_nothing():
    # another municipality tags its offers in its own words: those tags must not dilute
    affinity = ThemeAffinity.fit(judged_examples())
    with_new_tag = VOLUNTEER | {"tag:strikkecafe"}
    assert affinity.score(LONELY, [VOLUNTEER, with_new_tag]).tolist() == \
        [affinity.score(LONELY, [VOLUNTEER])[0]] * 2


def test_it_is_stored_with_the_ranker(tmp_path):
    affinity = ThemeAffinity.fit(judged_examples())
    n = len(FEATURES)
    scorer = LinearScorer(np.ones(n, np.float32), np.zeros(n, np.float32), np.ones(n, np.float32),
                          "learned", affinity)
    scorer.with_provenance({"test": True}).to_json(tmp_path / "ranker.json")
    again = LinearScorer.from_json(tmp_path / "ranker.json")
    assert again.affinity.judged == 40
    assert np.allclose(again.affinity.score(LONELY, [VOLUNTEER, JOB]),
                       affinity.score(LONELY, [VOLUNTEER, JOB]), atol=1e-4)
