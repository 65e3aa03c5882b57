"""Retrieval details a guide notices: an offer the citizen names leads to offers like it."""

import pytest

from matcher.citizen import Citizen
from matcher.retrieve import name_core

from tests.matcher.conftest import TODAY


@pytest.mark.parametrize("name, core", [
    ("Ungechatten 18-24", "ungechatten"),
    ("Seniorklubben Sundby 65+", "seniorklubben sundby"),
    ("Level Up – gamingfællesskab", "level up"),
    ("Gældsrådgivning i Gellerup", "gaeldsraadgivning i gellerup"),
])
def test_name_core_is_what_people_say(name, core):
    assert name_core(name) == core


@pytest.mark.slow
def test_a_named_offer_the_citizen_cannot_use_leads_to_similar_ones(generated_matcher):
    index = generated_matcher.index
    citizen = Citizen(age=40, municipality="Aarhus")
    allowed = index.table.hard_mask(citizen, TODAY)
    named = next(i for i, r in enumerate(index.records)
                 if r.name.startswith("Kor for alle") and not allowed[i])
    text = f"Jeg har hørt om {index.records[named].name}. Kan jeg komme der?"
    rows, _ = generated_matcher.candidates(text, citizen, TODAY)
    assert named not in set(rows.positions.tolist())          # never suggested: not eligible
    similarity = dict(zip(rows.positions.tolist(), rows.column("named_similarity").tolist()))
    closest = max(similarity, key=similarity.get)
    assert index.records[closest].name.startswith("Kor for alle")
    ranked = generated_matcher.rank(text, citizen, 3, TODAY)
    assert index.records[int(ranked.positions[0])].name.startswith("Kor for alle")


@pytest.mark.slow
def test_nothing_named_means_no_named_signal(generated_matcher):
    rows, _ = generated_matcher.candidates("jeg vil gerne synge med andre",
                                           Citizen(age=40, municipality="Aarhus"), TODAY)
    assert not rows.column("named_similarity").any()
