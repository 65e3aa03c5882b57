"""The yearly confirmation request on SQLite and PostgreSQL: each provider contact with
listings nobody confirmed for 12 months gets one message in the outbox with a listing link per
listing; a rerun writes nothing new; the mailed link confirms the listing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from casework.confirmations import request_confirmations
from casework.models import OutboxMessage
from casework.outbox import deliver
from catalogue import editing
from catalogue.contacts import list_contacts, set_contact
from catalogue.listing_links import confirm_listing
from catalogue.states import DEFAULT_STALE_AFTER_DAYS
from tests.casework.conftest import NOW

TODAY = date(2026, 12, 6)
CONTACTS = {"Ældre Sagen Aarhus": "aeldresagen@example.dk",          # confirmed 2025-09-01
            "Odense Kommune, Borgerservice": "borgerservice@example.dk",  # confirmed 2026-01-15
            "Esbjerg Kommune": "esbjerg@example.dk"}                  # only a paused offer


def _request(desk):
    return request_confirmations(desk.sessions, desk.vault, NOW, TODAY, DEFAULT_STALE_AFTER_DAYS,
                                 30, "https://brobygger.kommune.dk")


def test_one_request_per_contact_with_unconfirmed_listings_and_none_twice(guide_desk,
                                                                          smtp_server):
    for organization in list_contacts(guide_desk.sessions):
        if organization.name in CONTACTS:
            set_contact(guide_desk.sessions, organization.id, CONTACTS[organization.name])
    done = _request(guide_desk)
    assert (done.messages, done.listings) == (1, 1)
    assert (_request(guide_desk).messages, _request(guide_desk).listings) == (0, 0)
    with guide_desk.sessions() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
        assert message.to_address == "aeldresagen@example.dk" and "/p/" not in message.body_sealed
    host, port, caught = smtp_server
    assert deliver(guide_desk.sessions, guide_desk.vault, host, port, "b@k.dk", NOW).sent == 1
    text = caught.messages[0].get_content()
    assert "Gågruppe for seniorer" in text and "Are your listings still true?" in \
        caught.messages[0]["Subject"]
    link = next(word for word in text.split() if "/p/" in word)
    assert link.startswith("https://brobygger.kommune.dk/p/")
    confirm_listing(guide_desk.sessions, link.split("/p/")[1],
                    {"action": "confirm", "capacity": "waitlist"}, NOW, TODAY)
    record = editing.get_offer(guide_desk.sessions,
                               editing.resolve(guide_desk.sessions, "aarhus-gaagruppe")).record
    assert (record.assured_date, record.capacity) == (TODAY, "waitlist")
    assert _request(guide_desk).messages == 0     # confirmed today: not asked again
