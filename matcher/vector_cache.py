"""Files of encoded texts (text hash -> vector): a cache for tools that run on throwaway
databases, such as the evaluation harness, and stamped files that ship with the package."""

from __future__ import annotations

import json
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


def save_stamped(path: Path, stamp: dict[str, str], arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` with a stamp saying what they were derived from (digest, encoder)."""
    write_atomically(path, lambda handle: np.savez_compressed(
        handle, stamp=np.array(json.dumps(stamp, sort_keys=True)), **arrays))


def load_stamped(path: Path) -> tuple[dict[str, str], dict[str, np.ndarray]] | None:
    """The stamp and arrays of a stamped file; None when there is no such (readable) file."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (FileNotFoundError, OSError, ValueError):
        return None
    stamp = arrays.pop("stamp", None)
    return (json.loads(str(stamp)), arrays) if stamp is not None else None
