"""Theme vectors: one embedding per need and interest, to read themes from text whose words
are in no lexicon ("melodier i hovedet" lies close to music).

They depend only on the lexicons and the encoder, so they are built once and ship with the
package (``matcher/data/theme_vectors-<encoder>.npz``), stamped with the digest of the theme
texts and the encoder's name. A stamp that does not match (lexicons edited, another encoder)
means building them here, once per process; the caller caches the encoded passages.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from matcher.encoder import Encoder, Progress, encode_with_cache, encoder_slug
from matcher.lexicon import Lexicon, interests_lexicon, needs_lexicon
from matcher.vector_cache import load_stamped, save_stamped

THEME_MIN_Z = 3.0
KINDS = ("needs", "interests")
NAMED_THEMES_WEIGHT = 1.0   # of a note's named themes in its vector (cross-validated: README)

log = logging.getLogger(__name__)


@dataclass
class ThemeVectors:
    """One embedding per theme: the normalised centroid of its lexicon passages."""

    codes: list[str]
    vectors: np.ndarray

    def weights(self, query_vector: np.ndarray, min_z: float = THEME_MIN_Z, top: int = 3
                ) -> dict[str, float]:
        """Themes standing out for this query (z-score above ``min_z``), weighted by margin."""
        scores = self.vectors @ query_vector
        z = (scores - scores.mean()) / (scores.std() or 1.0)
        best = np.argsort(-z, kind="stable")[:top]
        return {self.codes[i]: float(z[i] - min_z) for i in best if z[i] > min_z}

    @cached_property
    def _row(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    def of(self, codes: Iterable[str]) -> list[np.ndarray]:
        """The vectors of those of ``codes`` that are themes here."""
        return [self.vectors[self._row[code]] for code in codes if code in self._row]


def leaning_to_themes(query_vector: np.ndarray, themes: list[np.ndarray],
                      weight: float = NAMED_THEMES_WEIGHT) -> np.ndarray:
    """A note's vector leaning toward the themes its words name (the mean of their vectors,
    ``weight`` times): the encoder reads only the start of a note (``QUERY_TOKENS``), the
    lexicons read all of it. Unchanged when the words name no theme."""
    if not themes:
        return query_vector
    mixed = query_vector + weight * np.mean(themes, axis=0)
    return (mixed / np.linalg.norm(mixed)).astype(np.float32)


def theme_texts(lexicon: Lexicon) -> dict[str, list[str]]:
    """Short passages describing each theme, from its label and terms in groups of ten.
    (Example sentences per theme were tried and measured no better on the development set.)"""
    return {code: [f"{entry.label_da}: " + ", ".join(terms[i:i + 10])
                   for i in range(0, len(terms), 10)]
            for code, (entry, terms) in lexicon.entries().items()}


def _lexicons() -> dict[str, Lexicon]:
    return {"needs": needs_lexicon(), "interests": interests_lexicon()}


def themes_digest() -> str:
    """A digest of every passage theme vectors are built from: it changes exactly when the
    lexicons change in a way that changes the vectors."""
    texts = {kind: theme_texts(lexicon) for kind, lexicon in _lexicons().items()}
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def build_theme_vectors(lexicon: Lexicon, encoder: Encoder, cache: dict[str, np.ndarray],
                        progress: Progress | None = None
                        ) -> tuple[ThemeVectors, dict[str, np.ndarray]]:
    """Theme centroids; returns the passage vectors ``cache`` lacked so the caller can keep them."""
    texts = theme_texts(lexicon)
    vectors, fresh = encode_with_cache([t for chunk in texts.values() for t in chunk], encoder,
                                       cache, progress=progress)
    centroids, start = [], 0
    for chunk in texts.values():
        centroid = vectors[start:start + len(chunk)].mean(axis=0)
        centroids.append(centroid / np.linalg.norm(centroid))
        start += len(chunk)
    return ThemeVectors(list(texts), np.vstack(centroids).astype(np.float32)), fresh


def shipped_path(encoder_name: str) -> Path:
    return Path(str(resources.files("matcher") / "data" / f"theme_vectors-{encoder_slug(encoder_name)}.npz"))


def write_shipped(encoder: Encoder, path: Path | None = None, progress: Progress | None = None
                  ) -> Path:
    """Build the theme vectors for ``encoder`` and write them stamped (``build-theme-vectors``)."""
    path = path or shipped_path(encoder.name)
    arrays: dict[str, np.ndarray] = {}
    for kind, lexicon in _lexicons().items():
        vectors, _ = build_theme_vectors(lexicon, encoder, {}, progress)
        arrays[f"{kind}_codes"] = np.array(vectors.codes)
        arrays[f"{kind}_vectors"] = vectors.vectors
    save_stamped(path, {"digest": themes_digest(), "encoder": encoder.name}, arrays)
    return path


def load_shipped(encoder: Encoder, path: Path | None = None
                 ) -> tuple[dict[str, ThemeVectors] | None, tuple[str, str]]:
    """The shipped theme vectors if their stamp matches the lexicons and ``encoder``, else None
    and why not (in Danish and in English)."""
    found = load_stamped(path or shipped_path(encoder.name))
    if found is None:
        return None, (f"ingen følger med pakken til {encoder.name}", f"none ship for {encoder.name}")
    stamp, arrays = found
    if stamp.get("encoder") != encoder.name:
        made_with = stamp.get("encoder")
        return None, (f"de medfølgende er lavet med {made_with}", f"the shipped ones were made with {made_with}")
    if stamp.get("digest") != themes_digest():
        return None, ("leksikonerne er ændret", "the lexicons have changed")
    vectors = {kind: ThemeVectors(arrays[f"{kind}_codes"].tolist(),
                                  arrays[f"{kind}_vectors"].astype(np.float32)) for kind in KINDS}
    if any(v.vectors.shape[1] != encoder.dim for v in vectors.values()):
        return None, ("de medfølgende har en anden dimension", "the shipped ones have another dimension")
    return vectors, ("", "")


_BUILT: dict[tuple[str, str], dict[str, ThemeVectors]] = {}


def theme_vectors(encoder: Encoder, cache: dict[str, np.ndarray], progress: Progress | None = None
                  ) -> tuple[ThemeVectors, ThemeVectors, dict[str, np.ndarray]]:
    """Need and interest vectors for ``encoder``: shipped if their stamp matches, else built
    from ``cache`` plus encoding (once per process); returns the passages newly encoded."""
    key = (encoder.name, themes_digest())
    if key not in _BUILT:
        shipped, why_not = load_shipped(encoder)
        if shipped is not None:
            _BUILT[key] = shipped
        else:
            log.warning("Temavektorerne bygges her, fordi %s (brobygger build-theme-vectors sender "
                        "dem med pakken) / building theme vectors here because %s "
                        "(brobygger build-theme-vectors ships them)", *why_not)
            fresh: dict[str, np.ndarray] = {}
            built = {}
            for kind, lexicon in _lexicons().items():
                built[kind], new = build_theme_vectors(lexicon, encoder, {**cache, **fresh}, progress)
                fresh.update(new)
            _BUILT[key] = built
            return built["needs"], built["interests"], fresh
    return _BUILT[key]["needs"], _BUILT[key]["interests"], {}
