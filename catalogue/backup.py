"""``brobygger backup`` and ``brobygger restore``: the whole database in one file, and back.

SQLite is copied with its online backup API (a consistent copy of a live database, never a file
copy); PostgreSQL with ``pg_dump`` in its custom format. Citizens' texts are in the file exactly
as in the database, encrypted: the casework key is never in a backup, so restoring one needs the
same key (file) it was made under.

A restore is all or nothing. SQLite: the backup is copied to a staging file next to the
database, checked and migrated there, then copied over the database in one SQLite transaction.
PostgreSQL: everything in the ``public`` schema is dropped and the archive loaded in one
transaction that ``psql`` commits only when the whole archive has been read. A backup made by a
newer Brobygger (a migration this code does not know) is refused; an older one is upgraded.
The search index is not in the backup: its file names carry the catalogue fingerprint, so after a
restore the index is seen to be stale and is rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, table

from catalogue.db import DatabaseMissing, alembic_config, init_db, make_engine
from catalogue.postgres_tools import connection_args, find_tool, server_major

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"            # pg_dump's custom format
# SQLite pages copied per step; -1: all in one step, so a source written to meanwhile never
# makes the copy start over (writers wait, up to their busy timeout, instead).
PAGES_PER_STEP = -1
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# Run first in the restoring transaction: whatever the schema holds now goes, so a backup from
# an older migration is loaded into a clean schema rather than beside newer tables.
CLEAR_PUBLIC_SCHEMA = """
SET client_min_messages = warning;
DO $clear$
DECLARE statement text;
BEGIN
  FOR statement IN
    SELECT format('DROP VIEW IF EXISTS public.%I CASCADE', viewname) FROM pg_views
     WHERE schemaname = 'public'
    UNION ALL
    SELECT format('DROP TABLE IF EXISTS public.%I CASCADE', tablename) FROM pg_tables
     WHERE schemaname = 'public'
  LOOP EXECUTE statement; END LOOP;
  FOR statement IN
    SELECT format('DROP SEQUENCE IF EXISTS public.%I CASCADE', sequencename) FROM pg_sequences
     WHERE schemaname = 'public'
    UNION ALL
    SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', oid::regprocedure) FROM pg_proc
     WHERE pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('DROP TYPE IF EXISTS public.%I CASCADE', typname) FROM pg_type
     WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')
  LOOP EXECUTE statement; END LOOP;
END
$clear$;
"""


class BackupProblem(Exception):
    """Why a backup or restore cannot go ahead, in Danish and English (no traceback)."""

    def __init__(self, da: str, en: str):
        super().__init__(f"{da} / {en}")
        self.da, self.en = da, en


@dataclass(frozen=True)
class RestoreReport:
    revision: str        # the migration the backup was made at
    upgraded: bool       # migrated to this code's newest one after restoring


def database_kind(engine: Engine) -> str:
    kind = engine.url.get_backend_name()
    if kind not in KINDS:
        raise BackupProblem(f"Databasetypen {kind} understøttes ikke (kun SQLite og PostgreSQL).",
                            f"The database kind {kind} is not supported (SQLite and PostgreSQL only).")
    return kind


def backup_database(engine: Engine, path: Path) -> None:
    """Write the whole database to ``path``; a file already there is replaced only once the new
    one is whole."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if database_kind(engine) == "sqlite":
            if not _sqlite_path(engine).is_file():     # never a copy of a file made just now
                raise DatabaseMissing(str(_sqlite_path(engine)))
            copy_sqlite(_sqlite_path(engine), partial)
        else:
            _pg_dump(engine, partial)
        _fsync(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def restore_database(engine: Engine, path: Path, replace: bool = False) -> RestoreReport:
    """Replace the database's contents with the backup at ``path``; refuses a database that
    holds data unless ``replace``, a backup of the other database kind, and a newer backup."""
    kind, made_from = database_kind(engine), backup_kind(path)
    if made_from != kind:
        raise BackupProblem(
            f"{path} er en sikkerhedskopi af en {KINDS[made_from]}-database; databasen her er "
            f"{KINDS[kind]}. Brug `brobygger export`/`import` til kataloget på tværs.",
            f"{path} is a backup of a {KINDS[made_from]} database; this database is "
            f"{KINDS[kind]}. Use `brobygger export`/`import` to move the catalogue across.")
    if not replace and (rows := stored_rows(engine)):
        raise BackupProblem(
            f"Databasen er ikke tom ({rows} rækker). Tilføj --replace for at erstatte alt i den "
            "med sikkerhedskopien.",
            f"The database is not empty ({rows} rows). Add --replace to replace everything in it "
            "with the backup.")
    if kind == "sqlite":
        return _restore_sqlite(engine, path)
    return _restore_postgres(engine, path)


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the file's first bytes."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupProblem(f"Sikkerhedskopien {path} kan ikke læses ({error.strerror}).",
                            f"The backup {path} cannot be read ({error.strerror}).") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(POSTGRES_MAGIC):
        return "postgresql"
    raise BackupProblem(f"{path} er ikke en sikkerhedskopi fra `brobygger backup`.",
                        f"{path} is not a backup made by `brobygger backup`.")


