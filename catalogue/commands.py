"""The catalogue's commands: ``init-db``, ``stats``, ``backup`` and ``restore`` (gathered by
``catalogue.cli``)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from catalogue.console import sessions_for
from catalogue.db import engine_for, init_db
from catalogue.repository import catalogue_stats, load_records
from catalogue.settings import Settings

commands = click.Group()


@commands.command("init-db")
@click.pass_obj
def init_db_command(settings: Settings) -> None:
    """Opret eller opgrader databasen / create or upgrade the database."""
    engine = engine_for(settings)
    init_db(engine)
    engine.dispose()
    click.echo(f"Databasen er klar / database ready: {settings.resolved_database_url}")


@commands.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Skriv tallene som JSON.")
@click.pass_obj
def stats_command(settings: Settings, as_json: bool) -> None:
    """Tal om kataloget / catalogue counts."""
    with sessions_for(settings)() as session:
        stats = catalogue_stats(load_records(session), date.today(), settings.stale_after_days)
    if as_json:
        click.echo(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
        return
    click.echo(f"Tilbud i alt / offers: {stats.total}")
    for title, counts in (("Type / kind", stats.by_kind), ("Status", stats.by_status),
                          ("Målgruppe / target group", stats.by_target_group),
                          ("Kommune / municipality", stats.by_municipality)):
        click.echo(f"\n{title}:")
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {key:<28} {count:>6}")
    click.echo(f"\nIkke bekræftet i {settings.stale_after_days} dage / stale: {stats.stale}")
    click.echo(f"Udløbet / expired: {stats.expired}")


KEY_NOT_INCLUDED = ("Nøglen til borgerdata er IKKE med: borgernes tekster står krypteret i "
                    "kopien, og en gendannelse kræver den samme nøgle(fil). / The casework key "
                    "is NOT in the backup: citizens' texts stay encrypted in it, and restoring "
                    "needs the same key (file).")


@commands.command("backup", help="Tag en sikkerhedskopi af hele databasen til PATH (SQLite: "
                  "online backup; PostgreSQL: pg_dump, custom-format) / back up the whole "
                  f"database to PATH.\n\n{KEY_NOT_INCLUDED}")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(settings: Settings, path: Path) -> None:
    from catalogue.backup import backup_database

    engine = engine_for(settings)
    try:
        with _problems_to_exit():
            backup_database(engine, path)
    finally:
        engine.dispose()
    click.echo(f"Sikkerhedskopi skrevet / backup written: {path}")
    click.echo(KEY_NOT_INCLUDED)


@commands.command("restore", help="Gendan databasen fra en sikkerhedskopi (alt eller intet; en "
                  "ældre kopi opgraderes, en nyere afvises) / restore the database from a backup "
                  "(all or nothing; an older backup is upgraded, a newer one refused). Bagefter "
                  "genopbygges søgeindekset / the search index is rebuilt afterwards."
                  f"\n\n{KEY_NOT_INCLUDED}")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Erstat alt i en database, der ikke er tom / replace everything in a "
                   "database that is not empty.")
@click.pass_obj
def restore_command(settings: Settings, path: Path, replace: bool) -> None:
    from catalogue.backup import restore_database

    engine = engine_for(settings)
    try:
        with _problems_to_exit():
            report = restore_database(engine, path, replace)
    finally:
        engine.dispose()
    upgraded = " og opgraderet / and upgraded" if report.upgraded else ""
    click.echo(f"Gendannet fra / restored from {path} (migrering / migration {report.revision})"
               f"{upgraded}. Søgeindekset genopbygges / the search index will be rebuilt "
               "(`brobygger build-index`, or by the running server).")


@contextmanager
def _problems_to_exit():
    """A backup's or restore's problem (or a missing client program): both languages, exit 1."""
    from catalogue.backup import BackupProblem
    from catalogue.postgres_tools import ToolMissing

    try:
        yield
    except (BackupProblem, ToolMissing) as problem:
        click.echo(f"{problem.da}\n{problem.en}", err=True)
        sys.exit(1)
