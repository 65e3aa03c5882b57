"""Intake notes read as a whole (issue 19): what the citizen dreams of weighs most, what they did
before and what they fear are not interests, a language they speak is a fact, not a group."""

from __future__ import annotations

import pytest

from matcher.citizen import Citizen
from matcher.understand import clause_stance, clauses, interest_weights, spoken_languages
from tests.matcher.conftest import TODAY

NOTE = ("Kvinde, 34 år, langtidssygemeldt med stress. Drømmer om at arbejde med dyr, men er "
        "bange for store grupper. Tidligere lagerarbejder i en butik.")


@pytest.mark.parametrize("clause, stance", [
    ("Drømmer om at arbejde med dyr", "wish"),
    ("jeg vil gerne male", "wish"),
    ("I dream of painting", "wish"),
    ("Han har været sømand i tredive år og drømmer om havet", "wish"),   # the dream wins
    ("men er bange for store grupper", "fear"),
    ("tør ikke gå ud alene", "fear"),
    ("afraid of crowds", "fear"),
    ("Tidligere lagerarbejder", "past"),
    ("har arbejdet som kok i 20 år", "past"),
    ("I used to work in a shop", "past"),
    ("langtidssygemeldt med stress", "plain"),
    ("elsker at strikke", "plain"),
])
def test_clause_stance(clause, stance):
    assert clause_stance(clause) == stance


def test_clauses_split_sentences_commas_and_but():
    assert clauses("Kvinde, 34 år. Vil gerne male, men tør ikke.\nTidligere kok") == [
        "Kvinde", "34 år.", "Vil gerne male", "tør ikke.", "Tidligere kok"]


@pytest.mark.parametrize("text, found, weights", [
    (NOTE, {"animals", "shop_sales"}, {"animals": 2.0, "shop_sales": 0.0}),
    ("Jeg elsker at strikke. Drømmer om at bage.", {"sewing_knitting", "baking"},
     {"sewing_knitting": 1.0, "baking": 2.0}),
    ("I used to work in a shop but I dream of painting", {"shop_sales", "art_painting"},
     {"shop_sales": 0.0, "art_painting": 2.0}),
    ("Jeg er bange for heste, men vil gerne gå ture", {"horses", "running_walking"},
     {"horses": 0.0, "running_walking": 2.0}),
    ("strik og kaffe", {"sewing_knitting"}, {"sewing_knitting": 1.0}),   # a search: all plain
])
def test_interest_weights(text, found, weights):
    assert interest_weights(text, dict.fromkeys(found, set())) == weights


@pytest.mark.parametrize("text, languages, rest", [
    ("jeg taler arabisk og har brug for hjælp med gæld", ("da", "ar"),
     "og har brug for hjælp med gæld"),
    ("I need help with debt, I speak arabic", ("en", "ar"), "I need help with debt,"),
    ("Jeg taler kun farsi og kurdisk, og jeg vil gerne synge", ("da", "fa", "ku"),
     ", og jeg vil gerne synge"),
    ("jeg taler somali.", ("da", "so"), "jeg taler somali."),   # nothing else said: kept
    ("Borger taler arabisk og lidt dansk og har mange rykkere.", ("ar", "da"),
     "og har mange rykkere."),                                 # a guide's note: the citizen's
    ("She speaks Somali and needs a job", ("so",), "and needs a job"),
    ("min mor taler kun tyrkisk", (), "min mor taler kun tyrkisk"),   # not the citizen's own
    ("jeg vil gerne lære dansk", (), "jeg vil gerne lære dansk"),
])
def test_spoken_languages(text, languages, rest):
    assert spoken_languages(text) == (languages, rest)


def test_the_citizen_speaks_what_they_say_they_speak():
    assert Citizen(languages=("da",)).speaking(("da", "ar")).languages == ("da", "ar")
    assert Citizen().speaking(()).languages == ()


def test_the_issue_intake_note_finds_the_dog_walkers_and_reads_no_shop(demo_matcher):
    citizen = Citizen(age=34, municipality="Aarhus")
    ranking = demo_matcher.rank(NOTE, citizen, 10, TODAY)
    assert "shop_sales" not in ranking.understanding.interests
    assert "animals" in ranking.understanding.interests
    names = [demo_matcher.index.records[int(p)].name for p in ranking.positions]
    assert any("Hundeluftere" in name for name in names), names