def stored_rows(engine: Engine) -> int:
    """How many rows the database holds outside Alembic's bookkeeping (0 when it is new)."""
    if engine.url.get_backend_name() == "sqlite" and not _sqlite_path(engine).exists():
        return 0
    with engine.connect() as connection:
        names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
        return sum(connection.scalar(select(func.count()).select_from(table(n))) for n in names)


def migration_needed(engine: Engine, revision: str | None) -> bool:
    """Whether a backup at ``revision`` needs upgrading; raises for a revision this code does
    not know (a backup from a newer Brobygger) or none at all."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    if revision in script.get_heads():
        return False
    if revision is None or revision not in {r.revision for r in script.walk_revisions()}:
        raise BackupProblem(
            f"Sikkerhedskopien er fra en nyere udgave af Brobygger (migrering {revision}). "
            "Opgradér Brobygger, før du gendanner den.",
            f"The backup comes from a newer Brobygger (migration {revision}). Upgrade Brobygger "
            "before restoring it.")
    return True


def copy_sqlite(source: Path, target: Path, progress=None) -> None:
    """Copy a SQLite database with the online backup API: a consistent copy even while others
    write, written into ``target`` in one transaction (a crash leaves ``target`` as it was);
    ``progress(status, remaining, total)`` is called after each step of ``PAGES_PER_STEP``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)


def _sqlite_path(engine: Engine) -> Path:
    return Path(engine.url.database or "")


def _fsync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def _sqlite_revision(path: Path) -> str | None:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupProblem(f"Sikkerhedskopien {path} er beskadiget.",
                                f"The backup {path} is damaged.")
    return row[0] if row else None


def _restore_sqlite(engine: Engine, path: Path) -> RestoreReport:
    target = _sqlite_path(engine)
    staging = target.with_name(f".{target.name}.restoring")
    staging.unlink(missing_ok=True)
    engine.dispose()
    try:
        copy_sqlite(path, staging)
        revision = _sqlite_revision(staging)
        upgrade = migration_needed(engine, revision)
        if upgrade:
            staged = make_engine(f"sqlite:///{staging}")
            init_db(staged)
            staged.dispose()
        copy_sqlite(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return RestoreReport(revision, upgrade)


def _pg_dump(engine: Engine, path: Path) -> None:
    conninfo, env = connection_args(engine)
    pg_dump = find_tool("pg_dump", server_major(engine))
    done = subprocess.run([str(pg_dump), "--format=custom", "--no-owner", "--no-privileges",
                           f"--file={path}", f"--dbname={conninfo}"],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupProblem(f"pg_dump mislykkedes: {done.stderr.strip()}",
                            f"pg_dump failed: {done.stderr.strip()}")


def _archive_revision(pg_restore: Path, path: Path) -> str | None:
    """The migration recorded in a custom-format archive, read without restoring it."""
    listing = subprocess.run([str(pg_restore), "--data-only", "--table=alembic_version",
                              "--file=-", str(path)], capture_output=True, text=True)
    if listing.returncode:
        raise BackupProblem(f"Sikkerhedskopien {path} kan ikke læses: {listing.stderr.strip()}",
                            f"The backup {path} cannot be read: {listing.stderr.strip()}")
    lines = listing.stdout.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("COPY ") and "alembic_version" in line:
            return lines[i + 1] if lines[i + 1] != "\\." else None
    return None


def _restore_postgres(engine: Engine, path: Path) -> RestoreReport:
    """``pg_restore`` turns the archive into SQL, ``psql`` runs it after CLEAR_PUBLIC_SCHEMA in
    one transaction; COMMIT is sent only after the whole archive, so an interruption anywhere
    (this process killed included) ends psql's input without it and the server rolls back."""
    major = server_major(engine)
    pg_restore, psql = find_tool("pg_restore", major), find_tool("psql", major)
    revision = _archive_revision(pg_restore, path)
    upgrade = migration_needed(engine, revision)
    conninfo, env = connection_args(engine)
    engine.dispose()
    with subprocess.Popen([str(psql), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                           "--file=-", f"--dbname={conninfo}"], env=env, stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as loader:
        dumped = subprocess.CompletedProcess([], 1, stderr=b"")
        try:
            loader.stdin.write(f"BEGIN;\n{CLEAR_PUBLIC_SCHEMA}\n".encode())
            loader.stdin.flush()
            dumped = subprocess.run([str(pg_restore), "--no-owner", "--no-privileges",
                                     "--file=-", str(path)], stdout=loader.stdin,
                                    stderr=subprocess.PIPE)
            if dumped.returncode == 0:
                loader.stdin.write(b"COMMIT;\n")
            loader.stdin.close()
        except BrokenPipeError:      # psql stopped at an error: its message says which
            pass
        errors = loader.stderr.read().decode(errors="replace").strip()
        loader.wait()
    if loader.returncode or dumped.returncode:
        reason = errors if loader.returncode else dumped.stderr.decode(errors="replace").strip()
        raise BackupProblem(f"Gendannelsen blev rullet tilbage; databasen er uændret: {reason}",
                            f"The restore was rolled back; the database is unchanged: {reason}")
    if upgrade:
        init_db(engine)
    return RestoreReport(revision, upgrade)
