"""Measuring: ``evaluate``, ``train``, ``bench`` and ``loadtest`` (gathered by ``catalogue.cli``)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from catalogue.console import CountProgress, encoding_progress, print_problems, say, step
from catalogue.settings import SERVE_WORKERS, Settings
from ingest.problems import ImportRejected

commands = click.Group()


@commands.command("evaluate")
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
        print_problems(rejected.problems)
        sys.exit(1)
    click.echo(format_report(report))
    if json_path:
        write_report(report, json_path)
    if run_path:
        write_run(results, run_path, method)


@commands.command("train")
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
@click.option("--with-outcomes", is_flag=True,
              help="Lær også af udfald i databasen, og skift kun til en model, der ikke er "
                   "dårligere / also learn from the database's outcomes; switch only when not worse.")
@click.option("--outcomes", "outcomes_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Udfald fra brobygger export-outcomes i stedet for databasen "
                                 "(medfører --with-outcomes) / outcomes from a file instead.")
@click.pass_obj
def train_command(settings: Settings, catalogue_path, queries_path, today, output, folds,
                  repeats, with_outcomes, outcomes_path) -> None:
    """Lær rangeringen af mærkede forespørgsler / train the ranker.

    Med --with-outcomes sammenlignes den nuværende model med en, der også har lært af udfald,
    på de samme tilbageholdte forespørgsler; beslutningen gemmes i instansmappen."""
    from catalogue.demo import demo_catalogue_path
    from evaluation.devset import dev_queries_path, DEV_SET_TODAY
    from evaluation.harness import format_report, index_catalogue
    from evaluation.queries import queries_digest, read_queries
    from evaluation.train import cross_validate, fit_scorer, format_repeats, training_data
    from matcher.encoder import load_encoder
    from matcher.rank import fusion_scorer
    from matcher.service import Matcher

    today = today.date() if today else DEV_SET_TODAY
    outcomes = _outcome_rows(settings, outcomes_path) if with_outcomes or outcomes_path else None
    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    catalogue_path = catalogue_path or demo_catalogue_path()
    queries = read_queries(queries_path or dev_queries_path())
    with step(f"Indekserer / indexing {catalogue_path.name}"):
        index = index_catalogue(catalogue_path, settings, encoder, encoding_progress())
    matcher = Matcher(index, encoder, fusion_scorer())
    with step(f"Kandidater til {len(queries)} forespørgsler / candidates for {len(queries)} queries"):
        data = training_data(matcher, queries, today, CountProgress("forespørgsler / queries"))
    output = output or settings.ranker_path
    provenance = {"catalogue": catalogue_path.name, "queries": len(queries),
                  "queries_digest": queries_digest(queries), "rows": int(len(data.y))}
    if outcomes is not None:
        _train_with_outcomes(settings, matcher, queries, data, today, folds, output, provenance,
                             outcomes)
        return
    with step(f"Krydsvalidering / cross-validation ({folds} x {repeats + 1})"):
        cv = cross_validate(matcher, queries, data, today, folds, repeats=repeats,
                            progress=CountProgress("fold"))
    for name in ("fusion", "learned"):
        click.echo(f"\n{folds}-fold krydsvalidering / cross-validation, {name}:")
        click.echo(format_report(cv[name]))
    if repeats > 1:
        click.echo("\n" + format_repeats(cv["repeated"]))
    summary = {name: {k: cv[name][k] for k in ("ndcg@10", "recall@10", "mrr")}
               for name in ("fusion", "learned")}
    summary["learned_repeated"] = cv["repeated"]
    fit_scorer(data).with_provenance({**provenance, "cv": summary}).to_json(output)
    click.echo(f"Model gemt / saved: {output}")


def _outcome_rows(settings: Settings, path: Path | None) -> list[dict]:
    """The outcome rows of the file, else of the instance's database; a problem ends the run."""
    from casework.crypto import KeyProblem
    from catalogue.db import DatabaseNotReady
    from evaluation.outcomes import OutcomeFileError, read_outcome_rows, stored_outcome_rows

    try:
        return read_outcome_rows(path) if path else stored_outcome_rows(settings)
    except (OutcomeFileError, KeyProblem, DatabaseNotReady) as problem:
        click.echo(str(problem), err=True)
        sys.exit(1)


