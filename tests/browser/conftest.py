"""The real app on a real port, driven by Debian's chromium through Playwright.

The server is a threaded werkzeug server over an app whose search index is built before the
first request; the browser is the system's chromium (Playwright cannot download its own here).
Missing pieces (chromium, axe-core) fail the tests with a message saying how to install them:
a browser check that is skipped must never look like one that passed.
"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from catalogue.settings import Settings
from tests.browser.journey import ARTEFACTS, Journey
from tests.fixtures import migrated
from tests.webui.conftest import PASSWORD, add_staff, import_offers, offers
from webui import create_app

CHROMIUM = Path(os.environ.get("BROBYGGER_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags chromium tries to reach Google's services, which a
# closed network refuses; the sandbox needs user namespaces that root in a container lacks.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = "run `make system-test-deps` (Debian package chromium, axe-core from npm)"


def staff_app(instance: Path, check_seconds: float = 3600, database_url: str = ""):
    """The app over the small test catalogue with one account per role, its search index built
    before the first request; ``check_seconds`` is how often it re-checks the catalogue."""
    # demo: the session cookie goes without Secure over plain http://127.0.0.1, as in `make run`.
    app = create_app(migrated(Settings(instance_dir=instance, demo=True, database_url=database_url,
                                       index_check_seconds=check_seconds)))
    import_offers(app, offers(), instance / "catalogue.jsonl")
    add_staff(app)
    runtime = app.extensions["brobygger"]
    runtime.records.get()
    runtime.matcher.get()          # the search index, built before the first request
    return app


@contextmanager
def serving(app):
    """The base URL of ``app`` served by a threaded werkzeug server on a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        app.extensions["brobygger"].engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory):
    """The base URL of the app serving the small test catalogue and one account per role, on
    SQLite and on PostgreSQL (the production database)."""
    url = "" if request.param == "sqlite" else \
        request.getfixturevalue("postgres_server").new_database()
    with serving(staff_app(tmp_path_factory.mktemp("browser"), database_url=url)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"chromium is not installed at {CHROMIUM}: {INSTALL_HINT}", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artefacts():
    shutil.rmtree(ARTEFACTS, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so the journey can tell that its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def new_context(browser, base_url: str, locale: str = "da-DK"):
    """A fresh browser context (no cookies) on the app at ``base_url``.

    ``bypass_csp``: the app's Content-Security-Policy rightly refuses injected scripts, and
    axe-core must be injected to inspect the page.
    """
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale=locale,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def journey(request, browser, live_server):
    """A fresh browser context (no cookies) whose steps are screenshotted and checked by axe;
    a journey that passed must have had axe check every page it loaded."""
    context = new_context(browser, live_server)
    page = context.new_page()
    journey = Journey(page, ARTEFACTS / request.node.name)
    yield journey
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        journey.screenshot("failed")        # where the journey stood when it broke
    context.close()
    if report is not None and report.passed and journey.every_page_checked:
        assert not journey.unchecked_pages(), \
            f"pages reached but never checked by axe: {journey.unchecked_pages()}"


@pytest.fixture
def staff_login():
    """The coordinator's e-mail and password (the accounts of ``tests/webui``)."""
    return "koordinator@test.dk", PASSWORD
