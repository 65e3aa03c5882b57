"""Fixtures for the import tests: the command line on a database that already holds offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.jsonl import write_jsonl
from tests.fixtures import small_catalogue
from tests.ingest.helpers import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``brobygger`` on a SQLite file that already holds three imported offers."""
    seed = tmp_path / "seed.jsonl"
    write_jsonl(small_catalogue()[:3], seed)
    run = Cli(tmp_path / "brobygger.db")
    result = run("import", seed)
    assert result.exit_code == 0, result.output
    return run


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    """The small catalogue as a JSON Lines file."""
    path = tmp_path / "catalogue.jsonl"
    write_jsonl(small_catalogue(), path)
    return path
