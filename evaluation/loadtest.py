"""``brobygger loadtest``: many citizens, guides and coordinators at once against the production
server (``brobygger serve``: gunicorn with several workers) on PostgreSQL, for a bounded time.

The visitors are locust users (``evaluation/locustfile.py``) sent only to the loopback address.
The report gives throughput, p50 / p95 / p99 per kind of request and the errors, and checks
afterwards that no accepted change was lost: every coordinator's edit is in the offer's final
text and every prøvehandling a guide added is in the plan.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cryptography.fernet import Fernet

from catalogue.db import engine_for, session_factory
from catalogue.repository import load_records
from catalogue.settings import Settings
from evaluation.bench import bench_queries, write_report
from evaluation.webbench import free_port, prepare_instance, start_server, stop_server
from webui.auth.accounts import create_token, create_user

TARGETS = {"errors": 0, "lost_changes": 0, "search_p95_ms": 300}   # issue 23
SEARCH_KINDS = ("search", "search api")
GUIDES, COORDINATORS, EDITED_OFFERS = 8, 3, 12
CONVERSATION_WORDS = ("ensom", "gå ture", "natur", "kaffe", "motion", "job", "angst", "gæld",
                      "madlavning", "frivillig", "musik", "hund", "struktur", "fællesskab")


@dataclass(frozen=True)
class LoadShape:
    users: int = 50
    seconds: int = 180
    workers: int = 4
    spawn_rate: float = 10.0


def prepare(settings: Settings, folder: Path) -> dict:
    """A database as ``make run`` leaves it, plus staff with bearer tokens; the locust plan."""
    prepare_instance(settings)
    engine = engine_for(settings)
    sessions = session_factory(engine)
    guides = [f"vejleder{i}@aarhus.dk" for i in range(GUIDES)]
    coordinators = [f"koordinator{i}@aarhus.dk" for i in range(COORDINATORS)]
    for email in guides:
        create_user(sessions, email, "guide", "Aarhus")
    for email in coordinators:
        create_user(sessions, email, "coordinator", None)
    with sessions() as session:
        offers = [r.id for r in load_records(session) if r.status == "active"][:EDITED_OFFERS]
    plan = {"queries": [q.text for q in bench_queries()],
            "conversation_words": list(CONVERSATION_WORDS),
            "guide_tokens": [create_token(sessions, e) for e in guides],
            "coordinator_tokens": [create_token(sessions, e) for e in coordinators],
            "offers": offers, "accepted": str(folder / "accepted.json")}
    engine.dispose()
    return plan


def server_environment(settings: Settings) -> dict[str, str]:
    env = {**os.environ, "BROBYGGER_INSTANCE_DIR": str(settings.instance_dir),
           "BROBYGGER_DATABASE_URL": settings.database_url,
           "BROBYGGER_SECRET_KEY": settings.secret_key,
           "BROBYGGER_CASEWORK_KEY": settings.casework_key}
    env.pop("BROBYGGER_DEMO", None)
    return env


def warm_up(base: str, workers: int) -> None:
    """Searches enough at once that every worker has loaded its matcher before the clock runs."""
    url = f"{base}/api/v1/search?q=f%C3%A6llesskab"
    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(lambda _: urllib.request.urlopen(url, timeout=120).read(), range(workers * 4)))


def run_locust(base: str, plan_path: Path, shape: LoadShape, prefix: Path) -> None:
    locustfile = Path(str(resources.files("evaluation") / "locustfile.py"))
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
               "--host", base, "-u", str(shape.users), "-r", str(shape.spawn_rate),
               "-t", f"{shape.seconds}s", "--stop-timeout", "10", "--csv", str(prefix),
               "--only-summary", "--loglevel", "WARNING"]
    ran = subprocess.run(command, env={**os.environ, "BROBYGGER_LOAD_PLAN": str(plan_path)},
                         check=False, timeout=shape.seconds + 180, capture_output=True, text=True)
    if not prefix.with_name(prefix.name + "_stats.csv").exists():
        raise RuntimeError(f"locust ran without a report:\n{ran.stderr[-3000:]}")


def read_stats(path: Path) -> dict[str, dict]:
    """locust's ``_stats.csv``: per kind of request its count, failures, percentiles and rate."""
    kinds = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            kinds[name] = {"requests": int(row["Request Count"]),
                           "failures": int(row["Failure Count"]),
                           "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                           "p99_ms": float(row["99%"] or 0),
                           "per_second": round(float(row["Requests/s"] or 0), 2)}
    return kinds


def read_failures(path: Path) -> list[dict]:
    """locust's ``_failures.csv``: each kind of failure once, with how often it happened."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [{"method": row["Method"], "name": row["Name"], "error": row["Error"][:300],
                 "occurrences": int(row["Occurrences"])} for row in csv.DictReader(f)]


def lost_edits(accepted: list[dict], descriptions: dict[str, str]) -> list[dict]:
    """Accepted edits whose marker is missing from the offer's final description."""
    return [e for e in accepted if e["marker"] not in descriptions.get(e["offer"], "")]


