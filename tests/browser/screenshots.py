"""The README's screenshots of the coordinators' pages, taken from the app over the small test
catalogue by Debian's chromium at 1280x800:

    python -m tests.browser.screenshots docs/screenshots

Each page is also checked by axe-core (no serious or critical violation), as in the journeys.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serving, staff_app
from tests.browser.journey import Journey
from tests.webui.conftest import PASSWORD, STAFF

VIEWPORT = {"width": 1280, "height": 800}
EDIT = "/koordinator/tilbud/aalborg-strikkeklub/ret"
IMPORT_FILE = [
    {"id": "skakklub", "name": "Skakklub for alle", "kind": "association",
     "description": "Vi spiller skak hver onsdag aften.", "municipalities": ["alle"]},
    {"id": "koekkenhave", "name": "Fælles køkkenhave", "kind": "association",
     "description": "Vi dyrker grøntsager sammen.", "municipalities": ["Aarhus"],
     "min_age": "tolv"},
    {"id": "sprogcafe-2", "name": "Sprogcafé om lørdagen", "kind": "association",
     "description": "Øv dansk over en kop kaffe.", "municipalities": ["alle"]},
]


def logged_in(browser, base_url: str, email: str):
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="da-DK",
                                  viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Du er logget ind")
    return page


def shoot(page, folder: Path, name: str) -> None:
    """The visible part of the page as ``name.png``, after axe-core found nothing serious."""
    Journey(page, folder).assert_accessible()
    page.screenshot(path=folder / f"{name}.png")
    print(folder / f"{name}.png")


def take(folder: Path, base_url: str, browser, work: Path) -> None:
    page = logged_in(browser, base_url, STAFF["coordinator"])
    page.goto("/koordinator/tilbud")
    shoot(page, folder, "koordinator-liste")

    page.goto(EDIT)
    page.locator("#name").fill("")
    page.locator("#min_age").fill("atten")
    page.locator(".offer-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, folder, "ret-tilbud-med-fejl")

    # a conflict: the administrator saves while the coordinator edits
    page.goto(EDIT)
    other = logged_in(browser, base_url, STAFF["admin"])
    other.goto(EDIT)
    other.locator("#schedule").fill("onsdage kl. 19-21")
    other.locator("#name").fill("Strikkeklub, Aalborg")
    other.locator(".offer-form button[type=submit]").click()
    expect(other.locator(".flash-messages")).to_be_visible()
    page.locator("#name").fill("Strikkeklubben i Aalborg")
    page.locator(".offer-form button[type=submit]").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_be_visible()
    page.evaluate("document.querySelector('.conflict').scrollIntoView({block: 'start'})")
    shoot(page, folder, "konflikt")
    conflict.get_by_text("Din version: Strikkeklubben i Aalborg").click()
    page.locator(".offer-form button[type=submit]").click()
    expect(page.locator(".flash-messages")).to_be_visible()

    page.goto(EDIT.replace("/ret", "/historik"))
    shoot(page, folder, "historik")
    page.goto("/koordinator/arbejdslister")
    shoot(page, folder, "arbejdslister")

    preview_import(page, work / "foreninger.jsonl", IMPORT_FILE)
    expect(page.locator(".import-preview")).to_be_visible()
    shoot(page, folder, "import-fejl")
    mended = [IMPORT_FILE[0], {**IMPORT_FILE[1], "min_age": 12}, *IMPORT_FILE[2:]]
    preview_import(page, work / "foreninger.jsonl", mended)
    expect(page.locator(".import-counts")).to_be_visible()
    shoot(page, folder, "import-proevekoersel")


def preview_import(page, path: Path, offers: list[dict]) -> None:
    """Upload ``offers`` as JSON Lines on the import page and ask for the dry-run preview."""
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in offers),
                    encoding="utf-8")
    page.goto("/koordinator/import")
    page.locator("#file").set_input_files(path)
    page.locator("#source").fill("frivilligcenter")
    page.locator(".import-form button[type=submit]").click()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.browser.screenshots FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, \
            serving(staff_app(Path(tmp), check_seconds=0)) as base_url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            take(folder, base_url, browser, Path(tmp))
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
