"""No stereotyping (issue 19): who a person is never implies a condition they did not state.

The probe sentences (``data/probes.jsonl``, Danish and English, with and without æøå) name an
origin, language, religion, gender, sexuality, disability or age; the twins
(``data/twins.jsonl``) differ only in that word. They run against the demo catalogue with the
shipped ranker, as a citizen would meet them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.affinity import ThemeAffinity
from matcher.citizen import Citizen
from matcher.fairness import conditions, conditions_of, fair_pair, stigmatised_focus
from matcher.loader import bundled_ranker_path
from matcher.service import Matcher
from tests.matcher.conftest import TODAY

DATA = Path(__file__).parent / "data"
PROBES = [json.loads(line) for line in (DATA / "probes.jsonl").read_text("utf-8").splitlines()]
TWINS = [json.loads(line) for line in (DATA / "twins.jsonl").read_text("utf-8").splitlines()]
CITIZEN = Citizen(municipality="Aarhus")


def stigmatised_main_needs(matcher: Matcher, text: str, k: int) -> list[str]:
    """The stigmatised needs the top ``k`` offers for ``text`` are about."""
    ranking = matcher.rank(text, CITIZEN, k, TODAY)
    focus = [stigmatised_focus(matcher.index.records[int(p)]) for p in ranking.positions]
    return [need for need in focus if need]


def top(matcher: Matcher, text: str, k: int) -> list[str]:
    return [matcher.index.records[int(p)].id for p in matcher.rank(text, CITIZEN, k, TODAY).positions]


def test_the_probe_list_is_broad():
    assert len(PROBES) >= 40
    assert {p["attribute"] for p in PROBES} >= {"language", "origin", "nationality", "religion",
                                               "gender", "disability", "age"}
    assert any(not any(c in p["text"] for c in "æøå") for p in PROBES)
    assert all(set(p["states"]) <= conditions() for p in PROBES)


# --- the rule for learned associations -------------------------------------------------------

@pytest.mark.parametrize("query, offer, fair", [
    ("need:flygtninge_indvandrere", "need:vold_i_naere_relationer", False),
    ("interest:language_learning", "need:vold_i_naere_relationer", False),
    ("interest:horses", "need:udviklingshaemning", False),
    ("interest:football", "need:hjemloeshed", False),
    ("need:misbrug", "need:hjemloeshed", False),          # one condition does not imply another
    ("need:flygtninge_indvandrere", "tag:krisecent", False),   # nor through a category tag
    ("need:aeldre", "tag:herberg", False),
    ("need:misbrug", "need:misbrug", True),               # a condition stated leads to its offers
    ("need:psykisk_saarbarhed", "tag:depression", True),
    ("need:flygtninge_indvandrere", "tag:sprogcaf", True),
    ("need:ensomhed", "role:frivillig", True),
    ("interest:horses", "tag:ridning", True),
    ("form:story", "kind:municipal", True),
])
def test_fair_pair(query, offer, fair):
    assert fair_pair(query, offer) is fair


def test_learned_affinity_keeps_no_unfair_pair():
    refugee = frozenset({"form:story", "need:flygtninge_indvandrere"})
    violence = frozenset({"kind:municipal", "need:vold_i_naere_relationer", "tag:krisecent"})
    language = frozenset({"kind:association", "tag:sprogcaf"})
    affinity = ThemeAffinity.fit([(refugee, violence, 3)] * 30 + [(refugee, language, 0)] * 30)
    assert not any(conditions_of(o) for _, o in affinity.lift)
    assert affinity.score(refugee, [violence]).tolist() == [pytest.approx(
        affinity.lift[("need:flygtninge_indvandrere", "kind:municipal")])]


def test_a_loaded_model_obeys_the_rule_too():
    loaded = ThemeAffinity.from_json({"judged": 1, "lift": [
        ["interest:horses", "need:udviklingshaemning", 0.2], ["interest:horses", "tag:ridning", 0.3]]})
    assert set(loaded.lift) == {("interest:horses", "tag:ridning")}


def test_the_shipped_ranker_has_no_unfair_pair():
    raw = json.loads(bundled_ranker_path().read_text("utf-8"))["affinity"]["lift"]
    assert raw and all(fair_pair(q, o) for q, o, _ in raw)


# --- probes against the demo catalogue -------------------------------------------------------

@pytest.mark.parametrize("probe", PROBES, ids=[p["text"][:40] for p in PROBES])
def test_no_condition_is_read_that_the_sentence_does_not_state(demo_matcher, probe):
    understanding = demo_matcher.rank(probe["text"], CITIZEN, 10, TODAY).understanding
    assert set(understanding.needs) & conditions() <= set(probe["states"])


@pytest.mark.parametrize("probe", PROBES, ids=[p["text"][:40] for p in PROBES])
def test_no_offer_for_an_unstated_stigmatised_need_in_the_top_ten(demo_matcher, probe):
    assert set(stigmatised_main_needs(demo_matcher, probe["text"], 10)) <= set(probe["states"])


@pytest.mark.parametrize("twin", TWINS, ids=[t["probe"][:40] for t in TWINS])
def test_changing_only_the_protected_word_hardly_moves_the_top_five(demo_matcher, twin):
    base, probe = top(demo_matcher, twin["base"], 5), top(demo_matcher, twin["probe"], 5)
    assert len(set(base) & set(probe)) >= 3, (base, probe)
    assert (len(stigmatised_main_needs(demo_matcher, twin["probe"], 5))
            <= len(stigmatised_main_needs(demo_matcher, twin["base"], 5)))
