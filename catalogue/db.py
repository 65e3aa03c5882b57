"""Database engine, sessions and schema set-up (always through Alembic migrations).

Only ``init_db`` creates or migrates a database; everything else opens one with
``open_database``, which refuses a missing or out-of-date schema instead of creating one."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.orm import Session, sessionmaker

from catalogue.settings import Settings


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, secure delete and a busy timeout. A
    database error names no values (``hide_parameters``): its message may reach a log."""
    if url.startswith("sqlite:///"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")   # erased citizen data is overwritten
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def engine_for(settings: Settings) -> Engine:
    return make_engine(settings.resolved_database_url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("catalogue") / "migrations"))
    config.attributes["engine"] = engine
    return config


class DatabaseNotReady(Exception):
    """The database is missing or behind the newest migration; ``init-db`` fixes both."""

    da: str
    en: str

    def __str__(self) -> str:
        return f"{self.da} / {self.en}"


class DatabaseMissing(DatabaseNotReady):
    def __init__(self, where: str):
        super().__init__(where)
        self.da = f"Ingen database i {where}; kør `brobygger init-db` først"
        self.en = f"no database at {where}; run `brobygger init-db` first"


class DatabaseOutdated(DatabaseNotReady):
    def __init__(self, where: str):
        super().__init__(where)
        self.da = f"databasen i {where} skal opgraderes: kør `brobygger init-db`"
        self.en = f"the database at {where} needs upgrading: run `brobygger init-db`"


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration: the one place that migrates."""
    if (path := _sqlite_file(engine)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(engine), "head")


def check_schema(engine: Engine) -> None:
    """Raise ``DatabaseMissing`` or ``DatabaseOutdated`` unless the schema is at the newest
    migration; never creates anything (a SQLite file is not even opened when absent)."""
    where = engine.url.render_as_string(hide_password=True)
    path = _sqlite_file(engine)
    if path is not None:
        where = str(path)
        if not path.is_file():
            raise DatabaseMissing(where)
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if not current:
        raise DatabaseMissing(where)
    if current != set(ScriptDirectory.from_config(alembic_config(engine)).get_heads()):
        raise DatabaseOutdated(where)


def open_database(settings: Settings) -> Engine:
    """The engine for an existing, migrated database; see ``check_schema``."""
    engine = engine_for(settings)
    try:
        check_schema(engine)
    except DatabaseNotReady:
        engine.dispose()
        raise
    return engine


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive date-times; every stored one is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def write_if(session: Session, row, *still, **values) -> bool:
    """Write ``values`` to ``row`` only while the conditions ``still`` hold in the database: one
    UPDATE ... WHERE, so of two writers who read the same state only the first writes (no
    read-then-write race). False when the other got there first: nothing was written."""
    model = type(row)
    written = session.execute(update(model).where(model.id == row.id, *still).values(**values)
                              .execution_options(synchronize_session="fetch")).rowcount
    return written == 1
