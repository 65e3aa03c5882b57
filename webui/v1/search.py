"""``GET /api/v1/search``: the matcher's suggestions in the contract's shape."""

from __future__ import annotations

import re

from flask import jsonify, request

from catalogue.places import town
from matcher.suggestions import Suggestion, Suggestions
from webui.search import run_search
from webui.searchform import parse_search
from webui.v1 import bp, error

GROUPS = {"proevehandlinger": "proevehandling", "network": "network", "services": "service",
          "needs_visitation": "service"}
# The matcher's reasons are Danish sentences "Label: a, b"; the label gives the code.
REASON_CODES = {"Målgruppe": "target_group", "Interesse": "interest", "Fælles ord": "shared_words"}
ACCESS = {
    "visitation": ("Kræver visitation: kommunen afgør, om du kan få tilbuddet",
                   "Needs a municipal assessment decision (visitation)"),
    "turn_up": ("Du kan selv henvende dig", "You can get in touch yourself"),
}


def reasons(s: Suggestion, lang: str) -> list[dict]:
    """``why``: the reasons the offer was chosen, else the rules it passed (never empty)."""
    why = []
    for sentence in s.matched:
        label, colon, rest = sentence.partition(": ")
        code = REASON_CODES.get(label, "matched") if colon else "matched"
        values = [v for v in re.split(r",\s*", rest) if v] if colon else []
        why.append({"code": code, "values": values, "text": sentence})
    if not why:
        why = [{"code": v.rule, "values": [], "text": v.en if lang == "en" else v.da}
               for v in s.rules if v.passed]
    return why or [{"code": "matched", "values": [],
                    "text": "Passer til det, du skrev" if lang != "en" else "Fits what you wrote"}]


def access(s: Suggestion, lang: str) -> dict:
    code = "visitation" if s.offer.requires_referral else "turn_up"
    da, en = ACCESS[code]
    return {"code": code, "da": da, "en": en, "text": en if lang == "en" else da,
            "legal_basis": s.offer.legal_basis}


def result(s: Suggestion, lang: str) -> dict:
    offer = s.offer
    return {"id": offer.id, "source": offer.source, "name": offer.name, "kind": offer.kind,
            "group": GROUPS[s.group], "score": round(s.score, 4), "why": reasons(s, lang),
            "access": access(s, lang), "capacity": offer.capacity,
            "bridges": list(offer.low_threshold), "town": town(offer)}


def to_json(suggestions: Suggestions, lang: str) -> dict:
    return {"results": [result(s, lang) for s in suggestions.items],
            "understood": {"needs": list(suggestions.understood_needs),
                           "interests": list(suggestions.understood_interests),
                           "barriers": []}}


@bp.get("/search")
def search():
    """``?q=&age=&municipality=&postcode=&has_referral=&languages=&k=&lang=da|en``."""
    lang = request.args.get("lang") or "da"
    if lang not in ("da", "en"):
        return error(400, "lang skal være da eller en", "lang must be da or en", "lang")
    form = parse_search(request.args)
    if not form.valid:
        field, first = next(iter(form.errors.items()))
        return error(400, first.da, first.en, field)
    return jsonify(to_json(run_search(form), lang))
