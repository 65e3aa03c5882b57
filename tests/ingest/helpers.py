"""The real ``brobygger`` command run against a SQLite file, for tests that check what users see."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from catalogue.db import make_engine, session_factory
from catalogue.records import OfferRecord
from catalogue.repository import load_records
from catalogue.cli import main

BROKEN = Path(__file__).parent / "broken"


@dataclass(frozen=True)
class Cli:
    """``cli("import", path)`` runs ``brobygger import path`` on this database file, which
    ``brobygger init-db`` creates first."""

    database: Path

    def __post_init__(self) -> None:
        result = self("init-db")
        assert result.exit_code == 0, result.output

    def __call__(self, *args: str) -> Result:
        env = {"BROBYGGER_DATABASE_URL": f"sqlite:///{self.database}"}
        return CliRunner().invoke(main, [str(arg) for arg in args], env=env)

    def digest(self) -> str:
        return hashlib.sha256(self.database.read_bytes()).hexdigest()

    def records(self) -> list[OfferRecord]:
        engine = make_engine(f"sqlite:///{self.database}")
        try:
            with session_factory(engine)() as session:
                return load_records(session)
        finally:
            engine.dispose()