def lost_steps(accepted: list[dict], plans: dict[str, set[str]]) -> list[dict]:
    """Accepted prøvehandlinger missing from their citizen's plan."""
    return [s for s in accepted if s["step"] not in plans.get(s["citizen"], set())]


def _plans(base: str, accepted: list[dict]) -> dict[str, set[str]]:
    plans = {}
    for citizen, headers in {s["citizen"]: s["token"] for s in accepted}.items():
        request = urllib.request.Request(f"{base}/api/v1/citizens/{citizen}/plan", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            plans[citizen] = {step["id"] for step in json.load(answer)["steps"]}
    return plans


def verdicts(kinds: dict[str, dict], lost: int) -> dict[str, bool]:
    errors = kinds.get("all", {}).get("failures", 0)
    search_p95 = max((kinds[k]["p95_ms"] for k in SEARCH_KINDS if k in kinds), default=0.0)
    return {"errors": errors <= TARGETS["errors"], "lost_changes": lost <= TARGETS["lost_changes"],
            "search_p95_ms": search_p95 <= TARGETS["search_p95_ms"]}


def run_load_test(settings: Settings, shape: LoadShape, database_url: str | None = None) -> dict:
    """Prepare a throwaway instance (and PostgreSQL server unless ``database_url``), serve it,
    run the visitors for ``shape.seconds``, then check that nothing accepted was lost."""
    from evaluation.postgres import PostgresServer

    postgres = None if database_url else PostgresServer().start()
    with tempfile.TemporaryDirectory(prefix="brobygger-load-") as tmp:
        folder = Path(tmp)
        settings = settings.with_(instance_dir=folder / "instance", demo=False,
                                  database_url=database_url or postgres.new_database(),
                                  secret_key=secrets.token_urlsafe(48),
                                  casework_key=Fernet.generate_key().decode())
        try:
            plan = prepare(settings, folder)
            plan_path = folder / "plan.json"
            plan_path.write_text(json.dumps(plan), encoding="utf-8")
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start_server(server_environment(settings), port, shape.workers)
            warm_up(base, shape.workers)
            load_before = os.getloadavg()[0]
            try:
                started = time.perf_counter()
                run_locust(base, plan_path, shape, folder / "locust")
                seconds = time.perf_counter() - started
                accepted = json.loads(Path(plan["accepted"]).read_text(encoding="utf-8"))
                plans = _plans(base, accepted["steps"])
            finally:
                stop_server(server)
            engine = engine_for(settings)
            with session_factory(engine)() as session:
                descriptions = {r.id: r.description for r in load_records(session)}
            engine.dispose()
            kinds = read_stats(folder / "locust_stats.csv")
            failures = read_failures(folder / "locust_failures.csv")
        finally:
            if postgres:
                postgres.stop()
    lost = lost_edits(accepted["edits"], descriptions) + lost_steps(accepted["steps"], plans)
    return {"server": f"gunicorn, {shape.workers} workers, PostgreSQL", "cores": os.cpu_count(),
            "users": shape.users, "seconds": round(seconds, 1), "catalogue": "demo",
            "load_average_before": load_before, "kinds": kinds, "failures": failures,
            "accepted": {"edits": len(accepted["edits"]), "steps": len(accepted["steps"]),
                         "conversations": len(accepted["conversations"])},
            "lost_changes": len(lost), "targets": TARGETS, "met": verdicts(kinds, len(lost))}


def markdown(report: dict) -> str:
    met = report["met"]
    lines = [f"# Belastningstest / load test ({report['server']}, {report['cores']} cores)", "",
             f"{report['users']} samtidige brugere i {report['seconds']:.0f} s / concurrent users "
             f"for {report['seconds']:.0f} s; load average before: {report['load_average_before']:.2f}.",
             "", "| kind | requests | failures | per s | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, row in report["kinds"].items():
        lines.append(f"| {name} | {row['requests']} | {row['failures']} | {row['per_second']} | "
                     f"{row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} |")
    for failure in report["failures"]:
        lines.append(f"\nFailure: {failure['method']} {failure['name']}: {failure['error']} "
                     f"({failure['occurrences']}×)")
    accepted = report["accepted"]
    lines += ["", f"Accepted changes: {accepted['edits']} offer edits, {accepted['steps']} plan steps, "
              f"{accepted['conversations']} conversation saves; lost: {report['lost_changes']}.", "",
              "Targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items()), ""]
    return "\n".join(lines)


def write_load_report(report: dict, output: Path) -> tuple[Path, Path]:
    return write_report(report, markdown(report), output, "load")
