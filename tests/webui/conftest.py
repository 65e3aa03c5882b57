"""An app over a temporary SQLite catalogue: the small known catalogue plus two debt offers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from catalogue.records import OfferRecord
from catalogue.settings import Settings
from ingest.importer import import_catalogue
from tests.fixtures import migrated, small_catalogue
from tests.webui.page import Page
from webui import create_app

SOURCE = "test"
CASEWORK_KEY = Fernet.generate_key().decode()
DEBT_OFFERS = [
    OfferRecord(
        id="aarhus-gaeldscafe", name="Gældscafé i Aarhus", kind="association",
        description="Frivillige hjælper dig med breve, rykkere, budget og gæld. Kom forbi.",
        provider="Frivilligcenter Aarhus", target_groups=("gaeld_oekonomi",),
        municipalities=("Aarhus",), requires_referral=False, cost="gratis",
        address="Mejlgade 10", postcode="8000", schedule="mandage kl. 16-18",
        languages=("da",), low_threshold=("ingen_tilmelding",), capacity="open"),
    OfferRecord(
        id="odense-gaeldsgruppe-2024", name="Gældsgruppen i Odense", kind="association",
        description="En samtalegruppe om gæld, rykkere og økonomi. Gruppen er slut.",
        provider="Frivilligcenter Odense", target_groups=("gaeld_oekonomi",),
        municipalities=("Odense",), valid_to=date(2024, 12, 31), schedule="torsdage kl. 17-19"),
]


def offers() -> list[OfferRecord]:
    return small_catalogue() + DEBT_OFFERS


def import_offers(app, records: list[OfferRecord], path: Path) -> None:
    """Write ``records`` as interchange JSON Lines and import them the way the CLI does."""
    path.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    import_catalogue(app.extensions["brobygger"].sessions, path, "jsonl", SOURCE)


def make_app(instance_dir: Path, database_url: str = ""):
    """An app with its own database (SQLite unless ``database_url`` names another) holding
    ``offers()``; re-checks on every request."""
    app = create_app(migrated(Settings(instance_dir=instance_dir, database_url=database_url,
                                       index_check_seconds=0, casework_key=CASEWORK_KEY)))
    app.config["TESTING"] = True
    import_offers(app, offers(), instance_dir / "catalogue.jsonl")
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Shared by a module's tests, which only read: the search index is built once."""
    app = make_app(tmp_path_factory.mktemp("webui"))
    yield app
    app.extensions["brobygger"].engine.dispose()


@pytest.fixture
def own_app(tmp_path: Path):
    """A fresh app for a test that changes the catalogue."""
    app = make_app(tmp_path)
    yield app
    app.extensions["brobygger"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, url: str = "/soeg") -> str:
    """The CSRF token of the form on ``url``, as a browser would send it back."""
    return Page(client.get(url).text).find("input", name="csrf_token")[0]["value"]


def post_form(client, url: str, **data):
    """Open the page with the form on ``url`` and send it with its CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


PASSWORD = "korrekt-hest-batteri"
STAFF = {"admin": "admin@test.dk", "coordinator": "koordinator@test.dk", "guide": "vejleder@test.dk"}


def add_staff(app) -> None:
    """One account per role (the guide in team Aarhus), all with ``PASSWORD``."""
    from webui.auth.accounts import create_user

    sessions = app.extensions["brobygger"].sessions
    for role, email in STAFF.items():
        create_user(sessions, email, role, "Aarhus" if role == "guide" else None, PASSWORD)


def staff_with_tokens(app) -> dict[str, dict[str, str]]:
    """``add_staff``, and each role's bearer header for the API."""
    from webui.auth.accounts import create_token

    add_staff(app)
    sessions = app.extensions["brobygger"].sessions
    return {role: {"Authorization": "Bearer " + create_token(sessions, email)}
            for role, email in STAFF.items()}


def log_in(client, email: str, password: str = PASSWORD):
    return post_form(client, "/login", email=email, password=password)


@pytest.fixture
def staff_app(tmp_path: Path):
    """A fresh app with one account per role, for tests that log in (failures are remembered)."""
    app = make_app(tmp_path)
    add_staff(app)
    yield app
    app.extensions["brobygger"].engine.dispose()
