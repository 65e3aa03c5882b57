"""An edit that met someone else's change, on the coordinators' page: the three-way merge
(``catalogue.merge``) fills the form, and the coordinator chooses per field both changed.

The form then carries ``base_version`` (the version first opened), ``conflicts`` (the fields
both changed) and a ``keep-FIELD`` choice (``mine`` or ``theirs``) for each of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue.merge import MINE, THEIRS
from catalogue.records import OfferRecord
from webui.offerform import MAX_VERSION
from webui.params import whole_number

BASE_VERSION, CONFLICTS = "base_version", "conflicts"


def choice_name(field: str) -> str:
    return f"keep-{field}"


def apply_choices(form: Mapping[str, str], data: dict, stored: OfferRecord) -> tuple[dict, list[str]]:
    """``data`` with the stored value of each conflicting field the coordinator gave up, and
    the conflicting fields not yet decided."""
    data, theirs, undecided = dict(data), stored.to_interchange(), []
    for field in form.get(CONFLICTS, "").split():
        if field not in data:           # not an offer field: a forged form, ignored
            continue
        choice = form.get(choice_name(field))
        if choice == THEIRS:
            data[field] = theirs.get(field)
        elif choice != MINE:
            undecided.append(field)
    return data, undecided


def base_version(form: Mapping[str, str]) -> int:
    """The version the coordinator first opened (0, never a stored version, when unreadable)."""
    return whole_number((form.get(BASE_VERSION) or "").strip(), 1, MAX_VERSION) or 0
