"""Outcome rows (``casework.training``) as judged examples for the theme affinity: what a
referral, a prøvehandling or a check-in showed about an offer with these traits for a citizen
whose conversation had these themes. Codes only, no person: rows come from the instance's
database or from a file ``brobygger export-outcomes`` wrote."""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.settings import Settings
from matcher.affinity import theme_tokens, trait_tokens

# How well a result shows the offer suited the citizen (0-3, the grades of the labelled queries).
GRADES = {"ended": 3, "done": 3, "started": 2, "partly": 2, "checkin": 2, "accepted": 1}
Sample = tuple[frozenset[str], frozenset[str], int]


class OutcomeFileError(ValueError):
    """An outcome file that is not what ``export-outcomes`` writes (which line, and why)."""

    def __init__(self, path: Path, line: int, da: str, en: str):
        super().__init__(f"{path}, linje / line {line}: {da} / {en}")


def outcome_grade(row: dict) -> int | None:
    """The grade of one outcome: 0 when the citizen never reached the offer, else by result;
    ``None`` when it says nothing (no result yet)."""
    if row.get("reached") is None:
        return None
    if not row["reached"]:
        return 0
    return GRADES.get(row.get("result"), 1)


def outcome_samples(rows: list[dict]) -> list[Sample]:
    """(query traits, offer traits, grade) for every row about an offer that still exists."""
    samples = []
    for row in rows:
        offer, talk, grade = row.get("offer") or {}, row.get("themes") or {}, outcome_grade(row)
        if not offer.get("kind") or grade is None:
            continue
        query = theme_tokens(talk.get("form", "story"), talk.get("needs", ()),
                             talk.get("interests", ()))
        traits = trait_tokens(offer["kind"], offer.get("target_groups", ()), (),
                              offer.get("roles", ()), offer.get("low_threshold", ()),
                              offer.get("categories", ()), bool(offer.get("requires_referral")))
        samples.append((query, traits, grade))
    return samples


def read_outcome_rows(path: Path) -> list[dict]:
    """The rows of a JSON Lines file from ``brobygger export-outcomes``."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as problem:
            raise OutcomeFileError(path, number, f"ikke gyldig JSON ({problem.msg})",
                                   f"not valid JSON ({problem.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("offer"), dict) \
                or not isinstance(row.get("themes"), dict) or "reached" not in row:
            raise OutcomeFileError(path, number, "mangler »offer«, »themes« eller »reached«",
                                   "'offer', 'themes' or 'reached' is missing")
        rows.append(row)
    return rows


def stored_outcome_rows(settings: Settings) -> list[dict]:
    """The outcome rows of the instance's database (each citizen's read audited)."""
    from catalogue.db import open_database, session_factory
    from casework.crypto import Vault
    from casework.desk import Actor, Desk
    from casework.training import training_rows

    desk = Desk(session_factory(open_database(settings)), Vault.from_settings(settings),
                Actor("brobygger train --with-outcomes"))
    return training_rows(desk)
