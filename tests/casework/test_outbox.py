"""The outbox on SQLite and PostgreSQL: a referral to an organisation with a contact e-mail
writes the provider's message (sealed: it holds the link; nothing about the citizen), and
delivery over a real local SMTP server marks it sent and blanks the body; nothing is sent twice,
and an unreachable server leaves the message pending."""

from __future__ import annotations

from sqlalchemy import select

from casework import inbox, rights, sharing
from casework.links import PROVIDER_LINK
from casework.models import OutboxMessage
from casework.outbox import deliver
from catalogue.contacts import list_contacts, set_contact
from tests.casework.conftest import MARKER, NOW
from tests.casework.test_services import _course

ADDRESS = "frivillig@aeldresagen-aarhus.dk"


def _walking_group_contact(desk, address=ADDRESS):
    [org] = [o for o in list_contacts(desk.sessions) if o.name == "Ældre Sagen Aarhus"]
    set_contact(desk.sessions, org.id, address)


def _refer(desk) -> dict:
    cid, _, consent = _course(desk)
    return sharing.refer(desk, {"citizen_id": cid, "offer_id": "aarhus-gaagruppe",
                                "consent_id": consent, "message": "Mette er lidt genert"})


def test_a_referral_is_mailed_to_the_organisation_and_sent_once(guide_desk, smtp_server):
    host, port, caught = smtp_server
    assert _refer(guide_desk)["mail"] == "no_contact"
    _walking_group_contact(guide_desk)
    sent = _refer(guide_desk)
    assert sent["mail"] == "queued"
    with guide_desk.sessions() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
        assert message.to_address == ADDRESS and message.sent_at is None
        assert sent["provider_link"] not in message.body_sealed       # sealed: the link is a key
        body = guide_desk.vault.open(message.body_sealed)
    for private in (MARKER, "Mette", "genert"):
        assert private not in body and private not in message.subject
    done = deliver(guide_desk.sessions, guide_desk.vault, host, port, "brobygger@kommune.dk", NOW)
    assert (done.sent, done.failed) == (1, 0)
    [mail] = caught.messages
    assert mail["To"] == ADDRESS and mail["Subject"] == "Ny henvisning til Gågruppe for seniorer"
    text = mail.get_content()
    assert "En vejleder fra Aarhus har henvist en borger" in text and MARKER not in text
    link = next(w for w in text.split() if "/p/" in w)
    assert link == guide_desk.public_url + sent["provider_link"]
    shown = inbox.open_referral(guide_desk.with_actor(PROVIDER_LINK), link.split("/p/")[1])
    assert shown["citizen"] == {"name": "Mette", "dreams": MARKER}
    with guide_desk.sessions() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.sent_at is not None and message.body_sealed is None
    again = deliver(guide_desk.sessions, guide_desk.vault, host, port, "b@k.dk", NOW)
    assert (again.sent, again.failed, len(caught.messages)) == (0, 0, 1)
    rights.erase_citizen(guide_desk, sharing.get_referral(guide_desk, sent["id"])["citizen_id"])
    with guide_desk.sessions() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_an_unreachable_server_leaves_the_message_pending(guide_desk, smtp_server):
    _walking_group_contact(guide_desk)
    _refer(guide_desk)
    host, port, caught = smtp_server
    done = deliver(guide_desk.sessions, guide_desk.vault, host, 1, "b@k.dk", NOW)
    assert (done.sent, done.failed) == (0, 1)
    with guide_desk.sessions() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.attempts == 1 and message.last_error and message.body_sealed
    assert deliver(guide_desk.sessions, guide_desk.vault, host, port, "b@k.dk", NOW).sent == 1
    assert len(caught.messages) == 1
