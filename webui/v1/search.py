"""``GET /api/v1/search``: the matcher's suggestions in the contract's shape."""

from __future__ import annotations

from flask import jsonify, request

from casework.hints import network_hints
from casework.suggest import SuggestionQuery
from catalogue.access import access
from catalogue.places import town
from matcher.barriers import answering_bridges
from matcher.suggestions import Suggestion, Suggestions
from webui.reasons import hint_dict, reason_dict
from webui.runtime import runtime
from webui.search import run_search
from webui.searchform import parse_search
from webui.v1 import bp, error

GROUPS = {"proevehandlinger": "proevehandling", "network": "network", "services": "service",
          "needs_visitation": "service"}


def reasons(s: Suggestion, lang: str) -> list[dict]:
    """``why``: the reasons the offer was chosen, as codes with values and text in ``lang``
    (the matcher always gives at least one)."""
    return [reason_dict(reason, lang) for reason in s.reasons]


def bridges(s: Suggestion, barriers: tuple[str, ...]) -> list[str]:
    """All the offer's ``low_threshold`` codes, those answering the citizen's barriers first;
    ``why`` names every answering bridge in words (an accessibility fact or a free price too)."""
    answering = [b for b in answering_bridges(s.offer, barriers) if b in s.offer.low_threshold]
    return [*answering, *(b for b in s.offer.low_threshold if b not in answering)]


def result(s: Suggestion, lang: str, barriers: tuple[str, ...] = ()) -> dict:
    offer = s.offer
    return {"id": offer.id, "source": offer.source, "name": offer.name, "kind": offer.kind,
            "group": GROUPS[s.group], "score": round(s.score, 4), "why": reasons(s, lang),
            "access": access(offer).to_dict(lang), "capacity": offer.capacity,
            "bridges": bridges(s, barriers), "town": town(offer),
            "distance_km": None if s.distance_km is None else round(s.distance_km, 1)}


def to_json(suggestions: Suggestions, lang: str) -> dict:
    barriers = tuple(suggestions.understood_barriers)
    return {"results": [result(s, lang, barriers) for s in suggestions.items],
            "understood": {"needs": list(suggestions.understood_needs),
                           "interests": list(suggestions.understood_interests),
                           "barriers": list(barriers)}}


def citizen_json(query: SuggestionQuery, k: int, lang: str) -> dict:
    """The suggestions for a citizen's course: the search's answer, and on each result the
    ``network`` hints from the citizen's map (worked out after the matcher answered)."""
    answer = runtime().matcher.get().suggest(query.text, query.citizen, k)
    shown = to_json(answer, lang)
    providers = {f"{r.source}:{r.id}": r.provider for r in runtime().records.get()}
    for result_json, suggestion in zip(shown["results"], answer.items):
        result_json["network"] = [hint_dict(h, lang) for h in
                                  network_hints(query.people, suggestion.offer, providers)]
    return shown


@bp.get("/search")
def search():
    """``?q=&age=&municipality=&postcode=&has_referral=&languages=&barriers=&k=&lang=da|en``."""
    lang = request.args.get("lang") or "da"
    if lang not in ("da", "en"):
        return error(400, "lang skal være da eller en", "lang must be da or en", "lang")
    form = parse_search(request.args)
    if not form.valid:
        field, first = next(iter(form.errors.items()))
        return error(400, first.da, first.en, field)
    return jsonify(to_json(run_search(form), lang))
