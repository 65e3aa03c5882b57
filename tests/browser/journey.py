"""A journey through the site: every step is screenshotted and checked by axe-core, and
keyboard moves check that the focused element can be seen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ARTEFACTS = HERE / "artefacts"
AXE_SCRIPT = HERE / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    description: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + " " + JSON.stringify((el.innerText || el.value || el.name || "").trim().slice(0, 40)),
    // a date field's calendar button lives in chromium's shadow tree: only :focus-within
    focusVisible: el.matches(":focus-visible") || el.matches("input:focus-within:not(:focus)"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
      && box.right > 0 && box.left < innerWidth,
  };
}"""


def axe_report(url: str, violations: list[dict]) -> str:
    """The violations as lines a person can act on: rule, impact, help, and each element."""
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@dataclass
class Journey:
    """A Playwright ``page`` and the folder where this journey's screenshots go."""

    page: object
    folder: Path
    steps: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)       # the URL of every document loaded
    checked: set[int] = field(default_factory=set)       # which of them axe has checked
    every_page_checked: bool = True                      # False only in tests of the checks

    def __post_init__(self):
        self.page.on("load", lambda page: self.loads.append(page.url))

    def unchecked_pages(self) -> list[str]:
        """Pages this journey reached that axe never looked at."""
        return [url for i, url in enumerate(self.loads) if i not in self.checked]

    def check(self, name: str) -> None:
        """Screenshot the page as step ``name``, then assert axe finds nothing serious."""
        self.page.wait_for_load_state("load")
        self.screenshot(name)
        self.assert_accessible()

    def screenshot(self, name: str) -> None:
        """Save the whole page as the next numbered step in this journey's folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps.append(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=self.folder / f"{len(self.steps):02d}-{slug}.png", full_page=True)

    def assert_accessible(self) -> None:
        if not AXE_SCRIPT.exists():
            pytest.fail(f"axe-core is not installed at {AXE_SCRIPT}: run `make system-test-deps`",
                        pytrace=False)
        self.page.add_script_tag(path=str(AXE_SCRIPT))
        violations = [v for v in self.page.evaluate(RUN_AXE) if v["impact"] in BLOCKING_IMPACTS]
        self.checked.add(len(self.loads) - 1)
        assert not violations, axe_report(self.page.url, violations)

    # keyboard

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def assert_focus_visible(self) -> dict:
        focused = self.focused()
        assert focused is not None, "nothing has the keyboard focus"
        assert focused["focusVisible"] and (focused["outline"] or focused["shadow"]), \
            f"the focused element shows no focus indicator: {focused}"
        assert focused["onScreen"], f"the focused element is off screen: {focused}"
        return focused

    def tab_to(self, selector: str, limit: int = 80, key: str = "Tab") -> None:
        """Press Tab until the element matching ``selector`` has the focus, checking on the way
        that every element reached shows its focus."""
        for _ in range(limit):
            self.page.keyboard.press(key)
            self.assert_focus_visible()
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{limit} presses of {key} never reached {selector}")

    def skip_to_content(self) -> None:
        """The first Tab reaches the skip link, shown on screen; Enter moves focus into main."""
        self.page.keyboard.press("Tab")
        focused = self.assert_focus_visible()
        assert self.page.evaluate("document.activeElement.matches('a.skip-link')"), focused
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.tagName") == "MAIN"
