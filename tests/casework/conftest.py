"""A casework desk on each database: two guide teams, the small known catalogue, a fresh key."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet

from casework.crypto import Vault
from casework.desk import Actor, Desk
from ingest.importer import import_catalogue
from tests.fixtures import small_catalogue
from webui.auth.accounts import create_user

PASSWORD = "korrekt-hest-batteri"
MARKER = "Jeg drømmer om at passe brevduer på taget i Sønderborg"
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
OTHER_TEAM = Actor("vejleder@odense.dk", None, "Odense")


def new_citizen(**changes) -> dict:
    return {"name": "Mette", "age": 34, "municipality": "Aarhus", "postcode": "8000",
            "languages": ["da"], "consent": {"purpose": "Forløb i Din Indgang",
                                             "given_at": "2026-12-01T10:00:00+01:00"}, **changes}


@pytest.fixture
def guide_desk(sessions, tmp_path):
    """A guide of team Aarhus (``desk.with_actor(OTHER_TEAM)`` is a guide of team Odense)."""
    ids = {}
    for email, team in (("vejleder@aarhus.dk", "Aarhus"), ("vejleder@odense.dk", "Odense")):
        ids[email] = create_user(sessions, email, "guide", team, PASSWORD)[0].id
    path = tmp_path / "offers.jsonl"
    path.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                            for r in small_catalogue()), encoding="utf-8")
    import_catalogue(sessions, path, "jsonl", "test")
    desk = Desk(sessions, Vault((Fernet.generate_key(),)),
                Actor("vejleder@aarhus.dk", ids["vejleder@aarhus.dk"], "Aarhus"), clock=lambda: NOW)
    return desk
