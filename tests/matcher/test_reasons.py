"""Reasons a person reads: codes with values from the matcher, worded in Danish and English;
the citizen's own words and the offer's own facts, never a score, a folded token or a learned
statement about a group."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from catalogue.demo import demo_catalogue_path
from catalogue.records import OfferRecord
from ingest.importer import read_catalogue
from evaluation.queries import read_queries
from matcher.affinity import ThemeAffinity
from matcher.citizen import Citizen
from matcher.demo_vectors import shipped_demo_vectors
from matcher.index import build_index
from matcher.service import Matcher
from matcher.suggestions import (REASON_CODES, Reason, draft_trial_step, shown_words,
                                 typed_corrections)
from tests.matcher.conftest import TODAY
from webui.i18n import LANGUAGES
from webui.reasons import (COMPANIONS, REASONS, ROLES, STEP_ACTIONS, reason_text, step_texts)
from matcher import suggestions

DEV_QUERIES = Path(__file__).resolve().parents[2] / "evaluation" / "data" / "dev_queries.jsonl"
DECIMAL = re.compile(r"\d[.,]\d")
LEARNED = ("Tidligere vurderinger", "har ofte passet", "often fitted", "Earlier judgements")


def test_every_code_has_words_in_both_languages():
    assert set(REASONS) == set(REASON_CODES)
    assert set(STEP_ACTIONS) == set(suggestions.STEP_ACTIONS)
    assert set(COMPANIONS) == set(suggestions.COMPANIONS)
    assert set(ROLES) == set(suggestions.ROLES)
    for code in REASON_CODES:   # a template over any value, or a sentence per known value
        values = REASONS[code] if isinstance(REASONS[code], dict) else ("x",)
        for value in values:
            danish, english = (reason_text(Reason(code, (value,)), language) for language in LANGUAGES)
            assert danish != english, (code, value)


def test_shared_words_are_shown_as_the_citizen_typed_them():
    assert set(shown_words("Kan jeg strikke i Aarhus?", {}, {}).values()) == {"strikke", "Aarhus"}
    assert set(shown_words("Strik i Århus", {}, {}).values()) == {"Strik", "Århus"}


def test_a_repaired_word_is_shown_as_the_word_it_was_read_as():
    text = "jeg vil gerne gaa tur og snakke om min gald"
    corrections = {"gaa tur": "gaatur", "gald": "gaeld"}
    surface = {"gaatur": "gåtur", "gaeld": "gæld"}
    shown = set(shown_words(text, corrections, surface).values())
    assert {"gåtur", "gæld"} <= shown and not {"gaa", "gald", "gaatur", "gaeld"} & shown
    assert typed_corrections(text, corrections, surface) == {"gaa tur": "gåtur", "gald": "gæld"}


def test_a_repair_the_catalogue_cannot_spell_is_not_shown():
    assert typed_corrections("gaa tur", {"gaa tur": "gaatur"}, {}) == {}
    assert set(shown_words("gaa tur", {"gaa tur": "gaatur"}, {}).values()) == set()


def test_the_first_step_is_worded_from_codes_in_both_languages():
    offer = OfferRecord(id="x", name="Gåklubben", description="", kind="association",
                        address="Mejlgade 1", postcode="8000",
                        low_threshold=("proevegang", "ledsager"))
    step = draft_trial_step(offer, (), datetime(2026, 12, 1, 9))
    assert (step.action, step.companion, step.where) == ("try_once", "companion_welcome",
                                                         "Mejlgade 1, 8000")
    danish, english = step_texts(step, "da"), step_texts(step, "en")
    assert danish["what"] == "Prøv én gang: Gåklubben" and english["what"] == "Try it once: Gåklubben"
    assert danish["when"] == "Efter aftale" and english["when"] == "By arrangement"
    assert danish["follow_up"].startswith("Opfølgning 15.12.2026")
    assert english["follow_up"].startswith("Follow-up 15 Dec 2026")


@pytest.mark.slow
def test_a_learned_association_is_never_a_reason(generated_matcher):
    lonely = frozenset({"form:story", "need:ensomhed"})
    walking = frozenset({"need:ensomhed", "kind:association"})
    affinity = ThemeAffinity.fit([(lonely, walking, 3), (lonely, frozenset({"kind:municipal"}), 0)] * 20)
    matcher = Matcher(generated_matcher.index, generated_matcher.encoder,
                      generated_matcher.scorer.with_affinity(affinity))
    found = matcher.suggest("Jeg føler mig så ensom", Citizen(age=40), k=30, today=TODAY)
    assert found.items
    for s in found.items:
        assert {r.code for r in s.reasons} <= set(REASON_CODES)
        for language in LANGUAGES:
            texts = " ".join(reason_text(r, language) for r in s.reasons)
            assert not any(words in texts for words in LEARNED)


@pytest.fixture(scope="module")
def demo_matcher(encoder):
    records, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
    index, _ = build_index(records, encoder, "demo", shipped_demo_vectors(encoder.name))
    return Matcher(index, encoder)


@pytest.mark.slow
def test_reasons_over_the_development_queries_are_plain_words_in_both_languages(demo_matcher):
    """Every reason for every development query: a known code, worded differently in Danish
    and English, no number with decimals, and every shown word either typed by the citizen or
    the real word a typed one was read as: never a folded or stemmed token."""
    surface = set(demo_matcher.spelling.surface.values())
    today = date(2026, 12, 6)
    for query in read_queries(DEV_QUERIES):
        found = demo_matcher.suggest(query.text, query.citizen, 10, today)
        typed = query.text.casefold()
        assert all(words.casefold() in typed for words in found.corrections), query.id
        assert set(found.corrections.values()) <= surface, query.id
        for s in found.items:
            assert s.reasons and {r.code for r in s.reasons} <= set(REASON_CODES), query.id
            for reason in s.reasons:
                texts = [reason_text(reason, language) for language in LANGUAGES]
                assert texts[0] != texts[1], (query.id, reason)
                for text in texts:
                    assert not DECIMAL.search(text), (query.id, text)
                    assert not any(words in text for words in LEARNED), (query.id, text)
                if reason.code == "shared_words":
                    for word in reason.values:
                        assert (word.casefold() in typed
                                or word in found.corrections.values()), (query.id, word)
