"""Suggestions as plain data (JSON API, ``search --json``) and as text (the terminal), worded by
the same renderer as the pages (``webui.reasons``)."""

from __future__ import annotations

from catalogue.access import access
from catalogue.places import town
from catalogue.vocab import label
from matcher.suggestions import GROUPS, Suggestion, Suggestions
from webui.i18n import LANGUAGES
from webui.reasons import (barrier_label, card_facts, corrections_text, group_title,
                           interest_label, notes, reason_text, step_texts)


def suggestion_to_dict(s: Suggestion) -> dict:
    offer = s.offer
    step = s.trial_step
    return {
        "rank": s.rank, "id": offer.id, "source": offer.source, "name": offer.name,
        "kind": offer.kind,
        "kind_label": label("kind", offer.kind), "provider": offer.provider,
        "group": s.group, "score": round(s.score, 4),
        "why": [{"code": r.code, "values": list(r.values),
                 **{language: reason_text(r, language) for language in LANGUAGES}}
                for r in s.reasons],
        "rules": [{"rule": v.rule, "passed": v.passed, "da": v.da, "en": v.en} for v in s.rules],
        "address": offer.address, "postcode": offer.postcode, "town": town(offer),
        "distance_km": None if s.distance_km is None else round(s.distance_km, 1),
        "schedule": offer.schedule, "contact": offer.contact,
        "requires_referral": bool(offer.requires_referral), "capacity": offer.capacity,
        "access": access(offer).to_dict(),
        "trial_step": None if step is None else {
            "action": step.action,
            "next_session": step.next_session.isoformat() if step.next_session else None,
            "follow_up_date": step.follow_up.isoformat(),
            **{language: step_texts(step, language) for language in LANGUAGES}},
    }


def suggestions_to_dict(suggestions: Suggestions) -> dict:
    return {
        "understood": {"needs": suggestions.understood_needs,
                       "interests": suggestions.understood_interests,
                       "barriers": suggestions.understood_barriers,
                       "corrections": suggestions.corrections},
        "named_unavailable": [{"id": n.offer.id, "source": n.offer.source, "name": n.offer.name,
                               "why_not": [{"rule": v.rule, "da": v.da, "en": v.en} for v in n.reasons]}
                              for n in suggestions.named_unavailable],
        "groups": [{"group": g, "title_da": group_title(g, "da"), "title_en": group_title(g, "en"),
                    "items": [suggestion_to_dict(s) for s in suggestions.group(g)]}
                   for g in GROUPS if suggestions.group(g)],
        "ranked": [suggestion_to_dict(s) for s in suggestions.items],
    }


def suggestions_to_text(suggestions: Suggestions) -> str:
    """The terminal's answer, in Danish."""
    language = "da"
    lines = []
    if suggestions.corrections:
        lines.append(corrections_text(suggestions.corrections, language))
    for named in suggestions.named_unavailable:
        lines.append(f"{named.offer.name} kan ikke bruges: {'; '.join(v.da for v in named.reasons)}. "
                     "Her er tilbud, der ligner.")
    if suggestions.understood_needs or suggestions.understood_interests:
        lines.append("Forstået: " + ", ".join(
            [label("target_groups", n, language) for n in suggestions.understood_needs]
            + [interest_label(code, language) for code in suggestions.understood_interests]))
    if suggestions.understood_barriers:
        lines.append("Det tager vi hensyn til: " + "; ".join(
            barrier_label(code, language) for code in suggestions.understood_barriers))
    for group in GROUPS:
        items = suggestions.group(group)
        if not items:
            continue
        lines.append(f"\n{group_title(group, language)}")
        for s in items:
            facts = card_facts(s, language)
            if s.offer.capacity in ("waitlist", "full"):
                facts.append(label("capacity", s.offer.capacity, language))
            lines.append(f"  {s.rank:>2}. {s.offer.name} ({label('kind', s.offer.kind, language)}) "
                         f"[{s.offer.id}]{''.join(f' · {f}' for f in facts)}")
            lines.append(f"      Hvorfor: {'; '.join(reason_text(r, language) for r in s.reasons)}")
            lines.append(f"      Adgang: {access(s.offer).text(language)}")
            failed = [v.da for v in notes(s)]
            if failed:
                lines.append(f"      Bemærk: {'; '.join(failed)}")
            if s.trial_step:
                step = step_texts(s.trial_step, language)
                lines.append(f"      Første skridt: {step['what']}, {step['when']}, "
                             f"{step['where']}. {step['follow_up']}")
    if not suggestions.items:
        lines.append("Ingen tilbud passer endnu. Prøv andre ord. / No offers fit yet.")
    return "\n".join(lines)
