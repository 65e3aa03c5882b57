"""Suggestions as plain data (JSON API, ``search --json``) and as text (the terminal)."""

from __future__ import annotations

from catalogue.vocab import label
from matcher.lexicon import interests_lexicon
from matcher.suggestions import GROUP_LABELS, GROUPS, Suggestion, Suggestions


def interest_label(code: str) -> str:
    theme = interests_lexicon().themes.get(code)
    return theme.label_da if theme else code


def suggestion_to_dict(s: Suggestion) -> dict:
    offer = s.offer
    step = s.trial_step
    return {
        "rank": s.rank, "id": offer.id, "source": offer.source, "name": offer.name,
        "kind": offer.kind,
        "kind_label": label("kind", offer.kind), "provider": offer.provider,
        "group": s.group, "score": round(s.score, 4), "why": s.matched,
        "rules": [{"rule": v.rule, "passed": v.passed, "da": v.da, "en": v.en} for v in s.rules],
        "address": offer.address, "postcode": offer.postcode, "schedule": offer.schedule,
        "contact": offer.contact, "requires_referral": bool(offer.requires_referral),
        "trial_step": None if step is None else {
            "what": step.what, "where": step.where, "when": step.when,
            "who_joins": step.who_joins, "follow_up": step.follow_up},
    }


def suggestions_to_dict(suggestions: Suggestions) -> dict:
    return {
        "understood": {"needs": suggestions.understood_needs,
                       "interests": suggestions.understood_interests,
                       "corrections": suggestions.corrections},
        "named_unavailable": [{"id": n.offer.id, "source": n.offer.source, "name": n.offer.name,
                               "why_not": [{"rule": v.rule, "da": v.da, "en": v.en} for v in n.reasons]}
                              for n in suggestions.named_unavailable],
        "groups": [{"group": g, "title_da": GROUP_LABELS[g][0], "title_en": GROUP_LABELS[g][1],
                    "items": [suggestion_to_dict(s) for s in suggestions.group(g)]}
                   for g in GROUPS if suggestions.group(g)],
        "ranked": [suggestion_to_dict(s) for s in suggestions.items],
    }


def suggestions_to_text(suggestions: Suggestions) -> str:
    lines = []
    if suggestions.corrections:
        lines.append("Læst som: " + ", ".join(f"{a} → {b}" for a, b in suggestions.corrections.items()))
    for named in suggestions.named_unavailable:
        lines.append(f"{named.offer.name} kan ikke bruges: {'; '.join(v.da for v in named.reasons)}. "
                     "Her er tilbud, der ligner.")
    if suggestions.understood_needs or suggestions.understood_interests:
        lines.append("Forstået: " + ", ".join(
            [label("target_groups", n) for n in suggestions.understood_needs]
            + [interest_label(code) for code in suggestions.understood_interests]))
    for group in GROUPS:
        items = suggestions.group(group)
        if not items:
            continue
        lines.append(f"\n{GROUP_LABELS[group][0]}")
        for s in items:
            lines.append(f"  {s.rank:>2}. {s.offer.name} ({label('kind', s.offer.kind)}) [{s.offer.id}]")
            lines.append(f"      Hvorfor: {'; '.join(s.matched)}")
            failed = [v.da for v in s.rules if not v.passed]
            if failed:
                lines.append(f"      Bemærk: {'; '.join(failed)}")
            if s.trial_step:
                lines.append(f"      Første skridt: {s.trial_step.what}, {s.trial_step.when}, "
                             f"{s.trial_step.where}. {s.trial_step.follow_up}")
    if not suggestions.items:
        lines.append("Ingen tilbud passer endnu. Prøv andre ord. / No offers fit yet.")
    return "\n".join(lines)
