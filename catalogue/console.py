"""What every package's commands share: the database's sessions, problems printed Danish and
English, and what the command line shows while it works (a line per step, and a progress bar on
stderr for long ones, only on a terminal; a log gets the lines)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from tqdm import tqdm

from catalogue.db import open_database, session_factory
from catalogue.settings import Settings

MAX_PRINTED_PROBLEMS = 200


def sessions_for(settings: Settings):
    """Sessions on the existing database; a missing or old one raises ``DatabaseNotReady``,
    which the root group (``catalogue.cli``) prints without a traceback."""
    return session_factory(open_database(settings))


def print_problems(problems, err: bool = True) -> None:
    """Each problem's line (file, line, field, Danish and English), at most a few hundred."""
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(problem.format(), err=err)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        rest = len(problems) - MAX_PRINTED_PROBLEMS
        click.echo(f"... og {rest} mere / and {rest} more", err=err)


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
