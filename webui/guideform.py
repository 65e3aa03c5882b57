"""The guide's forms read into the same dicts the JSON API takes, so that ``casework.rules``
checks both alike. Pure functions over a ``MultiDict``; the network map is numbered rows
(``person-0-name`` ...) so that it works without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from werkzeug.datastructures import MultiDict

from webui.params import whole_number

EMPTY_ROWS = 3          # blank rows offered on the network map for new people
MAX_ROWS = 100


def _text(form: MultiDict, name: str) -> str | None:
    return (form.get(name) or "").strip() or None


def _number(form: MultiDict, name: str, low: int, high: int):
    """A whole number, or the raw text (so that the rules name the field), or None."""
    raw = _text(form, name)
    return raw if raw is None else (whole_number(raw, low, high) or raw)


def citizen_body(form: MultiDict, now: datetime) -> dict:
    """The consent is a ticked box plus its purpose, given now."""
    languages = [w for w in re.split(r"[\s,;]+", (form.get("languages") or "").lower()) if w]
    consent = ({"purpose": _text(form, "purpose"), "given_at": now.isoformat()}
               if form.get("consent") == "yes" else None)
    return {"name": _text(form, "name"), "age": _number(form, "age", 0, 999),
            "municipality": _text(form, "municipality"), "postcode": _text(form, "postcode"),
            "languages": languages, "accessibility_needs": form.getlist("accessibility_needs"),
            "busy": _text(form, "busy"), "consent": consent}


def network_rows(form: MultiDict, offer_refs: Mapping[str, str] | None = None) -> list[dict]:
    """Rows with a name and not marked for removal, in order; the offer where the citizen knows
    the person from is typed by its name (``offer_refs``: ``source:id`` by case-folded name;
    a name not found goes on as typed, for the casework to refuse)."""
    rows = []
    for index in range(MAX_ROWS):
        prefix = f"person-{index}-"
        name = _text(form, prefix + "name")
        if name is None or form.get(prefix + "remove") == "yes":
            continue
        rows.append({"id": _text(form, prefix + "id"), "name": name,
                     "relation": _text(form, prefix + "relation"),
                     "ring": _text(form, prefix + "ring"),
                     "closeness": _number(form, prefix + "closeness", 1, 3),
                     "offer_id": _offer(_text(form, prefix + "offer"), offer_refs or {})})
    return rows


def _offer(typed: str | None, offer_refs: Mapping[str, str]) -> str | None:
    return offer_refs.get(typed.casefold(), typed) if typed else None


def conversation_body(form: MultiDict, offer_refs: Mapping[str, str] | None = None) -> dict:
    return {"dreams": _text(form, "dreams"), "goals": _text(form, "goals"),
            "what_matters": _text(form, "what_matters"), "barriers": form.getlist("barriers"),
            "barrier_words": _text(form, "barrier_words"), "notes": _text(form, "notes"),
            "network": network_rows(form, offer_refs)}


def form_version(form: MultiDict) -> int | None:
    """The conversation's version the form was opened at (None: an old form without one, which
    saves as before; -1, never a version, when unreadable, so it meets the conflict page)."""
    raw = form.get("version")
    if raw is None:
        return None
    number = whole_number(raw.strip(), 0, 10**9)
    return -1 if number is None else number


def step_body(form: MultiDict) -> dict:
    return {"offer_id": _text(form, "offer_id"), "what": _text(form, "what"),
            "where": _text(form, "where"), "when": _text(form, "when"),
            "companion": _text(form, "companion"), "follow_up": _text(form, "follow_up")}


def outcome_body(form: MultiDict) -> dict:
    return {"result": _text(form, "result"), "progress": _number(form, "progress", 1, 10),
            "next": _text(form, "next"), "learned": _text(form, "learned")}


def share_body(form: MultiDict, now: datetime) -> dict:
    """The consent to share: the ticked pieces with the chosen offer, given now (None unless
    the consent box is ticked)."""
    if form.get("consent") != "yes":
        return {}
    return {"scope": {"offer_id": _text(form, "offer_id")}, "shares": form.getlist("shares"),
            "given_at": now.isoformat()}


def referral_body(form: MultiDict, citizen_id: str, consent_id: str | None) -> dict:
    return {"citizen_id": citizen_id, "offer_id": _text(form, "offer_id"),
            "consent_id": consent_id or "", "message": _text(form, "message"),
            "follow_up": _text(form, "follow_up")}
