"""SQLAlchemy models, organised like Open Referral HSDS: organization, service (offer), location,
schedule, eligibility. Personal data about citizens never lives in these tables."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Organization(Base):
    """The provider of an offer (a municipality's unit, an association, a company)."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(320))   # where referrals are mailed
    offers: Mapped[list[Offer]] = relationship(back_populates="organization")


class Offer(Base):
    """One offer (HSDS "service"), identified from outside by ``source`` + ``external_id``."""

    __tablename__ = "offer"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_offer_source_external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    low_threshold: Mapped[list[str]] = mapped_column(JSON, default=list)
    cost: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    valid_to: Mapped[date | None] = mapped_column(Date)
    assured_date: Mapped[date | None] = mapped_column(Date)
    schedule_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organization: Mapped[Organization | None] = relationship(back_populates="offers")
    eligibility: Mapped[Eligibility] = relationship(
        back_populates="offer", cascade="all, delete-orphan", uselist=False)
    locations: Mapped[list[Location]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="Location.id")
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="Schedule.id")

    __mapper_args__ = {"version_id_col": version}


class Eligibility(Base):
    """Who may use an offer (HSDS eligibility, plus Danish municipality and visitation rules)."""

    __tablename__ = "eligibility"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          primary_key=True)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    municipalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    requires_referral: Mapped[bool | None] = mapped_column(Boolean)
    legal_basis: Mapped[str | None] = mapped_column(String(100))
    offer: Mapped[Offer] = relationship(back_populates="eligibility")


class Location(Base):
    """Where an offer takes place (HSDS location); coordinates are WGS84."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    offer: Mapped[Offer] = relationship(back_populates="locations")


class Schedule(Base):
    """One weekly time window read from the offer's schedule text (HSDS schedule)."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens_at_minute: Mapped[int | None] = mapped_column(Integer)
    closes_at_minute: Mapped[int | None] = mapped_column(Integer)
    recurrence: Mapped[str] = mapped_column(String(20), default="weekly")
    offer: Mapped[Offer] = relationship(back_populates="schedules")


class OfferEmbedding(Base):
    """A cached embedding of an offer's text under one model; reused while the text hash matches."""

    __tablename__ = "offer_embedding"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          primary_key=True)
    model: Mapped[str] = mapped_column(String(300), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class OfferChange(Base):
    """One changed field of one offer: who changed it (a staff e-mail or ``import:SOURCE``),
    when, the value before and after (JSON, as in the interchange format), and the version the
    change made. A new offer has one row with ``field`` None and the whole record as new value."""

    __tablename__ = "offer_changes"
    __table_args__ = (Index("ix_offer_changes_offer_id_changed_at", "offer_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    who: Mapped[str] = mapped_column(String(320))
    account_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(50))
    old_value: Mapped[object | None] = mapped_column(JSON)
    new_value: Mapped[object | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    offer: Mapped[Offer] = relationship()


class DuplicateDecision(Base):
    """A coordinator's word on two offers that look alike, so the pair is not listed again:
    ``distinct`` (two offers after all) or ``merged`` (the second was ended in favour of the
    first). The pair is stored with the smaller offer id first."""

    __tablename__ = "duplicate_decision"
    __table_args__ = (UniqueConstraint("first_offer_id", "second_offer_id",
                                       name="uq_duplicate_decision_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"))
    second_offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(320))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ListingLink(Base):
    """A provider's token link for one listing (``/p/{token}``): confirm that the offer is true
    and say whether it has room. Catalogue data, not a citizen's: the token is stored only as
    its SHA-256, the link expires and answers once. ``sent_to`` is the address a confirmation
    request was mailed to (None for a link a coordinator passed on by hand)."""

    __tablename__ = "listing_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    made_by: Mapped[str] = mapped_column(String(320))
    sent_to: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ListingReport(Base):
    """A provider's "something is wrong" through a listing link: which part (``part``, a code of
    ``catalogue.listing_reports.PARTS``) and the provider's own words about the offer. It
    changes no fact of the offer; it waits on the coordinators' worklist until one of them marks
    it handled. Catalogue data written by a provider, not a citizen's."""

    __tablename__ = "listing_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("listing_link.id", ondelete="CASCADE"),
                                         unique=True)
    part: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(1000))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(String(320))
    offer: Mapped[Offer] = relationship()
