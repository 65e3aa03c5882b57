"""The forms on the app's pages, read as a browser reads them: each form's action, method and
controls with the values it would send untouched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What a person would type where a form leaves a field empty, so that one hostile field at a
# time meets the code behind a form that is otherwise valid.
TYPED = {"name": "Testperson", "age": "30", "municipality": "Aarhus", "postcode": "8000",
         "languages": "da", "purpose": "Forløb i Din Indgang", "consent": "yes",
         "email": "angriber@test.dk", "password": "forkert-adgangskode-123", "q": "gåtur",
         "what": "Gå med én gang", "when": "2026-12-24", "follow_up": "2026-12-24",
         "dreams": "Gå ture", "message": "Hej", "contact_email": "kontakt@test.dk"}
NEVER_TICKED = {"confirm", "remove"}
REPEATED_ROW = re.compile(r"-[1-9][0-9]*-")      # erasing or ending is not what these tests are about


@dataclass(frozen=True)
class Control:
    name: str
    kind: str            # an input's type, "textarea" or "select"
    value: str
    checked: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    def baseline(self) -> dict[str, list[str]]:
        """What submitting the form would send, empty text fields typed in, and the first
        choice made where a person must choose (never a box that confirms erasing)."""
        data: dict[str, list[str]] = {}
        for control in self.controls:
            name, kind = control.name, control.kind
            if kind in ("checkbox", "radio"):
                wanted = name in TYPED or kind == "radio"
                if control.checked or (wanted and name not in NEVER_TICKED and name not in data):
                    data.setdefault(name, []).append(control.value)
                continue
            value = control.value
            if kind == "select":
                value = value or next(iter(self.options.get(name) or []), "")
            data.setdefault(name, []).append(value or TYPED.get(_base(name), ""))
        return data

    def fields(self, every_row: bool = False) -> list[str]:
        """Every control's name a payload can be put into (the CSRF token left out); of rows
        that repeat (``person-0-name``, ``person-1-name``) the first only, unless ``every_row``."""
        return list(dict.fromkeys(c.name for c in self.controls if c.name != "csrf_token" and (
            every_row or not REPEATED_ROW.search(c.name))))


def _base(name: str) -> str:
    return name.rsplit("-", 1)[-1]


class FormReader(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.live = page, [], []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(self.page, a.get("action") or self.page,
                              (a.get("method") or "get").lower())
            self.forms.append(self._form)
            if a.get("data-live-url"):          # the same fields, sent as the guide types
                self.live.append((self._form, a["data-live-url"]))
        if self._form is None:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            kind = a.get("type") or "text"
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.controls.append(Control(a["name"], kind, a.get("value") or default,
                                               "checked" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.controls.append(Control(a["name"], "textarea", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.controls.append(Control(a["name"], "select", ""))
        elif tag == "option" and self._select and a.get("value"):
            self._form.options.setdefault(self._select, []).append(a["value"])
            if "selected" in a:
                self._set(self._select, "select", a["value"])

    def _set(self, name: str, kind: str, value: str) -> None:
        self._form.controls = [Control(c.name, c.kind, value) if (c.name, c.kind) == (name, kind)
                               else c for c in self._form.controls]

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._set(self._textarea, "textarea", data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    reader = FormReader(page)
    reader.feed(html)
    return reader.forms + [Form(form.page, url, "post", form.controls, form.options)
                           for form, url in reader.live]
