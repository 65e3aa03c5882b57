"""The pure rules: what the API may send, and what the matcher is told (never a name)."""

from __future__ import annotations

from datetime import date

import pytest

from casework.errors import Invalid
from casework.rules import citizen_input, conversation_input, outcome_input, step_input
from casework.suggest import matcher_query
from tests.casework.conftest import NOW, new_citizen


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"), ({"age": 7}, "age"), ({"age": True}, "age"), ({"age": "30"}, "age"),
    ({"postcode": "80000"}, "postcode"), ({"languages": ["dansk"]}, "languages"),
    ({"accessibility_needs": ["rampe"]}, "accessibility_needs"), ({"busy": "hele tiden"}, "busy"),
    ({"consent": {"given_at": "2026-01-01"}}, "purpose"),
    ({"consent": {"purpose": "Forløb", "given_at": "i går"}}, "given_at"),
])
def test_citizen_input_names_the_field(changes, field):
    with pytest.raises(Invalid) as refused:
        citizen_input(new_citizen(**changes), NOW)
    assert refused.value.field == field and refused.value.da and refused.value.en


def test_citizen_input_keeps_what_is_valid():
    given = citizen_input(new_citizen(busy="man-fre 8-16", accessibility_needs=["koerestol"]), NOW)
    assert (given.age, given.postcode, given.languages) == (34, "8000", ("da",))
    assert given.consent_given_at.utcoffset() is not None


@pytest.mark.parametrize("body, field", [
    ({"network": [{"name": "Lise", "closeness": 4}]}, "closeness"),
    ({"network": [{"name": "Lise", "closeness": 1, "ring": "kolleger"}]}, "ring"),
    ({"network": [{"closeness": 1}]}, "name"), ({"network": "Lise"}, "network"),
    ({"dreams": 3}, "dreams"), ({"dreams": "x" * 5001}, "dreams"), ({"barriers": "angst"}, "barriers"),
])
def test_conversation_input_names_the_field(body, field):
    with pytest.raises(Invalid) as refused:
        conversation_input(body)
    assert refused.value.field == field


@pytest.mark.parametrize("body, field", [
    ({"result": "maybe", "next": "stop"}, "result"), ({"result": "done", "next": "later"}, "next"),
    ({"result": "done", "next": "stop", "progress": 0}, "progress"),
])
def test_outcome_input_names_the_field(body, field):
    with pytest.raises(Invalid) as refused:
        outcome_input(body)
    assert refused.value.field == field


def test_step_input_reads_dates():
    assert step_input({"what": "Gå en tur", "follow_up": "2026-12-24"}).follow_up == date(2026, 12, 24)
    for body, field in (({"what": "x", "follow_up": "juleaften"}, "follow_up"),
                        ({"what": "x", "when": "snart"}, "when"), ({}, "what")):
        with pytest.raises(Invalid) as refused:
            step_input(body)
        assert refused.value.field == field


def test_the_matcher_is_told_dreams_first_and_twice_and_never_names_notes_or_network():
    conversation = {"dreams": "Passe fugle", "goals": "Komme ud", "what_matters": None,
                    "barrier_words": "Bussen er svær", "notes": "Lise ringede",
                    "network": [{"name": "Lise", "relation": "søster"}]}
    person = {"id": "abc123", "name": "Mette", "age": 34, "municipality": "Aarhus",
              "languages": ["da", "en"], "accessibility_needs": [], "postcode": "8000",
              "busy": "man-fre 8-16"}
    text, citizen = matcher_query(conversation, person)
    assert text == "Passe fugle. Komme ud. Bussen er svær. Passe fugle"
    assert not any(word in text for word in ("Mette", "Lise", "abc123", "ringede"))
    assert (citizen.age, citizen.municipality, citizen.languages) == (34, "Aarhus", ("da", "en"))
    assert citizen.busy
