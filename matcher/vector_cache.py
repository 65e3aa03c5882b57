"""A file of encoded texts (text hash -> vector) for tools that run on throwaway databases,
such as the evaluation harness: the same catalogue is never encoded twice."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matcher.artefacts import write_atomically


def load_vector_file(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["hashes"].tolist(), data["vectors"]))


def save_vector_file(path: Path, cache: dict[str, np.ndarray]) -> None:
    hashes = sorted(cache)
    vectors = np.vstack([cache[h] for h in hashes]) if hashes else np.zeros((0, 0), np.float32)
    write_atomically(path, lambda handle: np.savez(handle, hashes=np.array(hashes),
                                                   vectors=vectors.astype(np.float32)))
