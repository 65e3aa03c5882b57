"""Reading the search form: what is accepted, and the Danish error for what is not."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from webui.searchform import parse_search


def form(**values):
    return parse_search(MultiDict(values))


@pytest.mark.parametrize("age, accepted", [
    ("16", 16), ("120", 120), (" 45 ", 45), ("", None),
])
def test_age_accepted(age, accepted):
    parsed = form(q="gæld", age=age)
    assert parsed.valid and parsed.citizen.age == accepted


@pytest.mark.parametrize("age", ["15", "121", "abc", "40.5", "-3", "4O"])
def test_age_must_be_a_whole_number_from_16_to_120(age):
    parsed = form(q="gæld", age=age)
    assert parsed.errors["age"].da == "Alder skal være et helt tal mellem 16 og 120."
    assert parsed.citizen.age is None


@pytest.mark.parametrize("field, value", [
    ("postcode", "80000"), ("postcode", "aarhus"), ("languages", "dansk"),
    ("busy", "når det passer"), ("k", "0"), ("k", "500"),
])
def test_invalid_values_give_an_error_on_their_field(field, value):
    parsed = form(q="gæld", **{field: value})
    assert list(parsed.errors) == [field]
    assert parsed.errors[field].da and parsed.errors[field].en


def test_missing_text_is_the_first_error():
    parsed = form(age="abc")
    assert list(parsed.errors) == ["q", "age"]
    assert parsed.submitted


def test_an_empty_form_is_not_submitted():
    assert not form().submitted


def test_a_full_form_becomes_a_citizen():
    parsed = parse_search(MultiDict([
        ("q", "Jeg vil gerne ud blandt andre"), ("age", "34"), ("municipality", "Odense"),
        ("has_referral", "1"), ("postcode", "5000"), ("languages", "da, AR;en"),
        ("needs", "koerestol"), ("needs", "ukendt"), ("needs", "let_dansk"),
        ("busy", "man-fre 8-16"), ("k", "5")]))
    citizen = parsed.citizen
    assert parsed.valid and parsed.k == 5
    assert (citizen.age, citizen.municipality, citizen.has_referral, citizen.postcode) == (
        34, "Odense", True, "5000")
    assert citizen.languages == ("da", "ar", "en")
    assert citizen.accessibility_needs == ("koerestol", "let_dansk")
    assert len(citizen.busy) == 5 and citizen.busy[0].start == 8 * 60
