"""Every page is Danish, has landmarks and a skip link, and labels every form control."""

from __future__ import annotations

import pytest

from tests.webui.conftest import SOURCE, post_form
from tests.webui.page import Page

PAGES = ["/tilbud", "/tilbud?q=gæld&kind=municipal", f"/tilbud/{SOURCE}/odense-gaeldsraadgivning",
         "/soeg", "POST /soeg q=gæld&municipality=Odense", "POST /soeg q=&age=abc&postcode=1",
         "/findes-ikke", "/login"]


def fetch(client, url: str):
    """GET ``url``, or for ``"POST /path a=1&b=2"`` send the page's form with those values."""
    if not url.startswith("POST "):
        return client.get(url)
    path, _, query = url.removeprefix("POST ").partition(" ")
    return post_form(client, path, **dict(pair.split("=") for pair in query.split("&")))


@pytest.mark.parametrize("url", PAGES)
def test_page_is_danish_with_main_nav_and_skip_link(client, url):
    response = fetch(client, url)
    page = Page(response.text)
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert page.find("html", lang="da")
    assert len(page.find("main")) == 1
    assert page.find("nav", **{"aria-label": "Hovedmenu"})
    main_id = page.find("main")[0]["id"]
    assert page.find("a", href=f"#{main_id}", **{"class": "skip-link"})
    assert len(page.find("h1")) == 1


@pytest.mark.parametrize("url", PAGES)
def test_every_form_control_has_a_label(client, url):
    page = Page(fetch(client, url).text)
    for control in page.controls:
        assert control.get("id") in page.label_for, control


@pytest.mark.parametrize("url", PAGES)
def test_every_described_by_points_at_an_element(client, url):
    page = Page(fetch(client, url).text)
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    for _, attrs in page.tags:
        for target in (attrs.get("aria-describedby") or "").split():
            assert target in ids


def test_the_current_page_is_marked_in_the_menu(client):
    page = Page(client.get("/soeg").text)
    assert page.find("a", href="/soeg", **{"aria-current": "page"})


def test_styles_are_local_and_show_focus(client):
    page = Page(client.get("/tilbud").text)
    assert [s["href"] for s in page.find("link", rel="stylesheet")] == ["/static/style.css"]
    css = client.get("/static/style.css").text
    assert ":focus-visible" in css and ".skip-link:focus" in css
