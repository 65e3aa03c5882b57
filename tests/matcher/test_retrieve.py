"""Retrieval details a guide notices: an offer the citizen names leads to offers like it."""

import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.citizen import Citizen
from matcher.dense import HALF_PRECISION_FROM, DenseIndex
from matcher.documents import query_ngrams
from matcher.retrieve import bm25_scores, name_core
from matcher.text import content_terms, fold
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


@pytest.mark.parametrize("text", [
    "gå tur", "Jeg vil gerne gå tur gå tur med hunden og møde nogen", "xyzzy ukendt ord",
    "gæld gæld gæld og ensomhed", ""])
def test_bm25_scores_are_the_bm25_models_own(demo_matcher, text):
    """The summed posting lists rank offers exactly as the BM25 model would, a repeated word
    counting each time and a word no offer has adding nothing."""
    index = demo_matcher.index
    terms = content_terms(text)
    expected = index.bm25.get_scores(terms) if terms else np.zeros(index.size)
    assert np.allclose(bm25_scores(index, terms), expected, atol=1e-5)


@pytest.mark.parametrize("share", [0.0, 0.03, 0.5, 1.0])
def test_the_dense_search_finds_the_best_eligible_offers_at_any_share_eligible(demo_matcher, share):
    """Few or many eligible offers: the search returns the same top offers as scoring every
    eligible offer by hand, and never an ineligible one."""
    dense = demo_matcher.index.dense
    rng = np.random.default_rng(5)
    allowed = rng.random(len(dense.vectors)) < share
    query = dense.vectors[7]
    scores, positions = dense.search(query, 10, allowed)
    eligible = np.flatnonzero(allowed)
    best = eligible[np.argsort(-(dense.vectors[eligible] @ query), kind="stable")][:10]
    assert positions.tolist() == best.tolist()
    assert np.allclose(scores, dense.vectors[best] @ query)


@pytest.mark.parametrize("share", [0.25, 0.6, 1.0])
def test_a_large_catalogues_search_in_half_precision_finds_the_exact_best(share):
    """From ``HALF_PRECISION_FROM`` offers a first pass reads half-precision copies; the offers
    found and their cosines are those of the exact search, never an ineligible one."""
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(HALF_PRECISION_FROM + 500, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dense = pickle.loads(pickle.dumps(DenseIndex(vectors, exact_limit=20_000)))
    for row in (3, 77, 4000):
        query = vectors[row] + 0.5 * vectors[row + 1]
        query /= np.linalg.norm(query)
        allowed = rng.random(len(vectors)) < share
        scores, positions = dense.search(query, 100, allowed)
        exact_scores, exact = dense.search(query, 100, allowed, exact=True)
        assert positions.tolist() == exact.tolist() and allowed[positions].all()
        assert np.allclose(scores, exact_scores)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.sampled_from(["", "gå tur", "qqqqzzzz", "Jeg drømmer om at arbejde med "
                                       "dyr igen, men er bange for store grupper."]),
                      st.text(max_size=120)))
def test_query_ngrams_weigh_a_text_as_the_vectorizer_does(demo_matcher, text):
    """The search's n-gram row equals scikit-learn's own transform of the same text."""
    vectorizer = demo_matcher.index.documents.tfidf
    ours, theirs = query_ngrams(vectorizer, fold(text)), vectorizer.transform([fold(text)])
    assert np.allclose(ours.toarray(), theirs.toarray(), atol=1e-6)
