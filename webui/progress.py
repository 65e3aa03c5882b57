"""What the command line shows while it works: a line per step, and a progress bar on stderr
for long ones (only on a terminal; a log gets the lines)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from tqdm import tqdm


def say(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Say what is starting, then how long it took."""
    say(f"{message} ...")
    started = time.perf_counter()
    yield
    say(f"  {time.perf_counter() - started:.1f} s")


class CountProgress:
    """A ``progress(done, total)`` callback: a bar from the first call until done reaches total,
    after an optional line (with ``{total}``) saying what is starting."""

    def __init__(self, description: str, announce: str = "", unit: str = "it"):
        self.description, self.announce, self.unit = description, announce, unit
        self._bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if self.announce:
                say("  " + self.announce.format(total=total))
            self._bar = tqdm(total=total, desc=f"  {self.description}", unit=self.unit,
                             file=sys.stderr, disable=None, leave=False, dynamic_ncols=True)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self._bar.close()
            self._bar = None


def encoding_progress() -> CountProgress:
    """For ``encode_with_cache``: texts encoded, a few batches at a time."""
    return CountProgress("kodet / encoded", "Koder {total} tekster / encoding {total} texts", " tekster")


class StageProgress:
    """For an import: ``progress(stage, done, total)``, a bar per stage."""

    LABELS = {"validate": "valideret / validated", "write": "skrevet / written"}

    def __init__(self):
        self._stages: dict[str, CountProgress] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._stages:
            self._stages[stage] = CountProgress(self.LABELS.get(stage, stage), unit=" tilbud")
        self._stages[stage](done, total)
