"""A coordinator logs in, sees the staff page and logs out: by mouse and by keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def expect_logged_in(journey, email: str) -> None:
    page = journey.page
    expect(page).to_have_url(re.compile(r"/personale$"))
    expect(page.locator("h1")).to_have_text("Du er logget ind")
    facts = page.locator(".facts")
    expect(facts).to_contain_text(email)
    expect(facts).to_contain_text("Koordinator")
    expect(page.locator("nav a[href='/personale']")).to_have_attribute("aria-current", "page")


def expect_logged_out(journey) -> None:
    page = journey.page
    expect(page).to_have_url(re.compile(r"/tilbud$"))
    expect(page.locator("nav a[href='/login']")).to_be_visible()
    expect(page.locator("nav a[href='/personale']")).to_have_count(0)


def test_coordinator_logs_in_and_out_by_mouse(journey, staff_login):
    email, password = staff_login
    page = journey.page
    page.goto("/tilbud")
    journey.check("catalogue list")
    page.locator("nav a[href='/login']").click()
    expect(page.locator("h1")).to_have_text("Log ind for personale")
    journey.check("login form")

    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Adgangskode", exact=True).fill(password + "-forkert")
    page.locator(".login-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("Forkert e-mail eller adgangskode")
    journey.check("wrong password")

    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.locator(".login-form button[type=submit]").click()
    expect_logged_in(journey, email)
    journey.check("staff page")

    page.get_by_role("button", name="Log ud").click()
    expect_logged_out(journey)
    journey.check("logged out")
    page.goto("/personale")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    journey.check("staff page asks to log in again")


def test_coordinator_logs_in_and_out_by_keyboard(journey, staff_login):
    email, password = staff_login
    page, keyboard = journey.page, journey.page.keyboard
    page.goto("/tilbud")
    journey.check("catalogue list")
    journey.tab_to("nav a[href='/login']")
    keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Log ind for personale")

    journey.skip_to_content()
    journey.tab_to("#email")
    keyboard.type(email)
    journey.tab_to("#password")
    keyboard.type(password)
    journey.check("login form, filled")
    keyboard.press("Enter")                 # Enter in a field sends the form
    expect_logged_in(journey, email)
    journey.check("staff page")

    journey.skip_to_content()
    journey.tab_to("main button[type=submit]")
    keyboard.press("Enter")
    expect_logged_out(journey)
    journey.check("logged out")
