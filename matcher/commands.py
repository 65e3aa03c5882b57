"""The matcher's commands: ``build-index`` and ``build-theme-vectors`` (gathered by
``catalogue.cli``)."""

from __future__ import annotations

import click

from catalogue.console import encoding_progress, sessions_for, step
from catalogue.settings import Settings

commands = click.Group()


@commands.command("build-index")
@click.pass_obj
def build_index_command(settings: Settings) -> None:
    """Byg søgeindekset (genbruger gemte vektorer) / build the search index."""
    from matcher.encoder import load_encoder
    from matcher.loader import ensure_index

    sessions = sessions_for(settings)
    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    with step("Bygger søgeindekset / building the search index"):
        index, report = ensure_index(sessions, settings, encoder,
                                     progress=encoding_progress())
    how = "genbrugt fra disk / reused from disk" if report.reused_file else \
        f"bygget, {report.encoded} tekster kodet / built, {report.encoded} texts encoded"
    click.echo(f"Indeks / index: {report.offers} tilbud, {index.dense.kind}, {how}, "
               f"{report.seconds:.1f} s")


@commands.command("build-theme-vectors")
@click.pass_obj
def build_theme_vectors_command(settings: Settings) -> None:
    """Byg vektorerne, der følger med pakken (temaer og demokatalog), efter ændringer i
    leksikonerne eller demokataloget / build the vectors that ship with the package."""
    from catalogue.demo import demo_catalogue_path
    from ingest.importer import read_catalogue
    from matcher.demo_vectors import write_demo_vectors
    from matcher.encoder import load_encoder
    from matcher.themes import themes_digest, write_shipped

    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    with step("Koder temaerne / encoding the themes"):
        path = write_shipped(encoder, progress=encoding_progress())
    click.echo(f"Temavektorer / theme vectors ({themes_digest()}): {path}")
    with step("Koder demokataloget / encoding the demo catalogue"):
        records, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
        path = write_demo_vectors(records, encoder, progress=encoding_progress())
    click.echo(f"Demokatalogets vektorer / demo catalogue vectors: {path}")
