"""``/healthz`` and ``/readyz``: public, uncached, cookie-free; ready only with the database
reachable, migrated, and the served search index built from today's catalogue; a restore from
a backup makes the index stale, and the worker rebuilds it and becomes ready again."""

from __future__ import annotations

import json

import psycopg
import pytest
from alembic import command

from catalogue.backup import backup_database, restore_database
from catalogue.db import alembic_config, init_db, make_engine, session_factory
from ingest.importer import import_catalogue
from tests.fixtures import small_catalogue
from tests.webui.conftest import make_app


def probe(client, path: str):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    return response.status_code, response.get_json()


def test_healthz_answers_without_the_database(tmp_path):
    app = make_app(tmp_path)
    app.extensions["brobygger"].engine.dispose()
    (tmp_path / "brobygger.db").unlink()
    client = app.test_client()
    assert probe(client, "/healthz") == (200, {"status": "ok"})
    assert probe(client, "/readyz") == (503, {"status": "unavailable", "reason": "database_missing"})


@pytest.mark.slow
def test_readyz_waits_for_an_index_built_from_todays_catalogue(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    client = app.test_client()
    state = app.extensions["brobygger"]
    assert probe(client, "/readyz") == (200, {"status": "ready"})

    first = small_catalogue()[0]
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({**first.to_interchange(), "cost": "50 kr."}) + "\n")
    import_catalogue(state.sessions, changed, "jsonl", "test")
    assert probe(client, "/readyz") == (503, {"status": "unavailable", "reason": "index_stale"})
    state.matcher.wait()                      # the probe started the rebuild in the background
    assert probe(client, "/readyz") == (200, {"status": "ready"})

    command.downgrade(alembic_config(state.engine), "0006")
    assert probe(client, "/readyz") == (503, {"status": "unavailable",
                                              "reason": "migrations_pending"})
    state.engine.dispose()


@pytest.mark.slow
def test_after_a_restore_the_index_is_stale_then_rebuilt_from_the_restored_catalogue(
        tmp_path, database_url, request):
    app = make_app(tmp_path, database_url)
    client, state = app.test_client(), app.extensions["brobygger"]
    assert probe(client, "/readyz")[0] == 200
    assert client.get("/api/v1/offers/odense-cafe-vaeksthuset").status_code == 200

    other = (f"sqlite:///{tmp_path / 'other.db'}" if database_url.startswith("sqlite")
             else request.getfixturevalue("postgres_server").new_database())
    engine = make_engine(other)
    init_db(engine)
    three = tmp_path / "three.jsonl"
    three.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                             for r in small_catalogue()[:3]), encoding="utf-8")
    import_catalogue(session_factory(engine), three, "jsonl", "test")
    backup_database(engine, tmp_path / "three.backup")
    engine.dispose()
    restore_database(make_engine(database_url), tmp_path / "three.backup", replace=True)

    assert probe(client, "/readyz") == (503, {"status": "unavailable", "reason": "index_stale"})
    state.matcher.wait()
    assert probe(client, "/readyz") == (200, {"status": "ready"})
    assert state.matcher.get().index.size == 3
    assert client.get("/api/v1/offers/odense-cafe-vaeksthuset").status_code == 404
    state.engine.dispose()


def test_readyz_names_no_internals_when_the_database_is_gone(tmp_path, postgres_server):
    url = postgres_server.new_database()
    app = make_app(tmp_path, url)
    app.extensions["brobygger"].engine.dispose()
    with psycopg.connect(host=str(postgres_server.socket_dir), user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{make_engine(url).url.database}" WITH (FORCE)')
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database_unreachable"}
    assert str(postgres_server.socket_dir) not in response.text
    assert app.test_client().get("/healthz").status_code == 200
