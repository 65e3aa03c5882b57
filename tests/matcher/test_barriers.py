"""Barriers in, bridges out; listings that stay true; giving as well as receiving (issue 22).

Twin offers differ in one field only, among the generated catalogue's offers, so whatever puts
one twin above the other is that field. Barrier phrasings (``data/barrier_probes.jsonl``, Danish
and English, with and without æøå) are read as barriers and never as a need or target group.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import pytest

from casework.suggest import matcher_query
from casework.vocab import codes as casework_codes
from catalogue.records import OfferRecord, empty_record
from catalogue.vocab import codes as catalogue_codes
from matcher.barriers import (FREE, answered_share, answering_bridges, barrier_table,
                              offer_bridges, split_barriers)
from matcher.citizen import Citizen
from matcher.fairness import conditions
from matcher.index import build_index
from matcher.service import Matcher
from matcher.suggestions import ROLES, Reason, first_steps
from tests.matcher.conftest import TODAY, generated_catalogue
from webui.reasons import BRIDGES, reason_text

DATA = Path(__file__).parent / "data"
PROBES = [json.loads(line) for line in (DATA / "barrier_probes.jsonl").read_text("utf-8").splitlines()
          if line.strip()]
CITIZEN = Citizen(municipality="Aarhus")
KNITTING = OfferRecord(
    id="twin", name="Strikkeklubben Maskeriet", kind="association",
    description="Vi strikker og hækler sammen hver tirsdag og drikker kaffe. Alle kan være med.",
    target_groups=("alle",), municipalities=("Aarhus",), roles=("deltager",), capacity="open",
    schedule="tirsdage kl. 14-16", assured_date=TODAY - timedelta(days=30))


def twin_matcher(encoder, *twins: OfferRecord) -> Matcher:
    index, _ = build_index([*generated_catalogue(40), *twins], encoder, "twins")
    return Matcher(index, encoder)


def ranked_ids(matcher: Matcher, text: str, citizen: Citizen = CITIZEN) -> list[str]:
    return [matcher.index.records[int(p)].id for p in matcher.rank(text, citizen, 10, TODAY).positions]


def twins(**changed) -> tuple[OfferRecord, OfferRecord]:
    """The plain twin and the one with ``changed`` fields."""
    return (dataclasses.replace(KNITTING, id="plain"),
            dataclasses.replace(KNITTING, id="changed", **changed))


# --- twins ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, citizen", [
    ("Jeg vil gerne strikke, men jeg tør ikke gå derhen alene", CITIZEN),
    ("I would like to knit but I am afraid to go alone", CITIZEN),
    ("strikning", dataclasses.replace(CITIZEN, barriers=("angst",))),   # a ticked box
])
def test_a_fearful_citizens_bridged_twin_ranks_above_the_plain_twin(encoder, text, citizen):
    plain, bridged = twins(low_threshold=("ledsager",))
    matcher = twin_matcher(encoder, plain, bridged)
    order = ranked_ids(matcher, text, citizen)
    assert order.index("changed") < order.index("plain")
    found = matcher.suggest(text, citizen, 10, TODAY)
    reasons = next(s.reasons for s in found.items if s.offer.id == "changed")
    assert Reason("bridge", ("ledsager",)) in reasons
    assert [reason_text(r, "da") for r in reasons if r.code == "bridge"] == ["Du kan tage en med første gang"]
    assert [reason_text(r, "en") for r in reasons if r.code == "bridge"] == [
        "You can bring someone the first time"]
    assert found.understood_barriers == ["angst"]


def test_the_bridge_counts_for_the_citizen_whose_barrier_it_answers(encoder):
    plain, bridged = twins(low_threshold=("ledsager",))
    matcher = twin_matcher(encoder, plain, bridged)

    def gap(citizen: Citizen) -> float:
        found = matcher.suggest("Jeg vil gerne strikke", citizen, 10, TODAY)
        scores = {s.offer.id: s.score for s in found.items}
        return scores["changed"] - scores["plain"]

    assert gap(dataclasses.replace(CITIZEN, barriers=("angst",))) > gap(CITIZEN) + 0.1
    assert gap(dataclasses.replace(CITIZEN, barriers=("sprog",))) == pytest.approx(gap(CITIZEN))
    found = matcher.suggest("Jeg vil gerne strikke", CITIZEN, 10, TODAY)
    assert not any(r.code == "bridge" for s in found.items for r in s.reasons)


def test_a_full_twin_sits_below_its_open_twin_and_is_never_first(encoder):
    plain, full = twins(capacity="full")
    order = ranked_ids(twin_matcher(encoder, plain, full), "Jeg vil gerne strikke")
    assert order[0] == "plain" and order.index("changed") > order.index("plain")
    alone = ranked_ids(twin_matcher(encoder, full), "Jeg vil gerne strikke")
    assert alone[0] != "changed"


def test_a_confirmed_twin_ranks_above_one_unconfirmed_for_two_years(encoder):
    confirmed, old = twins(assured_date=TODAY - timedelta(days=730))
    order = ranked_ids(twin_matcher(encoder, confirmed, old), "Jeg vil gerne strikke")
    assert order.index("plain") < order.index("changed")
    never, _ = twins()
    never = dataclasses.replace(never, id="changed", assured_date=None)
    order = ranked_ids(twin_matcher(encoder, twins()[0], never), "Jeg vil gerne strikke")
    assert order.index("plain") < order.index("changed")


def test_a_citizen_who_wants_to_give_gets_the_volunteer_twin_first_and_the_role_named(encoder):
    plain, giving = twins(roles=("deltager", "frivillig"))
    matcher = twin_matcher(encoder, plain, giving)
    text = "Jeg vil gerne hjælpe andre med at strikke"
    order = ranked_ids(matcher, text)
    assert order.index("changed") < order.index("plain")
    roles = {s.offer.id: [r.values for r in s.reasons if r.code == "role"]
             for s in matcher.suggest(text, CITIZEN, 10, TODAY).items}
    assert roles["changed"] == [("frivillig",)] and roles["plain"] == [("deltager",)]


def test_the_first_step_for_a_fearful_citizen_is_the_lowest_threshold_fit(encoder):
    plain, easy = twins(low_threshold=("ledsager", "modtagelse", "proevegang"))
    found = twin_matcher(encoder, plain, easy).suggest(
        "strikning", dataclasses.replace(CITIZEN, barriers=("angst",)), 10, TODAY)
    steps = found.group("proevehandlinger")
    assert steps[0].offer.id == "changed" and steps[0].trial_step.order == 1
    assert steps[0].trial_step.companion == "companion_welcome"


def test_first_steps_puts_the_easiest_first_only_for_a_fearful_citizen():
    offers = [empty_record(id="a"), empty_record(id="b", low_threshold=("modtagelse",)),
              empty_record(id="c", low_threshold=("ledsager", "modtagelse")),
              empty_record(id="d", low_threshold=("ledsager",), capacity="full")]
    usable = [True] * 4
    assert first_steps(offers, usable) == [0, 1, 2]
    assert first_steps(offers, usable, ("angst",)) == [2, 0, 1]
    assert first_steps(offers, usable, ("sprog",)) == [0, 1, 2]


# --- on the demo catalogue --------------------------------------------------------------------

@pytest.mark.parametrize("text", ["jeg vil gerne hjælpe andre", "jeg vil gerne hjaelpe andre",
                                  "I want to volunteer", "Jeg er ensom og vil gerne hjælpe andre",
                                  "I would like to do something for others"])
def test_a_citizen_who_wants_to_help_others_gets_a_volunteer_role_in_the_top_5(demo_matcher, text):
    top = demo_matcher.suggest(text, Citizen(), 5, TODAY).items
    assert any("frivillig" in s.offer.roles for s in top), text
    assert any(Reason("role", ("frivillig",)) in s.reasons for s in top), text


def test_a_citizen_who_wants_to_work_gets_job_trials_saying_so(demo_matcher):
    top = demo_matcher.suggest("jeg vil gerne arbejde", Citizen(age=40), 5, TODAY).items
    assert sum(Reason("role", ("job",)) in s.reasons for s in top) >= 3


def test_every_suggestion_says_whether_it_is_taking_part_giving_or_working(demo_matcher):
    for text in ("ensom, vil gerne møde nogen", "I want to volunteer", "jeg vil gerne arbejde"):
        for s in demo_matcher.suggest(text, Citizen(age=40), 10, TODAY).items:
            roles = [r for r in s.reasons if r.code == "role"]
            assert len(roles) == 1 and roles[0].values[0] in ROLES
            assert reason_text(roles[0], "da") != reason_text(roles[0], "en")


def test_not_speaking_danish_is_a_barrier_answered_by_a_bridge_never_a_target_group(demo_matcher):
    for text in ("I don't speak Danish and I am lonely", "jeg taler ikke så godt dansk og er ensom",
                 "jeg taler ikke sa godt dansk og er ensom"):
        found = demo_matcher.suggest(text, Citizen(), 10, TODAY)
        assert found.understood_barriers == ["sprog"], text
        assert found.understood_needs == ["ensomhed"], text
        assert answering_bridges(found.items[0].offer, ("sprog",)), text


# --- the vocabulary ---------------------------------------------------------------------------

def test_the_barrier_phrasings_are_read_in_danish_and_english_with_and_without_aeoeaa():
    assert len(PROBES) >= 40
    assert {p["language"] for p in PROBES} == {"da", "en"}
    assert any(not any(c in p["text"] for c in "æøå") and p["language"] == "da" for p in PROBES)
    assert set(barrier_table()) <= {code for p in PROBES for code in p["barriers"]}
    for probe in PROBES:
        assert split_barriers(probe["text"])[0] == tuple(probe["barriers"]), probe["text"]


def test_a_barrier_phrase_is_never_read_as_a_condition_or_target_group(demo_matcher):
    """Never a target group; and no condition either, except where the citizen states one in
    the same words (a wheelchair, dyslexia: barriers that are not ``cut``)."""
    for probe in PROBES:
        understood = demo_matcher.rank(probe["text"] + ". Jeg vil gerne synge i kor", Citizen(),
                                       10, TODAY).understanding
        cut = all(barrier_table()[code].cut for code in probe["barriers"])
        forbidden = {"flygtninge_indvandrere"} | (conditions() if cut else set())
        assert not set(understood.needs) & forbidden, probe["text"]


def test_cut_phrases_leave_the_rest_and_a_bare_barrier_keeps_its_words():
    assert split_barriers("I don't speak Danish and I love football")[1] == "I and I love football"
    assert split_barriers("jeg tør ikke gå derhen alene")[1] == "jeg tør ikke gå derhen alene"
    assert split_barriers("jeg har ikke råd til kontingent, men elsker dans")[1] == (
        "jeg har ikke råd til kontingent, men elsker dans")   # money may also be what is sought


def test_every_barrier_has_plain_words_bridges_that_exist_and_a_guide_code():
    bridge_codes = catalogue_codes("low_threshold") | catalogue_codes("accessibility") | {FREE}
    for code, barrier in barrier_table().items():
        assert code in casework_codes("barriers"), code
        assert barrier.label_da != barrier.label_en and barrier.bridges, code
        assert set(barrier.bridges) <= bridge_codes and set(barrier.bridges) <= set(BRIDGES), code
    assert catalogue_codes("low_threshold") <= set(BRIDGES)


def test_an_offers_bridges_and_the_share_of_barriers_they_answer():
    offer = empty_record(id="x", low_threshold=("ledsager", "ingen_tilmelding"),
                         accessibility=("koerestol", "hoereslynge"), cost="Gratis")
    assert offer_bridges(offer) == ("ledsager", "ingen_tilmelding", "gratis", "koerestol")
    assert answering_bridges(offer, ("angst", "trapper")) == ("ledsager", "koerestol")
    assert answered_share(offer, ("angst", "sprog")) == 0.5
    assert answered_share(offer, ()) == 0.0
    assert offer_bridges(empty_record(id="y", cost="")) == ()   # no cost stated is not free


def test_the_shares_of_many_offers_at_once_are_each_offers_own_share():
    """The ranking reads the shares from one table per index (``answered_matrix``)."""
    import numpy as np

    from catalogue.demo import demo_catalogue_path
    from ingest.importer import read_catalogue
    from matcher.barriers import answered_matrix, shares_answered

    offers, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
    matrix, rows = answered_matrix(offers), np.arange(len(offers))
    codes = list(barrier_table())
    for barriers in [(), ("angst",), ("angst", "sprog"), tuple(codes), (codes[-1], codes[0])]:
        assert np.allclose(shares_answered(matrix, rows, barriers),
                           [answered_share(offer, barriers) for offer in offers]), barriers
    assert matrix.any() and not matrix.all()


def test_the_guides_ticked_barriers_reach_the_matcher_those_without_a_bridge_left_out():
    text, citizen = matcher_query({"dreams": "Strikke med andre", "barriers": ["angst", "energi",
                                                                            "sprog"]}, {"age": 50})
    assert text == "Strikke med andre. Strikke med andre" and citizen.barriers == ("angst", "sprog")