def _train_with_outcomes(settings: Settings, matcher, queries, data, today: date, folds: int,
                         output: Path, provenance: dict, rows: list[dict]) -> None:
    """Compare the current model's recipe with one that learns from outcomes too, on the same
    held-out split; write the new model only when it is not worse; record and print why."""
    from datetime import datetime, timezone

    from evaluation.decision import decision_record, format_decision, write_decision
    from evaluation.outcomes import outcome_samples
    from evaluation.train import compare_on_held_out, fit_scorer
    from matcher.loader import load_scorer
    from matcher.rank import LinearScorer

    samples = outcome_samples(rows)
    current = LinearScorer.from_json(output) if output.exists() else load_scorer(settings)
    recipe = "fusion" if current.name == "fusion" else "learned"
    with step(f"Nuværende mod ny model / current against new model ({len(samples)} udfald / outcomes)"):
        comparison = compare_on_held_out(matcher, queries, data, samples, today, folds, recipe,
                                         CountProgress("fold"))
    record = decision_record(comparison, {
        "name": current.name, "recipe": recipe, "created_from": current.trained_on.get("catalogue"),
        "outcome_rows": current.trained_on.get("outcome_rows", 0)},
        len(rows), len(samples), folds, datetime.now(timezone.utc))
    if record["decision"] == "switched":
        fit_scorer(data.with_outcomes(samples)).with_provenance(
            {**provenance, "outcome_rows": len(rows), "decision": record["date"]}).to_json(output)
        record["model_written"] = str(output)
    path = write_decision(record, settings.instance_dir)
    click.echo(format_decision(record))
    if record["decision"] == "switched":
        click.echo(f"Model gemt / saved: {output}")
    click.echo(f"Beslutning gemt / decision recorded: {path}")


@commands.command("bench")
@click.option("--sizes", default="1000,10000,100000", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=Path("bench-results"),
              show_default=True)
@click.option("--web", is_flag=True,
              help="Mål i stedet søgesiden under gunicorn / measure the search page under gunicorn.")
@click.option("--guide", is_flag=True,
              help="Mål i stedet vejlederens forslag, mens der skrives / measure the guide's "
                   "suggestions as they type.")
@click.option("--rounds", type=click.IntRange(1, 100), default=3, show_default=True,
              help="--guide: hvor mange gange samtalen skrives / how often the conversation is typed.")
@click.option("--note", default=None, help="--guide: en note i rapporten / a note in the report.")
@click.pass_obj
def bench_command(settings: Settings, sizes: str, output: Path, web: bool, guide: bool,
                  rounds: int, note: str | None) -> None:
    """Mål hastighed og hukommelse / measure speed and memory."""
    if guide:
        from evaluation.guidebench import markdown as guide_markdown
        from evaluation.guidebench import run_guide_bench, write_guide_bench

        with step("Vejlederens forslag, mens der skrives / the guide's suggestions as they type"):
            report = run_guide_bench(settings, rounds)
        json_path, md_path = write_guide_bench(report, output, note)
        click.echo(guide_markdown(report))
        click.echo(f"Skrevet / written: {json_path}, {md_path}")
        return
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
    from matcher.encoder import load_encoder, use_serving_threads

    use_serving_threads(SERVE_WORKERS)   # measured as each of serve's workers encodes
    with step("Indlæser sprogmodellen / loading the encoder"):
        encoder = load_encoder(settings.embedding_model)
    report = run_bench(demo_catalogue_path(), encoder, settings, tuple(int(s) for s in sizes.split(",")),
                       say=say, progress=encoding_progress())
    json_path, md_path = write_bench(report, output)
    click.echo(markdown(report))
    click.echo(f"Skrevet / written: {json_path}, {md_path}")


@commands.command("loadtest")
@click.option("--users", type=click.IntRange(1, 500), default=50, show_default=True,
              help="Samtidige brugere / concurrent users.")
@click.option("--seconds", type=click.IntRange(5, 3600), default=180, show_default=True,
              help="Hvor længe / how long.")
@click.option("--workers", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Serverens arbejdsprocesser / the server's workers.")
@click.option("--database-url", default=None,
              help="En tom PostgreSQL-database (ellers startes en midlertidig) / an empty "
                   "PostgreSQL database (else a throwaway server is started).")
@click.option("--output", type=click.Path(path_type=Path), default=Path("docs"), show_default=True)
@click.pass_obj
def loadtest_command(settings: Settings, users: int, seconds: int, workers: int,
                     database_url: str | None, output: Path) -> None:
    """Belast serveren på denne maskine / load the server on this machine (loopback only)."""
    from evaluation.loadtest import LoadShape, markdown, run_load_test, write_load_report

    with step(f"{users} brugere i {seconds} s / {users} users for {seconds} s"):
        report = run_load_test(settings, LoadShape(users, seconds, workers), database_url)
    json_path, md_path = write_load_report(report, output)
    click.echo(markdown(report))
    click.echo(f"Skrevet / written: {json_path}, {md_path}")
    if not all(report["met"].values()):
        sys.exit(1)
