"""Which words of a search that found nothing good may be counted: short queries only, lower
case, never a digit, an e-mail address or a name, never the text as a whole."""

import pytest

from catalogue.records import OfferRecord
from matcher.suggestions import Reason, Suggestion, Suggestions
from matcher.unmet import countable_terms, found_nothing_good


@pytest.mark.parametrize("text, terms", [
    ("padel", ["padel"]),
    ("Padel med Kjærsgaardsen", ["padel"]),                # an unknown word with a capital: a name
    ("svømning Svømning svømning", ["svømning"]),          # each once
    ("Mette Jensen", []),                                  # names
    ("mette jensen ridning", ["ridning"]),                 # names the dictionary knows
    ("ridning anne@mail.dk", ["ridning"]),                 # no part of an e-mail address
    ("hjælp 12345678 til 2 børn", ["hjælp", "børn"]),      # no digits, no stopwords
    ("yoga i Aarhus", ["yoga"]),                           # places are proper nouns too
    ("jeg søger et sted hvor jeg kan spille padel", []),   # more than five words
    ("", [])])
def test_countable_terms(text, terms):
    assert countable_terms(text) == terms


def _suggested(*codes: str) -> Suggestions:
    offer = OfferRecord(id="x", name="X", kind="association", description="")
    return Suggestions([Suggestion(offer, 1, 1.0, "services", [Reason(c) for c in codes], [])])


def test_nothing_good_is_no_result_or_only_weak_ones():
    assert found_nothing_good(Suggestions([]))
    assert found_nothing_good(_suggested("age_fits", "municipality", "free"))
    assert found_nothing_good(_suggested("meaning_close", "free"))
    assert not found_nothing_good(_suggested("age_fits", "shared_words"))
    assert not found_nothing_good(_suggested("need"))
