"""Retrieval details a guide notices: an offer the citizen names leads to offers like it."""

import pytest

from matcher.citizen import Citizen
from matcher.retrieve import name_core
from webui.present import suggestions_to_dict, suggestions_to_text

from tests.matcher.conftest import TODAY


@pytest.mark.parametrize("name, core", [
    ("Ungechatten 18-24", "ungechatten"),
    ("Seniorklubben Sundby 65+", "seniorklubben sundby"),
    ("Level Up – gamingfællesskab", "level up"),
    ("Gældsrådgivning i Gellerup", "gaeldsraadgivning i gellerup"),
])
def test_name_core_is_what_people_say(name, core):
    assert name_core(name) == core


CITIZEN = Citizen(age=40, municipality="Aarhus")


def closed_choir(index) -> int:
    """A choir the citizen cannot join (wrong age or municipality, ended, expired)."""
    allowed = index.table.hard_mask(CITIZEN, TODAY)
    return next(i for i, r in enumerate(index.records)
                if r.name.startswith("Kor for alle") and not allowed[i])


@pytest.mark.slow
def test_a_named_offer_the_citizen_cannot_use_leads_to_similar_ones(generated_matcher):
    index, citizen = generated_matcher.index, CITIZEN
    named = closed_choir(index)
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
    rows, _ = generated_matcher.candidates("jeg vil gerne synge med andre", CITIZEN, TODAY)
    assert not rows.column("named_similarity").any()


@pytest.mark.slow
def test_suggestions_say_why_a_named_offer_is_out_and_which_are_like_it(generated_matcher):
    citizen = CITIZEN
    named = generated_matcher.index.records[closed_choir(generated_matcher.index)]
    suggestions = generated_matcher.suggest(f"Kan jeg komme med i {named.name}?", citizen, 5, TODAY)
    out = {n.offer.id: n for n in suggestions.named_unavailable}
    assert named.id in out                     # (offers of the same name elsewhere may join it)
    assert all(name_core(n.offer.name) == name_core(named.name) for n in out.values())
    assert out[named.id].reasons and not any(v.passed for v in out[named.id].reasons)
    alike = [s for s in suggestions.items
             if any(r.code == "like_named" and named.name in r.values for r in s.reasons)]
    assert alike and all(s.offer.name.startswith("Kor for alle") for s in alike)
    as_json = suggestions_to_dict(suggestions)["named_unavailable"]
    assert {n["id"] for n in as_json} == set(out) and all(n["why_not"] for n in as_json)
    assert f"{named.name} kan ikke bruges" in suggestions_to_text(suggestions)
