"""The ``brobygger`` command: thin wrappers over library functions, Danish first."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from catalogue.db import DatabaseNotReady, engine_for, init_db, open_database, session_factory
from catalogue.repository import catalogue_stats, load_records
from catalogue.settings import Settings, load_settings
from ingest.problems import ImportRejected
from webui.progress import CountProgress, StageProgress, encoding_progress, say, step
from webui.auth.cli import init_cli as init_staff_cli
from casework.commands import register as register_casework_commands

FORMATS = ["auto", "jsonl", "csv", "xlsx", "hsds"]
MAX_PRINTED_PROBLEMS = 200


def _sessions(settings: Settings):
    """Sessions on the existing database; a missing or old one ends the command (see ``Cli``)."""
    return session_factory(open_database(settings))


def _print_problems(problems, err: bool = True) -> None:
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(problem.format(), err=err)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        rest = len(problems) - MAX_PRINTED_PROBLEMS
        click.echo(f"... og {rest} mere / and {rest} more", err=err)


class Cli(click.Group):
    """The command group; a database that ``init-db`` has not made ready stops any command with
    the Danish and English reason and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DatabaseNotReady as not_ready:
            click.echo(f"{not_ready.da} / {not_ready.en}", err=True)
            ctx.exit(1)


@click.group(cls=Cli)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Brobygger: find tilbud, foreninger og job der passer til borgerens drømme og mål."""
    ctx.obj = load_settings()


@main.command("init-db")
@click.pass_obj
def init_db_command(settings: Settings) -> None:
    """Opret eller opgrader databasen / create or upgrade the database."""
    engine = engine_for(settings)
    init_db(engine)
    engine.dispose()
    click.echo(f"Databasen er klar / database ready: {settings.resolved_database_url}")


@main.command("import")
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
            report, warnings = import_catalogue(_sessions(settings), path, fmt, source, full=full,
                                                dry_run=dry_run, max_bytes=max_mb * 1024 * 1024,
                                                default_kind=default_kind, progress=StageProgress())
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
@click.option("--format", "fmt", type=click.Choice(FORMATS[1:]), default="jsonl",
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
    sessions = _sessions(settings)
    with step("Indlæser demokataloget / loading the demo catalogue"):
        report, _ = import_catalogue(sessions, demo_catalogue_path(), "jsonl", "demo",
                                     progress=StageProgress())
    click.echo(f"Demokatalog / demo catalogue: {report.summary()}")
    seeded = seed_demo_vectors(sessions, encoder_name(settings.embedding_model))
    click.echo(f"Vektorer fra pakken / vectors from the package: {seeded}")
    if with_demo_accounts:
        from webui.auth.cli import demo_accounts

        click.echo("Demo-logins (kun til demoen / demo only), log ind på /login:")
        for email, role, password in demo_accounts(settings):
            click.echo(f"  {role:<12} {email}  adgangskode / password: {password}")


@main.command("build-index")
@click.pass_obj
def build_index_command(settings: Settings) -> None:
    """Byg søgeindekset (genbruger gemte vektorer) / build the search index."""
    from matcher.encoder import load_encoder
    from matcher.loader import ensure_index

    sessions = _sessions(settings)
    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    with step("Bygger søgeindekset / building the search index"):
        index, report = ensure_index(sessions, settings, encoder,
                                     progress=encoding_progress())
    how = "genbrugt fra disk / reused from disk" if report.reused_file else \
        f"bygget, {report.encoded} tekster kodet / built, {report.encoded} texts encoded"
    click.echo(f"Indeks / index: {report.offers} tilbud, {index.dense.kind}, {how}, "
               f"{report.seconds:.1f} s")


@main.command("build-theme-vectors")
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


@main.command("search")
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
    matcher, _ = load_matcher(_sessions(settings), settings)
    suggestions = matcher.suggest(text, citizen, k, today.date() if today else None)
    if as_json:
        click.echo(json.dumps(suggestions_to_dict(suggestions), ensure_ascii=False, indent=2))
    else:
        click.echo(suggestions_to_text(suggestions))


@main.command("evaluate")
@click.option("--catalogue", "catalogue_path", type=click.Path(exists=True, path_type=Path),
              required=True)
@click.option("--queries", "queries_path", type=click.Path(exists=True, path_type=Path),
              required=True)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--method", type=click.Choice(["full", "hybrid", "dense", "bm25", "tfidf"]),
              default="full", show_default=True)
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None)
@click.option("--run", "run_path", type=click.Path(path_type=Path), default=None)
@click.pass_obj
def evaluate_command(settings: Settings, catalogue_path: Path, queries_path: Path, today,
                     method: str, json_path: Path | None, run_path: Path | None) -> None:
    """Mål rangeringens kvalitet og hastighed / measure ranking quality and speed."""
    from evaluation.harness import evaluate, format_report, write_report, write_run

    try:
        report, results = evaluate(catalogue_path, queries_path, settings,
                                   today.date() if today else date.today(), method)
    except ImportRejected as rejected:
        _print_problems(rejected.problems)
        sys.exit(1)
    click.echo(format_report(report))
    if json_path:
        write_report(report, json_path)
    if run_path:
        write_run(results, run_path, method)


@main.command("train")
@click.option("--catalogue", "catalogue_path", type=click.Path(exists=True, path_type=Path),
              default=None, help="Standard: demokataloget.")
@click.option("--queries", "queries_path", type=click.Path(exists=True, path_type=Path),
              default=None, help="Standard: udviklingssættet.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Hvor modellen gemmes (standard: ranker.json i BROBYGGER_INSTANCE_DIR).")
@click.option("--folds", type=int, default=5, show_default=True)
@click.option("--repeats", type=click.IntRange(min=1), default=1, show_default=True,
              help="Krydsvalidér også over så mange tilfældige opdelinger / also cross-validate "
                   "over this many random splits.")
@click.pass_obj
def train_command(settings: Settings, catalogue_path, queries_path, today, output, folds,
                  repeats) -> None:
    """Lær rangeringen af mærkede forespørgsler / train the ranker."""
    from catalogue.demo import demo_catalogue_path
    from evaluation.devset import dev_queries_path, DEV_SET_TODAY
    from evaluation.harness import format_report, index_catalogue
    from evaluation.queries import queries_digest, read_queries
    from evaluation.train import cross_validate, fit_scorer, format_repeats, training_data
    from matcher.encoder import load_encoder
    from matcher.rank import fusion_scorer
    from matcher.service import Matcher

    today = today.date() if today else DEV_SET_TODAY
    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    catalogue_path = catalogue_path or demo_catalogue_path()
    queries = read_queries(queries_path or dev_queries_path())
    with step(f"Indekserer / indexing {catalogue_path.name}"):
        index = index_catalogue(catalogue_path, settings, encoder, encoding_progress())
    matcher = Matcher(index, encoder, fusion_scorer())
    with step(f"Kandidater til {len(queries)} forespørgsler / candidates for {len(queries)} queries"):
        data = training_data(matcher, queries, today, CountProgress("forespørgsler / queries"))
    with step(f"Krydsvalidering / cross-validation ({folds} x {repeats + 1})"):
        cv = cross_validate(matcher, queries, data, today, folds, repeats=repeats,
                            progress=CountProgress("fold"))
    for name in ("fusion", "learned"):
        click.echo(f"\n{folds}-fold krydsvalidering / cross-validation, {name}:")
        click.echo(format_report(cv[name]))
    if repeats > 1:
        click.echo("\n" + format_repeats(cv["repeated"]))
    output = output or settings.ranker_path
    summary = {name: {k: cv[name][k] for k in ("ndcg@10", "recall@10", "mrr")}
               for name in ("fusion", "learned")}
    summary["learned_repeated"] = cv["repeated"]
    fit_scorer(data).with_provenance({
        "catalogue": catalogue_path.name, "queries": len(queries),
        "queries_digest": queries_digest(queries), "rows": int(len(data.y)), "cv": summary,
    }).to_json(output)
    click.echo(f"Model gemt / saved: {output}")


@main.command("bench")
@click.option("--sizes", default="1000,10000,100000", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=Path("bench-results"),
              show_default=True)
@click.option("--web", is_flag=True,
              help="Mål i stedet søgesiden under gunicorn / measure the search page under gunicorn.")
@click.pass_obj
def bench_command(settings: Settings, sizes: str, output: Path, web: bool) -> None:
    """Mål hastighed og hukommelse / measure speed and memory."""
    if web:
        from evaluation.webbench import run_web_bench

        with step("Søgesiden under gunicorn / the search page under gunicorn"):
            report = run_web_bench(settings)
        output.mkdir(parents=True, exist_ok=True)
        (output / "web.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        click.echo(json.dumps(report, indent=2))
        click.echo(f"Skrevet / written: {output / 'web.json'}")
        return
    from catalogue.demo import demo_catalogue_path
    from evaluation.bench import markdown, run_bench, write_bench
    from matcher.encoder import load_encoder

    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    report = run_bench(demo_catalogue_path(), encoder, settings, tuple(int(s) for s in sizes.split(",")),
                       say=say, progress=encoding_progress())
    json_path, md_path = write_bench(report, output)
    click.echo(markdown(report))
    click.echo(f"Skrevet / written: {json_path}, {md_path}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
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


init_staff_cli(main)
register_casework_commands(main)   # rotate-key, purge, send-mail, export-outcomes


if __name__ == "__main__":
    main()
