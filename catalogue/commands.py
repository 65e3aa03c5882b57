"""The catalogue's commands: ``init-db`` and ``stats`` (gathered by ``catalogue.cli``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

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
