"""Who decides whether a citizen may come (``catalogue.access``): one rule, read from the
offer's own facts, said with how to ask."""

import pytest

from catalogue.access import access, access_code
from catalogue.records import empty_record

CASES = [
    # (facts, code): visitation first, then a limited pool, then "just turn up", then sign-up
    (dict(requires_referral=True, capacity="waitlist", low_threshold=("ingen_tilmelding",)),
     "visitation"),
    (dict(requires_referral=False, capacity="full"), "pool"),
    (dict(capacity="waitlist", cost="Kontingent 100 kr. om året"), "pool"),
    (dict(low_threshold=("ingen_tilmelding",), cost="Kontingent 100 kr."), "turn_up"),
    (dict(cost="Kontingent 150 kr. om året"), "membership"),
    (dict(description="Du tilmelder dig selv via kursuskataloget."), "membership"),
    (dict(description="Der er ingen tilmelding, kom bare."), "turn_up"),
    (dict(description="Du skal ikke tilmelde dig."), "turn_up"),
    (dict(requires_referral=None, capacity=None, cost="gratis"), "turn_up"),
]


@pytest.mark.parametrize("facts, code", CASES)
def test_each_offer_gets_one_answer_by_the_rules_order(facts, code):
    assert access_code(empty_record(id="x", **facts)) == code


def test_visitation_names_the_paragraph_and_whom_to_ask():
    said = access(empty_record(id="x", requires_referral=True, legal_basis="SEL § 104",
                               contact="70 11 22 33"))
    assert said.legal_basis == "SEL § 104"
    assert "visitation efter SEL § 104" in said.da and "sagsbehandler" in said.da
    assert "70 11 22 33" in said.da and "under SEL § 104" in said.en and "caseworker" in said.en


def test_how_to_ask_falls_back_from_the_contact_to_the_provider():
    with_contact = access(empty_record(id="x", cost="Kontingent 50 kr.", provider="Koret",
                                       contact="kor@example.dk"))
    without = access(empty_record(id="x", capacity="full", provider="Koret"))
    assert "kontakt kor@example.dk" in with_contact.da and "Koret" in with_contact.da
    assert "kontakt Koret" in without.da and "contact Koret" in without.en
    assert "fuldt" in without.da and "full" in without.en


def test_just_turn_up_says_so_in_both_languages():
    said = access(empty_record(id="x", low_threshold=("ingen_tilmelding",)))
    assert said.to_dict("en") == {"code": "turn_up", "da": said.da, "en": said.en,
                                  "text": said.en, "legal_basis": None}
    assert "møde op" in said.da and "turn up" in said.en
