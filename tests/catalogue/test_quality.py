"""The listing-quality check: each finding for the listing that earns it and no other, the
target groups read with the matcher's own understanding, and a score that falls with each."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.quality import FINDING_CODES, completeness, findings, score
from catalogue.records import empty_record
from webui.quality import offer_themes

TODAY = date(2026, 12, 6)
GOOD = dict(id="kor", name="Fællessang i Kulturhuset",
            description="Vi synger danske sange sammen hver torsdag og drikker kaffe bagefter. "
                        "Du behøver ikke kunne synge godt, og mange kommer alene første gang.",
            contact="70 11 22 33", schedule="torsdage kl. 14-16", target_groups=("ensomhed",),
            assured_date=date(2026, 6, 1))


def _codes(**changes) -> list[str]:
    record = empty_record(**{**GOOD, **changes})
    return [f.code for f in findings(record, TODAY, offer_themes, duplicate=False)]


def test_a_good_listing_has_no_findings():
    assert _codes() == []


@pytest.mark.parametrize("changes, code", [
    (dict(description="Vi synger."), "short_description"),
    (dict(name="Torsdag", description="Kom forbi til en god eftermiddag i huset på hjørnet, "
                                      "hvor døren står åben fra klokken ti om formiddagen."),
     "vague_description"),
    (dict(contact=""), "no_contact"),
    (dict(schedule=" "), "no_schedule"),
    (dict(target_groups=()), "no_target_group"),
    (dict(target_groups=("misbrug", "hjemloeshed")), "target_groups_unfit"),
    (dict(assured_date=None), "unconfirmed"),
    (dict(assured_date=date(2025, 12, 5)), "unconfirmed"),
])
def test_each_finding_flags_its_listing(changes, code):
    assert code in _codes(**changes)


def test_target_groups_fit_when_the_text_speaks_of_one_of_them_or_they_are_everyone():
    assert "target_groups_unfit" not in _codes(target_groups=("ensomhed", "misbrug"))
    assert "target_groups_unfit" not in _codes(target_groups=("alle", "misbrug"))
    record = empty_record(**{**GOOD, "target_groups": ("misbrug",)})
    [unfit] = findings(record, TODAY, offer_themes)
    assert "Misbrug" in unfit.da and "Addiction" in unfit.en


def test_a_pair_finding_comes_from_the_caller_and_every_finding_lowers_the_score():
    record = empty_record(**GOOD)
    clean = score(record, findings(record, TODAY, offer_themes))
    flagged = findings(record, TODAY, offer_themes, duplicate=True)
    assert [f.code for f in flagged] == ["likely_duplicate"]
    assert clean == completeness(record) > score(record, flagged) >= 0
    bare = empty_record(id="x", name="X", description="Kom.")
    assert score(bare, findings(bare, TODAY, offer_themes)) == 0
    assert len(set(FINDING_CODES)) == 8
