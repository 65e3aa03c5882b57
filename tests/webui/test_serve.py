"""``brobygger serve`` for real: gunicorn answers, names no version, and logs JSON lines with
route patterns, never a query string or a token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).parents[2]
TOKEN = "Hemmelig" + "x" * 35


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float):
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_gunicorn_serves_with_a_versionless_server_header_and_logs_route_patterns(tmp_path):
    port = free_port()
    env = {**os.environ, "BROBYGGER_INSTANCE_DIR": str(tmp_path), "BROBYGGER_DEMO": "",
           "BROBYGGER_SECRET_KEY": "t" * 48, "PYTHONPATH": str(ROOT),
           "BROBYGGER_CASEWORK_KEY": Fernet.generate_key().decode()}
    subprocess.run([sys.executable, "-m", "catalogue.cli", "init-db"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "catalogue.cli", "serve", "--port", str(port),
                                   "--workers", "1"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
        try:
            response = get(f"http://127.0.0.1:{port}/tilbud?q=hemmelig+gaeld", time.monotonic() + 60)
            assert response.status == 200
            assert response.headers["Server"] == "gunicorn"
            assert response.headers["X-Frame-Options"] == "DENY"
            with pytest.raises(HTTPError) as unknown:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/p/{TOKEN}", timeout=30)
            assert unknown.value.code == 404
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    requests = {(r["method"], r["path"], r["status"]) for r in lines if "status" in r}
    assert {("GET", "/tilbud", 200), ("GET", "/p/<token>", 404)} <= requests
    assert any(r["logger"] == "gunicorn.error" for r in lines)        # gunicorn's own, as JSON
    assert "hemmelig" not in log.read_text() and TOKEN not in log.read_text()
