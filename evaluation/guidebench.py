"""``brobygger bench --guide``: how fast a guide's suggestions come back while they type.

A throwaway demo instance (the demo catalogue, its shipped vectors and index) with one guide and
one invented citizen; the conversation grows stage by stage (``data/guide_conversation.json``)
and after each saved stage ``GET /api/v1/citizens/{id}/suggestions`` is timed: opening the
sealed conversation, the audit entry, the matcher and the network hints, in process (Flask's
test client, no HTTP server), as the live suggestions call the same code.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from catalogue.settings import Settings
from evaluation.webbench import prepare_instance

CONVERSATION = Path(__file__).parent / "data" / "guide_conversation.json"
GUIDE = "bench-vejleder@brobygger.invalid"
ROUNDS = 3


def _summary(times: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(times, 50)), 1),
            "p95_ms": round(float(np.percentile(times, 95)), 1),
            "max_ms": round(max(times), 1), "requests": len(times)}


def _checked(answer, status: int) -> dict:
    if answer.status_code != status:
        raise RuntimeError(f"{answer.request.method} {answer.request.path} answered "
                           f"{answer.status_code}: {answer.text[:200]}")
    return answer.get_json()


def run_guide_bench(settings: Settings, rounds: int = ROUNDS) -> dict:
    """Suggestion times after each stage of the conversation, ``rounds`` times over."""
    from webui import create_app
    from webui.auth.accounts import create_token, create_user

    script = json.loads(CONVERSATION.read_text(encoding="utf-8"))
    stages = script["stages"]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="brobygger-guidebench-") as folder:
        local = settings.with_(instance_dir=Path(folder), database_url="", demo=True,
                               casework_key="", casework_key_file=None)
        prepare_instance(local)
        app = create_app(local)
        try:
            sessions = app.extensions["brobygger"].sessions
            create_user(sessions, GUIDE, "guide", "Bench")
            headers = {"Authorization": f"Bearer {create_token(sessions, GUIDE)}"}
            client = app.test_client()
            cid = _checked(client.post("/api/v1/citizens", json=script["citizen"],
                                       headers=headers), 201)["id"]
            conversation = f"/api/v1/citizens/{cid}/conversation"
            suggestions = f"/api/v1/citizens/{cid}/suggestions"
            _checked(client.put(conversation, json=stages[-1], headers=headers), 200)
            _checked(client.get(suggestions, headers=headers), 200)          # warm the matcher
            saves, answers, hints = [], [], 0
            for _ in range(rounds):
                for stage in stages:
                    started = time.perf_counter()
                    _checked(client.put(conversation, json=stage, headers=headers), 200)
                    saves.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    shown = _checked(client.get(suggestions, headers=headers), 200)
                    answers.append((time.perf_counter() - started) * 1000)
                    hints += sum(len(r["network"]) for r in shown["results"])
        finally:
            app.extensions["brobygger"].engine.dispose()
    return {"what": "GET /api/v1/citizens/{id}/suggestions after each saved stage of the "
                    "conversation (k=10), in process (Flask test client, no HTTP server)",
            "catalogue": "demo (265 offers)", "stages": len(stages), "rounds": rounds,
            "suggestions": _summary(answers), "conversation_saves": _summary(saves),
            "network_hints_shown": hints,
            "load_average_1m": {"before": round(load_before[0], 2),
                                "after": round(os.getloadavg()[0], 2)},
            "cpus": os.cpu_count()}


def markdown(report: dict) -> str:
    s, w = report["suggestions"], report["conversation_saves"]
    return "\n".join([
        "# Suggestions as the guide types (`brobygger bench --guide`)", "",
        f"{report['what']}; {report['catalogue']}, {report['stages']} stages × "
        f"{report['rounds']} rounds.", "",
        "| | p50 ms | p95 ms | max ms | requests |", "|---|---:|---:|---:|---:|",
        f"| suggestions | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} | {s['requests']} |",
        f"| conversation saves | {w['p50_ms']} | {w['p95_ms']} | {w['max_ms']} | "
        f"{w['requests']} |", "",
        f"Load average (1 min) {report['load_average_1m']['before']} before, "
        f"{report['load_average_1m']['after']} after, on {report['cpus']} CPUs.", ""])


def write_guide_bench(report: dict, output: Path, note: str | None = None) -> tuple[Path, Path]:
    output.mkdir(parents=True, exist_ok=True)
    if note:
        report = {**report, "note": note}
    json_path, md_path = output / "guide.json", output / "guide.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report) + (f"\n{note}\n" if note else ""), encoding="utf-8")
    return json_path, md_path
