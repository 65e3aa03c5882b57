"""Files of derived data (search indexes, vector files) written so that a crash never leaves a
half-written file in place: write to a temporary file beside the target, flush it to disk,
rename it over the target, and flush the folder. Temporary files of writers that died are
removed by ``remove_stale_temporaries``.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import BinaryIO, Callable

TEMPORARY_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 3600   # a live writer that has not finished in an hour is stuck


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` with an open binary file and make its bytes ``path`` in one step: readers
    see the old file or the new one, never a part, even after a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (the folder entry itself is flushed)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _writer_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Delete temporary files whose writer is gone (or stuck for an hour); returns them."""
    now = time.time() if now is None else now
    removed = []
    for path in folder.glob(f"*{TEMPORARY_SUFFIX}") if folder.is_dir() else ():
        parts = path.name.split(".")
        pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None
        try:
            old = now - path.stat().st_mtime > STALE_AFTER_SECONDS
        except FileNotFoundError:
            continue          # its writer just finished
        if pid is None or old or not _writer_alive(pid):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