def test_the_encoder_reads_an_intake_notes_wishes_first_and_a_search_as_typed():
    from matcher.understand import dense_order

    note = ("Borgeren er 45 år og har tidligere arbejdet på et lager. Han sover dårligt, "
            "men han drømmer om at arbejde med dyr.")
    assert dense_order(note).startswith("han drømmer om at arbejde med dyr")
    assert "lager" in dense_order(note) and "sover dårligt" in dense_order(note)
    assert dense_order("gå tur med hund") == "gå tur med hund"


def test_a_note_longer_than_the_window_is_read_without_its_function_words_but_with_its_negations(
        encoder):
    """The encoder reads 18 tokens: a long note gives them to what was said, never turning a
    "not" round; a text that fits and a search are read as written."""
    from matcher.understand import dense_text

    note = ("Borgeren er 52 år og bor alene. Hun har ikke lyst til store grupper, "
            "men hun vil gerne bage sammen med andre og gå ture i skoven med sin hund.")
    read = dense_text(note, encoder.fits)
    assert not encoder.fits(note)
    assert read.startswith("bage") and "ikke lyst" in read, read
    assert not {"og", "er", "til", "med", "sin", "hun"} & set(read.lower().split()), read
    assert encoder._bounded(read).startswith("bage sammen gå ture skoven hund. bor alene.")
    short_wish = "Hun vil gerne bage sammen med andre."
    assert dense_text(short_wish, encoder.fits) == short_wish
    assert dense_text("gå tur med hund", lambda text: False) == "gå tur med hund"


def test_the_encoder_reads_what_a_note_says_not_its_form_or_numbers(encoder):
    """"Borgeren er 52 år" tells the encoder nothing of what the citizen wants (the age rules
    read the age from the citizen); what the note says stays, in its own words."""
    from matcher.understand import dense_text, without_filler

    note = ("Borgeren er en 52-årig kvinde, ledig siden 2019. Hun vil gerne lære at strikke "
            "og have nogen at tale med om sin gæld på 40.000 kr.")
    read = dense_text(note, encoder.fits)
    words = {w.strip(".,") for w in read.split()}
    assert read.startswith("lære strikke tale gæld"), read
    assert not {"Borgeren", "52-årig", "2019", "40.000"} & words, read
    assert {"kvinde", "ledig", "gæld"} <= words, read
    assert without_filler("The citizen is 34 years old and wants to paint") == \
        "The is old and wants to paint"
    assert without_filler("Borgeren er 45 år") == "er" and without_filler("52 år") == "52 år"


def test_a_notes_meaning_leans_toward_the_themes_it_names_and_a_searchs_does_not(
        demo_matcher, monkeypatch):
    """The encoder reads the start of a note; the themes its words name anywhere in it pull the
    note's meaning toward them. A search is read by its meaning alone."""
    import numpy as np

    import matcher.service as service
    from matcher.themes import leaning_to_themes

    seen: dict = {}
    real_retrieve, real_encode = service.retrieve, demo_matcher.encoder.encode_queries

    def retrieve(index, words, understanding, vector, *rest):
        seen.update(meaning=vector, understanding=understanding)
        return real_retrieve(index, words, understanding, vector, *rest)

    def encode(texts):
        seen["read"] = real_encode(texts)[0]
        return real_encode(texts)

    monkeypatch.setattr(service, "retrieve", retrieve)
    monkeypatch.setattr(demo_matcher.encoder, "encode_queries", encode)
    index = demo_matcher.index
    demo_matcher.candidates(NOTE + " Hun vil gerne synge i et kor og gå ture i naturen.",
                            Citizen(age=34), TODAY)
    understanding = seen["understanding"]
    themes = (index.need_vectors.of(understanding.needs)
              + index.interest_vectors.of(understanding.interests))
    assert len(themes) >= 2, understanding
    assert np.allclose(seen["meaning"], leaning_to_themes(seen["read"], themes), atol=1e-6)
    assert not np.allclose(seen["meaning"], seen["read"], atol=1e-3)
    demo_matcher.candidates("kor", Citizen(age=34), TODAY)
    assert np.array_equal(seen["meaning"], seen["read"])
