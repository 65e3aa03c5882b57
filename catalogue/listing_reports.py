"""A provider's "something is wrong" through the listing link (``/p/{token}``): which part is
wrong and, in the provider's own words, what. The report changes no fact of the offer
(coordinators decide); it uses the link like any answer, leaves a row in the offer's history
(action ``provider_report``, the part as ``field``, the words as ``new``) and waits on the
coordinators' worklist until one of them marks it handled. The words are catalogue data about an
offer, written by its provider; they are kept out of logs and URLs all the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import aware, write_if
from catalogue.editing import EditError, load_offer
from catalogue.history import Actor
from catalogue.listing_links import (LISTING_LINK, InvalidAnswer, confirm_listing, open_link,
                                     use_link)
from catalogue.models import ListingReport, OfferChange
from catalogue.records import unprintable_problem

REPORT_ACTION = "provider_report"
MAX_TEXT = 1000
# the parts of a listing a provider can say are wrong: code -> (Danish, English)
PARTS = {"time": ("Tidspunkt", "Time"), "place": ("Sted", "Place"),
         "contact": ("Kontakt", "Contact"), "description": ("Beskrivelse", "Description"),
         "ended": ("Tilbuddet findes ikke længere", "The offer no longer runs"),
         "other": ("Andet", "Other")}
DEFAULT_PART = "other"


class ReportNotFound(EditError):
    """No such report (404)."""

    status = 404


@dataclass(frozen=True)
class Report:
    """One provider's report as the worklist shows it."""

    id: int
    offer_key: int
    part: str
    text: str
    reported_at: datetime
    handled_at: datetime | None
    handled_by: str | None


def report_input(data: object) -> tuple[str, str]:
    """(part, text) from ``{"action": "report", "part": PART (optional), "text": "..."}``;
    ``InvalidAnswer`` naming the field otherwise."""
    if not isinstance(data, dict):
        raise InvalidAnswer("Send ét JSON-objekt", "Send one JSON object", "body")
    part = data.get("part") or DEFAULT_PART
    if part not in PARTS:
        raise InvalidAnswer("Vælg, hvad der er forkert: " + ", ".join(PARTS),
                            "Choose what is wrong: " + ", ".join(PARTS), "part")
    text = data.get("text")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise InvalidAnswer("Skriv, hvad der er forkert", "Write what is wrong", "text")
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(f"Skriv højst {MAX_TEXT:,} tegn (nu {len(text):,})".replace(",", "."),
                            f"Write at most {MAX_TEXT:,} characters (now {len(text):,})", "text")
    if problem := unprintable_problem(text):
        raise InvalidAnswer(*problem, "text")
    return part, text


def report_problem(sessions: sessionmaker[Session], token: str, data: object,
                   now: datetime) -> dict:
    """The provider's one answer "something is wrong": the report is stored for the
    coordinators and named in the offer's history; the offer itself is unchanged. The link is
    used afterwards."""
    part, text = report_input(data)
    with sessions.begin() as session:
        link = open_link(session, token, now)
        use_link(session, link, now)
        offer = load_offer(session, link.offer_id)
        session.add(ListingReport(offer_id=offer.id, link_id=link.id, part=part, text=text,
                                  reported_at=now))
        session.add(OfferChange(offer_id=offer.id, who=LISTING_LINK.who,
                                action=REPORT_ACTION, field=part, old_value=None,
                                new_value=text, version=offer.version))
        return {"offer_id": offer.external_id, "action": "report", "part": part,
                "reported_at": now.isoformat()}


def answer_listing(sessions: sessionmaker[Session], token: str, data: object, now: datetime,
                   today: date) -> dict:
    """The provider's one answer through a listing link: ``confirm`` or ``report``."""
    if isinstance(data, dict) and data.get("action") == "report":
        return report_problem(sessions, token, data, now)
    return confirm_listing(sessions, token, data, now, today)


def open_reports(session: Session) -> list[Report]:
    """Reports no coordinator has handled yet, newest first."""
    rows = session.scalars(select(ListingReport).where(ListingReport.handled_at.is_(None))
                           .order_by(ListingReport.reported_at.desc(), ListingReport.id.desc()))
    return [Report(r.id, r.offer_id, r.part, r.text, aware(r.reported_at), None, None)
            for r in rows]


def mark_handled(sessions: sessionmaker[Session], report_id: int, actor: Actor,
                 now: datetime) -> Report:
    """A coordinator has looked at the report. Written once (UPDATE ... WHERE not handled): a
    report already handled keeps its first handler, who is returned."""
    with sessions.begin() as session:
        row = session.get(ListingReport, report_id)
        if row is None:
            raise ReportNotFound("Meldingen findes ikke", "The report does not exist", "report")
        write_if(session, row, ListingReport.handled_at.is_(None), handled_at=now,
                 handled_by=actor.who)
        session.refresh(row)
        return Report(row.id, row.offer_id, row.part, row.text, aware(row.reported_at),
                      aware(row.handled_at), row.handled_by)
