"""A small reader of rendered HTML for tests: form controls, labels, landmarks and text."""

from __future__ import annotations

from html.parser import HTMLParser

CONTROLS = ("input", "select", "textarea")


class Page(HTMLParser):
    """What a user (or a screen reader) finds on a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.label_for: set[str] = set()
        self._text: list[str] = []
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = attrs.get("id")
        elif tag == "option":
            attrs["select"] = self._select
        self.tags.append((tag, attrs))
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])

    def handle_data(self, data):
        self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def controls(self) -> list[dict]:
        return [a for t, a in self.tags if t in CONTROLS and a.get("type") != "hidden"]

    def options(self, select_id: str) -> list[str]:
        """The values a <select> offers, the empty "no choice" left out."""
        return [a["value"] for a in self.find("option", select=select_id) if a.get("value")]

    @property
    def links(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]
