"""The process's helper threads. A search hands them what runs without the GIL, the query's
encoding, and goes on with its own work meanwhile."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

_pool: tuple[int, ThreadPoolExecutor] | None = None


def helper_threads() -> ThreadPoolExecutor:
    """Two threads per process, made anew in a forked worker (whose copy of the parent's threads
    would never run). The encoders' OpenMP threads are left as they are: limiting them per
    thread made encodings in other threads 30 times slower (libgomp)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="brobygger"))
    return _pool[1]
