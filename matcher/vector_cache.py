"""Files of encoded texts (text hash -> vector): a cache for tools that run on throwaway
databases, such as the evaluation harness, and stamped files that ship with the package."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np


def load_vector_file(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["hashes"].tolist(), data["vectors"]))


def save_vector_file(path: Path, cache: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    hashes = sorted(cache)
    vectors = np.vstack([cache[h] for h in hashes]) if hashes else np.zeros((0, 0), np.float32)
    np.savez(tmp, hashes=np.array(hashes), vectors=vectors.astype(np.float32))
    tmp.replace(path)


def save_stamped(path: Path, stamp: dict[str, str], arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` with a stamp saying what they were derived from (digest, encoder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, stamp=np.array(json.dumps(stamp, sort_keys=True)), **arrays)
    tmp.replace(path)


def load_stamped(path: Path) -> tuple[dict[str, str], dict[str, np.ndarray]] | None:
    """The stamp and arrays of a stamped file; None when there is no such (readable) file."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (FileNotFoundError, OSError, ValueError):
        return None
    stamp = arrays.pop("stamp", None)
    return (json.loads(str(stamp)), arrays) if stamp is not None else None
