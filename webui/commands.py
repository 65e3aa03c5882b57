"""The web package's commands: ``serve``, ``search`` (suggestions in the words the web layer
owns), ``load-demo`` (the demo catalogue, its vectors and demo logins) and ``check-listings``
(the listing-quality check); gathered by ``catalogue.cli``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from catalogue.console import StageProgress, sessions_for, step
from catalogue.db import open_database
from catalogue.settings import SERVE_WORKERS, Settings

commands = click.Group()


def _file_listings(path: Path) -> tuple[list, set[str]]:
    """Records of a catalogue file and the ids in a likely-duplicate pair within it."""
    from ingest.duplicates import likely_duplicates
    from ingest.importer import read_catalogue

    records, _ = read_catalogue(path)
    return records, {offer_id for pair in likely_duplicates(records) for offer_id in pair[:2]}


def _stored_listings(settings: Settings) -> tuple[list, set[str]]:
    """Running offers in the database and the ``source:id`` of those in an undecided pair."""
    from catalogue.duplicates import decided_pairs
    from catalogue.editing import list_offers
    from webui.quality import open_duplicates
    from webui.runtime import live_alike_pairs

    sessions = sessions_for(settings)
    stored = [o for o in list_offers(sessions) if o.record.status == "active"]
    with sessions() as session:
        keys = open_duplicates(live_alike_pairs(sessions), decided_pairs(session))
    return ([o.record for o in stored],
            {f"{o.record.source}:{o.record.id}" for o in stored if o.key in keys})


@commands.command("check-listings")
@click.option("--catalogue", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="En katalogfil i stedet for databasen / a catalogue file instead of the database")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Dagen at tjekke ud fra / the day")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def check_listings_command(settings: Settings, path: Path | None, today, as_json: bool) -> None:
    """Tjek tilbuddenes kvalitet og tæl fundene / count what the listing-quality check flags."""
    from webui.quality import check_listing, counts

    records, duplicates = _file_listings(path) if path else _stored_listings(settings)
    day = today.date() if today else date.today()
    checked = [check_listing(r, day, settings.stale_after_days,
                             (r.id if path else f"{r.source}:{r.id}") in duplicates)
               for r in records]
    tally = counts(checked)
    mean = round(sum(c.score for c in checked) / len(checked), 3) if checked else None
    report = {"today": day.isoformat(), "listings": len(checked), "flagged": tally.pop("flagged"),
              "findings": dict(sorted(tally.items())), "mean_score": mean}
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{report['flagged']} af {report['listings']} tilbud har fund / listings flagged "
               f"({day.isoformat()}); gennemsnitlig score / mean score {mean}")
    for code, count in report["findings"].items():
        click.echo(f"  {code}: {count}")


@commands.command("load-demo")
@click.option("--with-demo-accounts", is_flag=True,
              help="Opret også en demo-koordinator og en demo-vejleder (kun med BROBYGGER_DEMO=1).")
@click.pass_obj
def load_demo_command(settings: Settings, with_demo_accounts: bool) -> None:
    """Indlæs demokataloget / load the bundled demo catalogue."""
    from catalogue.demo import demo_catalogue_path
    from ingest.importer import import_catalogue
    from matcher.demo_vectors import seed_demo_vectors
    from matcher.encoder import encoder_name

    if with_demo_accounts and not settings.demo:
        click.echo("Demokonti oprettes kun i demoen (BROBYGGER_DEMO=1). / Demo accounts are only "
                   "created in the demo (BROBYGGER_DEMO=1).", err=True)
        sys.exit(1)
    sessions = sessions_for(settings)
    with step("Indlæser demokataloget / loading the demo catalogue"):
        report, _ = import_catalogue(sessions, demo_catalogue_path(), "jsonl", "demo",
                                     progress=StageProgress())
    click.echo(f"Demokatalog / demo catalogue: {report.summary()}")
    seeded = seed_demo_vectors(sessions, encoder_name(settings.embedding_model))
    click.echo(f"Vektorer fra pakken / vectors from the package: {seeded}")
    if with_demo_accounts:
        from webui.auth.commands import demo_accounts

        click.echo("Demo-logins (kun til demoen / demo only), log ind på /login:")
        for email, role, password in demo_accounts(settings):
            click.echo(f"  {role:<12} {email}  adgangskode / password: {password}")


def _citizen_options(function):
    options = [
        click.option("--age", type=int, default=None, help="Borgerens alder."),
        click.option("--municipality", default=None, help="Bopælskommune, fx Aarhus."),
        click.option("--has-referral", is_flag=True, help="Borgeren har en visitation."),
        click.option("--language", "languages", multiple=True, help="Sprog (ISO 639-1), gentag."),
        click.option("--needs", "accessibility_needs", multiple=True,
                     type=click.Choice(["koerestol", "hoereslynge", "tegnsprog", "let_dansk"])),
        click.option("--postcode", default=None, help="Postnummer."),
        click.option("--busy", default="", help='Faste aftaler, fx "man-fre 8-16".'),
        click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@commands.command("search")
@click.argument("text")
@_citizen_options
@click.option("-k", "k", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@click.pass_obj
def search_command(settings: Settings, text: str, age, municipality, has_referral, languages,
                   accessibility_needs, postcode, busy, today, k: int, as_json: bool) -> None:
    """Find forslag til en tekst / suggest offers for a text."""
    from matcher.citizen import Citizen
    from matcher.loader import load_matcher
    from matcher.service import MAX_TEXT_CHARS, TextTooLong
    from webui.present import suggestions_to_dict, suggestions_to_text

    citizen = Citizen.from_dict(dict(age=age, municipality=municipality, has_referral=has_referral,
                                     languages=list(languages), postcode=postcode, busy=busy,
                                     accessibility_needs=list(accessibility_needs)))
    if len(text) > MAX_TEXT_CHARS:
        raise click.BadParameter(str(TextTooLong(len(text))), param_hint="TEXT")
    matcher, _ = load_matcher(sessions_for(settings), settings)
    suggestions = matcher.suggest(text, citizen, k, today.date() if today else None)
    if as_json:
        click.echo(json.dumps(suggestions_to_dict(suggestions), ensure_ascii=False, indent=2))
    else:
        click.echo(suggestions_to_text(suggestions))


@commands.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=SERVE_WORKERS, show_default=True,
              help="Antal arbejdsprocesser (gunicorn).")
@click.pass_obj
def serve_command(settings: Settings, host: str, port: int, workers: int) -> None:
    """Start webgrænsefladen med gunicorn / serve the web UI with gunicorn."""
    from webui.serve import UnsafeSettings, serve

    open_database(settings).dispose()         # refuse here, not once in every worker
    try:
        serve(settings, host, port, workers)
    except UnsafeSettings as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
