"""Search terms that found nothing good, as aggregate counts only: one row per term and week
(the Monday it began), never the query, a person, a session, an address or a finer time.
The dashboard shows a term only once it was counted ``MIN_COUNT`` times (a k-anonymity floor)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, Integer, String, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from catalogue.models import Base

MIN_COUNT = 3          # a term counted fewer times is never shown
WEEKS_KEPT = 52        # older weeks are deleted when new counts arrive
SHOWN = 50


class UnmetSearchTerm(Base):
    """How often ``term`` was in a public search that found nothing good in one week."""

    __tablename__ = "unmet_search_term"

    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the finest time a count keeps."""
    return day - timedelta(days=day.weekday())


def count_terms(sessions: sessionmaker[Session], terms: list[str], today: date) -> None:
    """Add one to each term's count for this week (an upsert, safe under concurrent searches)
    and forget weeks older than ``WEEKS_KEPT``."""
    if not terms:
        return
    week = week_of(today)
    with sessions.begin() as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        insert = dialect.insert(UnmetSearchTerm).values([
            {"term": term, "week": week, "count": 1} for term in sorted(set(terms))])
        session.execute(insert.on_conflict_do_update(
            index_elements=["term", "week"], set_={"count": UnmetSearchTerm.count + 1}))
        session.execute(delete(UnmetSearchTerm).where(
            UnmetSearchTerm.week < week - timedelta(weeks=WEEKS_KEPT)))


def frequent_terms(sessions: sessionmaker[Session], today: date | None = None,
                   min_count: int = MIN_COUNT, limit: int = SHOWN) -> list[dict]:
    """``[{"term", "count"}]``: terms counted at least ``min_count`` times in the last
    ``WEEKS_KEPT`` weeks before ``today``, most counted first."""
    since = week_of(today or date.today()) - timedelta(weeks=WEEKS_KEPT)
    total = func.sum(UnmetSearchTerm.count).label("total")
    with sessions() as session:
        rows = session.execute(select(UnmetSearchTerm.term, total)
                               .where(UnmetSearchTerm.week >= since).group_by(UnmetSearchTerm.term)
                               .having(total >= min_count)
                               .order_by(total.desc(), UnmetSearchTerm.term).limit(limit))
        return [{"term": term, "count": int(count)} for term, count in rows]
