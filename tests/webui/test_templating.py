"""The plain-Danish phrases the pages use for ages, places and visitation."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.records import empty_record
from webui.templating import (address_text, age_text, local_date, municipalities_text,
                              referral_text, schedule_windows)


@pytest.mark.parametrize("low, high, text", [
    (18, 29, "18–29 år"), (18, None, "Fra 18 år"), (None, 67, "Til og med 67 år"),
    (None, None, "Ingen aldersgrænse"),
])
def test_age_text(low, high, text):
    assert age_text(empty_record(id="a", min_age=low, max_age=high)) == text


@pytest.mark.parametrize("address, postcode, text", [
    ("Flakhaven 2", "5000", "Flakhaven 2, 5000"),
    ("Hjallesevej 120, 5260 Odense S", "5260", "Hjallesevej 120, 5260 Odense S"),
    ("", "8000", "8000"), ("", "", ""),
])
def test_address_text_never_repeats_the_postcode(address, postcode, text):
    assert address_text(empty_record(id="a", address=address, postcode=postcode)) == text


@pytest.mark.parametrize("names, text", [
    ((), "Ikke oplyst"), (("alle",), "Alle kommuner"), (("Alle",), "Alle kommuner"),
    (("Esbjerg", "Fanø"), "Esbjerg, Fanø"),
])
def test_municipalities_text(names, text):
    assert municipalities_text(empty_record(id="a", municipalities=names)) == text


@pytest.mark.parametrize("required, text", [
    (True, "Ja, kræver visitation fra kommunen"), (False, "Nej, du kan bare henvende dig"),
    (None, "Ikke oplyst"),
])
def test_referral_text(required, text):
    assert referral_text(empty_record(id="a", requires_referral=required)) == text


def test_schedule_windows_and_dates_read_as_danish():
    assert schedule_windows(empty_record(id="a", schedule="man-ons 9-12")) == [
        "mandag kl. 09.00-12.00", "tirsdag kl. 09.00-12.00", "onsdag kl. 09.00-12.00"]
    assert schedule_windows(empty_record(id="a", schedule="efter aftale")) == []
    assert local_date(date(2026, 2, 2)) == "02.02.2026" and local_date(None) == ""
