"""Export, import into a fresh database and export again: every field survives, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.repository import load_records
from ingest.importer import read_catalogue
from ingest.writer import upsert_records
from tests.fixtures import small_catalogue
from tests.ingest.helpers import Cli

FORMATS = [  # format, file name; for xlsx the files differ in their timestamps only
    ("jsonl", "catalogue.jsonl"),
    ("csv", "catalogue.csv"),
    ("xlsx", "catalogue.xlsx"),
    ("hsds", "catalogue.json"),
    ("hsds", "hsds-folder"),
]


def test_database_keeps_every_field(sessions):
    upsert_records(sessions, small_catalogue(), "default")

    with sessions() as session:
        assert load_records(session) == small_catalogue()


def contents(path: Path) -> dict[str, bytes]:
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return {file.name: file.read_bytes() for file in files}


@pytest.mark.parametrize("fmt, name", FORMATS, ids=[name for _, name in FORMATS])
def test_export_import_export_keeps_every_field(catalogue_file: Path, tmp_path: Path, fmt: str,
                                                name: str):
    original, fresh = Cli(tmp_path / "original.db"), Cli(tmp_path / "fresh.db")
    first, second = tmp_path / "first" / name, tmp_path / "second" / name
    first.parent.mkdir(), second.parent.mkdir()
    assert original("import", catalogue_file).exit_code == 0

    assert original("export", "--format", fmt, first).exit_code == 0
    imported = fresh("import", "--format", fmt, first)
    assert imported.exit_code == 0, imported.output
    assert fresh("export", "--format", fmt, second).exit_code == 0

    assert fresh.records() == small_catalogue()
    if fmt == "xlsx":
        assert read_catalogue(first)[0] == read_catalogue(second)[0] == small_catalogue()
    else:
        assert contents(first) == contents(second)
