"""Outcomes as pseudonymised training rows, on SQLite and PostgreSQL: offer traits, themes as
codes, the result; no name, no id, no free text; a new pseudonym with every export."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from casework import inbox, plan, sharing
from casework.links import PROVIDER_LINK
from casework.models import AuditEntry
from casework.training import training_rows
from tests.casework.conftest import MARKER
from tests.casework.test_services import CONVERSATION, _course


def test_training_rows_hold_codes_and_results_only(guide_desk):
    cid, _, consent = _course(guide_desk)
    sent = sharing.refer(guide_desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                      "consent_id": consent, "message": "Privat besked"})
    inbox.answer_referral(guide_desk.with_actor(PROVIDER_LINK), sent["provider_link"][3:],
                          {"action": "decline", "reason": "full", "note": "Fuldt hold"})
    step_id, _ = plan.add_step(guide_desk, cid, {"offer_id": "aarhus-gaagruppe",
                                                 "what": "Gå med én gang"})
    plan.record_outcome(guide_desk, step_id, {"result": "done", "next": "continue",
                                              "learned": "Hun kunne lide det"})
    plan.add_step(guide_desk, cid, {"offer_id": "aarhus-gaagruppe", "what": "Uden udfald"})
    rows = training_rows(guide_desk, salt=b"fast")
    assert [(r["source"], r["result"], r["reached"]) for r in rows] == [
        ("referral", "declined", False), ("step", "done", True)]
    first = rows[0]
    assert first["offer"]["kind"] == "association" and first["offer_id"] == "test:aarhus-gaagruppe"
    assert first["themes"]["barriers"] == ["angst", "transport"]
    assert first["themes"]["interests"] or first["themes"]["needs"]
    dumped = json.dumps(rows, ensure_ascii=False)
    for private in (MARKER, "Mette", cid, "Privat besked", "Fuldt hold", "Hun kunne lide",
                    "Gå med én gang", CONVERSATION["barrier_words"], "Søsteren Lise"):
        assert private not in dumped
    assert rows[0]["example"] == rows[1]["example"] == training_rows(guide_desk, b"fast")[0][
        "example"]
    assert training_rows(guide_desk)[0]["example"] != rows[0]["example"]   # a new salt each time
    with guide_desk.sessions() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "training_export")) == 3
