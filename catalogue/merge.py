"""Three-way merge of an edit that met someone else's change (optimistic locking's second half).

The base is the offer as the editor opened it, rebuilt from the history (``offer_changes``)
backwards from the current offer. A field only one side changed keeps that side's value; a
field both changed to different values is a conflict the editor decides. When the history does
not cover every version since the base, every differing field is a conflict: nothing is ever
overwritten on a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalogue.history import offer_history, record_values
from catalogue.records import OfferRecord

MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True)
class FieldMerge:
    """One field where the editor's value differs from the stored one; ``kept`` is whose value
    the merge keeps (``mine`` or ``theirs``), None when both changed it: the editor chooses."""

    field: str
    base: object
    mine: object
    theirs: object
    kept: str | None


@dataclass(frozen=True)
class Merge:
    base_version: int
    base_known: bool
    fields: list[FieldMerge]
    values: dict          # the merged record's values; a conflict holds the editor's value

    @property
    def conflicts(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.kept is None]

    @property
    def merged(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.kept is not None]


def _plain(values: dict) -> dict:
    """JSON values (lists, never tuples), as history rows hold them, so values compare equal."""
    return json.loads(json.dumps(values, default=str))


def values_at(session: Session, key: int, version: int, current: OfferRecord,
              current_version: int) -> dict | None:
    """The offer's values at ``version``, undoing each later change from the current record
    backwards; None when some version since has no history rows (the base is not known)."""
    later = [c for c in offer_history(session, key) if c.version > version]
    if version < 1 or {c.version for c in later} != set(range(version + 1, current_version + 1)):
        return None
    values = _plain(record_values(current))
    for change in sorted(later, key=lambda c: c.version, reverse=True):
        if change.field is None:          # the offer was created after ``version``
            return None
        values[change.field] = change.old
    return values


def three_way(base: dict | None, mine: dict, theirs: dict, base_version: int) -> Merge:
    """Merge the editor's values into the stored ones, field by field (see the module's text)."""
    mine, theirs = _plain(mine), _plain(theirs)
    fields, values = [], dict(theirs)
    for name, their_value in theirs.items():
        my_value = mine.get(name)
        if my_value == their_value:
            continue
        base_value = base.get(name) if base is not None else None
        if base is not None and my_value == base_value:
            kept = THEIRS
        elif base is not None and their_value == base_value:
            kept = MINE
        else:
            kept = None
        fields.append(FieldMerge(name, base_value, my_value, their_value, kept))
        values[name] = their_value if kept == THEIRS else my_value
    return Merge(base_version, base is not None, fields, values)


def merge_edit(session: Session, key: int, base_version: int, mine: OfferRecord,
               current: OfferRecord, current_version: int) -> Merge:
    """The merge of ``mine`` (edited from ``base_version``) into the offer as stored now."""
    base = values_at(session, key, base_version, current, current_version)
    return three_way(base, record_values(mine), record_values(current), base_version)
