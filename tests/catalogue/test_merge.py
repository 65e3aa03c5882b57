"""Three-way merge of an edit that met another change: the base rebuilt from the history, each
field kept from whoever changed it, and a conflict where both did (or the base is unknown)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from catalogue import editing
from catalogue.history import Actor
from catalogue.merge import MINE, THEIRS, merge_edit, three_way, values_at
from catalogue.models import OfferChange

ANNE, BO = Actor("anne@test.dk", 1), Actor("bo@test.dk", 2)
RECORD = {"id": "strik/1", "name": "Strikkeklub", "description": "Vi strikker og drikker kaffe.",
          "kind": "association", "municipalities": ["alle"], "capacity": "open", "cost": "gratis"}


@pytest.mark.parametrize("base, mine, theirs, kept", [
    ("a", "a", "b", THEIRS),        # only they changed it
    ("a", "b", "a", MINE),          # only I changed it
    ("a", "b", "c", None),          # both: the editor chooses
    (None, "b", "c", None),         # unknown base: the editor chooses
])
def test_each_field_is_kept_from_whoever_changed_it(base, mine, theirs, kept):
    known = {"name": base} if base is not None else None
    merge = three_way(known, {"name": mine, "cost": "x"}, {"name": theirs, "cost": "x"}, 1)
    [field] = merge.fields                                   # equal fields are not listed
    assert (field.field, field.kept) == ("name", kept)
    assert merge.values["name"] == (theirs if kept == THEIRS else mine)
    assert merge.base_known == (base is not None)


def test_lists_compare_as_the_history_stores_them():
    merge = three_way({"municipalities": ["alle"]}, {"municipalities": ("alle",)},
                      {"municipalities": ["Aarhus"]}, 1)
    assert [(f.field, f.kept) for f in merge.fields] == [("municipalities", THEIRS)]


@pytest.fixture
def offer(sqlite_sessions):
    created = editing.create_offer(sqlite_sessions, RECORD, "test", ANNE)
    editing.update_offer(sqlite_sessions, created.key, {**RECORD, "name": "Strik og snak"}, 1, ANNE)
    editing.update_offer(sqlite_sessions, created.key,
                         {**RECORD, "name": "Strik og snak", "capacity": "full"}, 2, ANNE)
    return editing.get_offer(sqlite_sessions, created.key)


def test_the_base_is_rebuilt_from_the_history(sqlite_sessions, offer):
    with sqlite_sessions() as session:
        at = {v: values_at(session, offer.key, v, offer.record, offer.version) for v in (1, 2, 3)}
    assert (at[1]["name"], at[1]["capacity"]) == ("Strikkeklub", "open")
    assert (at[2]["name"], at[2]["capacity"]) == ("Strik og snak", "open")
    assert (at[3]["name"], at[3]["capacity"]) == ("Strik og snak", "full")


def test_an_edit_from_version_1_merges_with_both_later_changes(sqlite_sessions, offer):
    mine = editing.validate_offer({**RECORD, "name": "Bos strikkeklub", "cost": "10 kr."}, "test")
    with sqlite_sessions() as session:
        merge = merge_edit(session, offer.key, 1, mine, offer.record, offer.version)
    assert {f.field: f.kept for f in merge.fields} == {"name": None, "capacity": THEIRS,
                                                       "cost": MINE}
    assert (merge.values["capacity"], merge.values["cost"]) == ("full", "10 kr.")


def test_a_gap_in_the_history_makes_every_difference_a_choice(sqlite_sessions, offer):
    with sqlite_sessions.begin() as session:
        session.execute(delete(OfferChange).where(OfferChange.version == 3))
    mine = editing.validate_offer({**RECORD, "cost": "10 kr."}, "test")
    with sqlite_sessions() as session:
        merge = merge_edit(session, offer.key, 1, mine, offer.record, offer.version)
    assert not merge.base_known and not merge.merged
    assert {f.field for f in merge.conflicts} == {"name", "capacity", "cost"}
