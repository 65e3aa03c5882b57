"""``brobygger serve`` for real: gunicorn answers, names no version, and logs no query strings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).parents[2]


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


def test_gunicorn_serves_with_a_versionless_server_header_and_path_only_access_log(tmp_path):
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
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    assert "GET /tilbud HTTP/1.1" in text
    assert "hemmelig" not in text
