"""``brobygger bench --web``: the search page's answer times on the demo catalogue under the
production server (gunicorn, as ``brobygger serve`` starts it), as a browser would ask: fetch the
form for its CSRF token, then POST the citizen's words.

Run in a throwaway instance folder; the report is written beside the other benchmark files.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from catalogue.db import engine_for, init_db, session_factory
from catalogue.demo import demo_catalogue_path
from catalogue.settings import Settings
from evaluation.bench import bench_queries
from ingest.importer import import_catalogue
from matcher.demo_vectors import seed_demo_vectors
from matcher.encoder import load_encoder
from matcher.loader import ensure_index

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ROUNDS = 5
CLIENTS = 4   # browsers asking at once in the concurrent part


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_instance(settings: Settings) -> None:
    """What ``make run`` does before serving: database, demo catalogue, shipped vectors, index."""
    engine = engine_for(settings)
    init_db(engine)
    sessions = session_factory(engine)
    import_catalogue(sessions, demo_catalogue_path(), "jsonl", "demo")
    encoder = load_encoder(settings.embedding_model)
    seed_demo_vectors(sessions, encoder.name)
    ensure_index(sessions, settings, encoder)
    engine.dispose()


class Browser:
    """One visitor with a cookie jar: reads the form's CSRF token once, then searches by POST."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/soeg", timeout=30).read().decode()
        self.token = TOKEN.search(page).group(1)

    def search(self, text: str) -> float:
        body = urllib.parse.urlencode({"csrf_token": self.token, "q": text}).encode()
        started = time.perf_counter()
        with self.opener.open(f"{self.base}/soeg", data=body, timeout=60) as answer:
            answer.read()
            if answer.status != 200:
                raise RuntimeError(f"/soeg answered {answer.status}")
        return (time.perf_counter() - started) * 1000


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """``brobygger serve`` on the loopback address with ``env``, once it answers the search page."""
    server = subprocess.Popen([sys.executable, "-m", "catalogue.cli", "serve", "--port", str(port),
                               "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/soeg", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("Serveren svarede ikke inden for to minutter / "
                       "the server did not answer within two minutes")


def stop_server(server: subprocess.Popen) -> None:
    """Ask gunicorn to stop; kill it when its workers have not ended within a minute."""
    server.terminate()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(30)


def _serve(instance: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "BROBYGGER_INSTANCE_DIR": str(instance), "BROBYGGER_DEMO": "1"}
    env.pop("BROBYGGER_DATABASE_URL", None)
    return start_server(env, port, workers)


def _summary(times: list[float]) -> dict:
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)),
            "requests": len(times)}


def run_web_bench(settings: Settings, workers: int = 2) -> dict:
    """Answer times of the search page: one visitor at a time, then ``CLIENTS`` at once."""
    texts = [q.text for q in bench_queries()]
    with tempfile.TemporaryDirectory(prefix="brobygger-webbench-") as folder:
        instance = Path(folder)
        prepare_instance(settings.with_(instance_dir=instance, database_url=""))
        port = free_port()
        server = _serve(instance, port, workers)
        try:
            base = f"http://127.0.0.1:{port}"
            visitor = Browser(base)
            for text in texts[:3]:                       # warm both workers' matchers
                visitor.search(text)
                Browser(base).search(text)
            alone = [visitor.search(text) for _ in range(ROUNDS) for text in texts]
            visitors = [Browser(base) for _ in range(CLIENTS)]
            with ThreadPoolExecutor(CLIENTS) as pool:
                together = [t for batch in pool.map(
                    lambda v: [v.search(text) for _ in range(ROUNDS) for text in texts], visitors)
                    for t in batch]
        finally:
            stop_server(server)
    return {"server": f"gunicorn, {workers} workers", "catalogue": "demo (265 offers)",
            "queries": len(texts), "one_visitor": _summary(alone),
            f"{CLIENTS}_visitors_at_once": _summary(together)}
