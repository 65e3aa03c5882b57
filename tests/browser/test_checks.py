"""The journeys' own checks can fail: axe-core reports a broken page, and the focus check
notices an element that hides its focus."""

from __future__ import annotations

import pytest

from tests.browser.journey import axe_report

pytestmark = pytest.mark.browser


def test_axe_reports_a_serious_violation_readably(journey):
    page, journey.every_page_checked = journey.page, False
    page.goto("/tilbud")
    page.evaluate("""() => {
      const input = document.createElement("input");
      input.id = "unlabelled";
      document.querySelector("main").append(input);
    }""")
    with pytest.raises(AssertionError) as failure:
        journey.assert_accessible()
    message = str(failure.value)
    assert "[critical] label:" in message and "#unlabelled" in message


def test_a_hidden_focus_indicator_is_noticed(journey):
    page, journey.every_page_checked = journey.page, False
    page.goto("/tilbud")
    page.add_style_tag(content="*:focus-visible { outline: none !important; box-shadow: none !important }")
    with pytest.raises(AssertionError, match="no focus indicator"):
        journey.tab_to("#kind")


def test_axe_report_names_rule_impact_and_element():
    report = axe_report("http://x/tilbud", [{
        "id": "color-contrast", "impact": "serious", "help": "Elements must have sufficient contrast",
        "helpUrl": "https://example.org/color-contrast",
        "nodes": [{"target": ".lead-en", "summary": "Fix any of the following:\n  contrast 3.1:1"}],
    }])
    assert report.splitlines() == [
        "axe-core found 1 serious or critical violation(s) on http://x/tilbud:",
        "- [serious] color-contrast: Elements must have sufficient contrast "
        "(https://example.org/color-contrast)",
        "    .lead-en: Fix any of the following: contrast 3.1:1",
    ]


def test_a_page_reached_without_axe_is_noticed(journey):
    page, journey.every_page_checked = journey.page, False
    page.goto("/tilbud")
    journey.check("list")
    page.goto("/soeg")
    assert [url.rsplit("/", 1)[-1] for url in journey.unchecked_pages()] == ["soeg"]
