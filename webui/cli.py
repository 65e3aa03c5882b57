"""The ``brobygger`` command: thin wrappers over library functions, Danish first."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from catalogue.db import engine_for, init_db, session_factory
from catalogue.repository import catalogue_stats, load_records
from catalogue.settings import Settings, load_settings
from ingest.problems import ImportRejected

FORMATS = ["auto", "jsonl", "csv", "xlsx", "hsds"]
MAX_PRINTED_PROBLEMS = 200


def _sessions(settings: Settings):
    engine = engine_for(settings)
    init_db(engine)
    return session_factory(engine)


def _print_problems(problems, err: bool = True) -> None:
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(problem.format(), err=err)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        rest = len(problems) - MAX_PRINTED_PROBLEMS
        click.echo(f"... og {rest} mere / and {rest} more", err=err)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Brobygger: find tilbud, foreninger og job der passer til borgerens drømme og mål."""
    ctx.obj = load_settings()


@main.command("init-db")
@click.pass_obj
def init_db_command(settings: Settings) -> None:
    """Opret eller opgrader databasen / create or upgrade the database."""
    _sessions(settings)
    click.echo(f"Databasen er klar / database ready: {settings.resolved_database_url}")


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--source", default="default", show_default=True,
              help="Kildens navn; samme id fra samme kilde opdaterer tilbuddet.")
@click.option("--dry-run", is_flag=True, help="Vis hvad der ville ske, uden at skrive.")
@click.option("--full", is_flag=True, help="Afslut kildens tilbud, der ikke står i filen.")
@click.option("--max-mb", type=int, default=25, show_default=True, help="Største filstørrelse.")
@click.pass_obj
def import_command(settings: Settings, path: Path, fmt: str, source: str, dry_run: bool,
                   full: bool, max_mb: int) -> None:
    """Indlæs et katalog (alt eller intet) / import a catalogue (all or nothing)."""
    from ingest.importer import import_catalogue

    try:
        report, warnings = import_catalogue(_sessions(settings), path, fmt, source, full=full,
                                            dry_run=dry_run, max_bytes=max_mb * 1024 * 1024)
    except ImportRejected as rejected:
        _print_problems(rejected.problems)
        click.echo(f"Import afvist: {len(rejected.problems)} fejl; intet er skrevet. / "
                   f"Import rejected: {len(rejected.problems)} error(s); nothing was written.",
                   err=True)
        sys.exit(1)
    _print_problems(warnings)
    if dry_run:
        for label, ids in (("ny/new", report.new), ("ændret/changed", report.changed),
                           ("afsluttes/ends", report.ended)):
            for offer_id in ids:
                click.echo(f"  {label}: {offer_id}")
    click.echo(report.summary())


@main.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "hsds"]), default="jsonl",
              show_default=True)
@click.option("--source", default=None, help="Kun tilbud fra denne kilde.")
@click.pass_obj
def export_command(settings: Settings, path: Path, fmt: str, source: str | None) -> None:
    """Skriv kataloget til en fil / export the catalogue."""
    from ingest.formats import writer_for

    with _sessions(settings)() as session:
        records = load_records(session, source)
    writer_for(fmt)(records, path)
    click.echo(f"{len(records)} tilbud skrevet til / offers written to {path}")


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Skriv tallene som JSON.")
@click.pass_obj
def stats_command(settings: Settings, as_json: bool) -> None:
    """Tal om kataloget / catalogue counts."""
    with _sessions(settings)() as session:
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


@main.command("load-demo")
@click.pass_obj
def load_demo_command(settings: Settings) -> None:
    """Indlæs demokataloget / load the bundled demo catalogue."""
    from catalogue.demo import demo_catalogue_path
    from ingest.importer import import_catalogue

    report, _ = import_catalogue(_sessions(settings), demo_catalogue_path(), "jsonl", "demo")
    click.echo(f"Demokatalog / demo catalogue: {report.summary()}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.pass_obj
def serve_command(settings: Settings, host: str, port: int) -> None:
    """Start webgrænsefladen / serve the web UI."""
    from webui import create_app

    create_app(settings).run(host=host, port=port)


if __name__ == "__main__":
    main()
