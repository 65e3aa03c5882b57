"""Bringing catalogues in and out: ``import`` and ``export`` (gathered by ``catalogue.cli``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from catalogue.console import StageProgress, print_problems, sessions_for, step
from catalogue.repository import load_records
from catalogue.settings import Settings
from ingest.problems import ImportRejected

FORMATS = ["auto", "jsonl", "csv", "xlsx", "hsds"]

commands = click.Group()


@commands.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--source", default="default", show_default=True,
              help="Kildens navn; samme id fra samme kilde opdaterer tilbuddet.")
@click.option("--dry-run", is_flag=True, help="Vis hvad der ville ske, uden at skrive.")
@click.option("--full", is_flag=True, help="Afslut kildens tilbud, der ikke står i filen.")
@click.option("--max-mb", type=int, default=25, show_default=True, help="Største filstørrelse.")
@click.option("--default-kind", type=click.Choice(["municipal", "association", "social_economy"]),
              default=None, help="Type for tilbud uden 'kind' (fx HSDS-filer).")
@click.pass_obj
def import_command(settings: Settings, path: Path, fmt: str, source: str, dry_run: bool,
                   full: bool, max_mb: int, default_kind: str | None) -> None:
    """Indlæs et katalog (alt eller intet) / import a catalogue (all or nothing)."""
    from ingest.importer import import_catalogue

    try:
        with step(f"Indlæser / importing {path}"):
            report, warnings = import_catalogue(sessions_for(settings), path, fmt, source, full=full,
                                                dry_run=dry_run, max_bytes=max_mb * 1024 * 1024,
                                                default_kind=default_kind, progress=StageProgress())
    except ImportRejected as rejected:
        print_problems(rejected.problems)
        click.echo(f"Import afvist: {len(rejected.problems)} fejl; intet er skrevet. / "
                   f"Import rejected: {len(rejected.problems)} error(s); nothing was written.",
                   err=True)
        sys.exit(1)
    print_problems(warnings)
    if dry_run:
        for label, ids in (("ny/new", report.new), ("ændret/changed", report.changed),
                           ("afsluttes/ends", report.ended)):
            for offer_id in ids:
                click.echo(f"  {label}: {offer_id}")
    click.echo(report.summary())


@commands.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS[1:]), default="jsonl",
              show_default=True)
@click.option("--source", default=None, help="Kun tilbud fra denne kilde.")
@click.pass_obj
def export_command(settings: Settings, path: Path, fmt: str, source: str | None) -> None:
    """Skriv kataloget til en fil / export the catalogue."""
    from ingest.formats import writer_for

    with sessions_for(settings)() as session:
        records = load_records(session, source)
    writer_for(fmt)(records, path)
    click.echo(f"{len(records)} tilbud skrevet til / offers written to {path}")
