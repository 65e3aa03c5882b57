"""The payload lists of ``tests/data/payloads`` (see its README) and the checks that an answer
left them inert: never a 5xx, never written unescaped into HTML, template expressions never
evaluated, no injected header, no file's content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parents[1] / "data" / "payloads"
ESCAPE = re.compile(r"\\(r|n|t|\\|u[0-9a-fA-F]{4})")
HTML_SPECIAL = set("<>\"'&")
# What a read file would show: /etc/passwd, our own pyproject.toml, a Python traceback.
LEAKS = ("root:x:0:0", "[project]", "Traceback (most recent call last)")
RUNNABLE_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


@dataclass(frozen=True)
class Payload:
    category: str          # the file's name without .txt
    value: str | bytes     # bytes only for invalid UTF-8
    evaluated: str | None = None   # for template injection: what evaluation would show

    @property
    def text(self) -> str:
        """The payload as text (invalid UTF-8 decoded with replacement, for form fields)."""
        return self.value if isinstance(self.value, str) else self.value.decode("latin-1")


def _unescape(line: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        return {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}.get(code) or chr(int(code[1:], 16))
    return ESCAPE.sub(one, line)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def load() -> list[Payload]:
    """Every payload of every list, in a fixed order."""
    found = []
    for path in sorted(FOLDER.glob("*.txt")):
        category = path.stem
        for line in _lines(path):
            if category == "template":
                value, evaluated = line.split("\t")
                found.append(Payload(category, _unescape(value), evaluated))
            elif category == "invalid_utf8":
                found.append(Payload(category, bytes.fromhex(line)))
            elif category == "oversized":
                count, text = line.split(" ", 1)
                found.append(Payload(category, text * int(count)))
            else:
                found.append(Payload(category, _unescape(line)))
    return found


def by_category(payloads: list[Payload]) -> dict[str, list[Payload]]:
    grouped: dict[str, list[Payload]] = {}
    for payload in payloads:
        grouped.setdefault(payload.category, []).append(payload)
    return grouped


def pairs(payloads: list[Payload], fields: list, everything: bool) -> list[tuple[Payload, object]]:
    """Which payload goes into which field. Everything × everything when ``everything``;
    otherwise each category's list and the fields are walked side by side until both are used
    up, so that every payload reaches the surface and every field meets every category."""
    if everything:
        return [(p, f) for p in payloads for f in fields]
    chosen = []
    for group in by_category(payloads).values():
        chosen += [(group[i % len(group)], fields[i % len(fields)])
                   for i in range(max(len(group), len(fields)))]
    return chosen


def assert_inert(response, payloads: list[Payload], where: str) -> None:
    """No 5xx; in HTML no payload unescaped, none evaluated, no runnable link; no injected
    header; nothing read from a file."""
    assert response.status_code < 500, f"{where}: {response.status_code}"
    for name, value in response.headers.items():
        assert name.lower() != "x-injected" and "stjaalet" not in value, where
    if response.is_streamed or response.mimetype == "application/pdf":
        return
    body = response.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in body, f"{where}: {leak}"
    if response.mimetype != "text/html":
        return
    assert not RUNNABLE_LINK.search(body), where
    for payload in payloads:
        if payload.evaluated is not None:
            assert payload.evaluated not in body, f"{where}: {payload.value!r} evaluated"
        text = payload.text
        if HTML_SPECIAL & set(text) and len(text) < 1000:
            assert text not in body, f"{where}: {text!r} unescaped"
