"""``brobygger import``: read, validate everything, then write in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from catalogue.records import OfferRecord
from catalogue.repository import load_records
from ingest.duplicates import alike_in_catalogue, likely_duplicates
from ingest.formats import detect_format, reader_for
from ingest.problems import ImportRejected, Problem, ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES
from catalogue.records import UNPRINTABLE
from ingest.validate import validate_rows
from ingest.writer import ImportReport, upsert_records

SOURCE_CHARS = 100   # the column's width (catalogue/models.py)
ImportProgress = Callable[[str, int, int], None]   # (stage: "validate" or "write", done, total)


def read_catalogue(path: Path, fmt: str = "auto", source: str = "default",
                   max_bytes: int = DEFAULT_MAX_BYTES, default_kind: str | None = None,
                   progress: ImportProgress | None = None
                   ) -> tuple[list[OfferRecord], list[Problem]]:
    """Validated records and warnings; raises ``ImportRejected`` listing every error.

    ``default_kind`` fills in ``kind`` where a file has none (HSDS has no such field). Offer ids
    may hold any printable character (the interchange format allows it); the source is a name
    of at most ``SOURCE_CHARS`` printable characters without "/" (one segment of an offer's URL).
    """
    problems = ProblemCollector(str(path))
    if not source.strip() or "/" in source or len(source) > SOURCE_CHARS or UNPRINTABLE.search(source):
        raise ImportRejected([Problem(
            str(path), None, "source",
            f"Kilden {source!r} skal være et navn på højst {SOURCE_CHARS} tegn uden '/'",
            f"The source {source!r} must be a name of at most {SOURCE_CHARS} characters without '/'")])
    fmt = detect_format(path) if fmt == "auto" else fmt
    rows = reader_for(fmt)(path, problems, max_bytes)
    records = validate_rows(rows, source, problems, default_kind,
                            partial(progress, "validate") if progress else None)
    if problems.errors:
        raise ImportRejected(problems.errors)
    for first, second, score in likely_duplicates(records):
        problems.warn(None, "id", f"Ligner en dublet: {first!r} og {second!r} ({score:.0f} % ens)",
                      f"Looks like a duplicate: {first!r} and {second!r} ({score:.0f}% similar)")
    return records, problems.warnings


def import_catalogue(sessions: sessionmaker[Session], path: Path, fmt: str = "auto",
                     source: str = "default", full: bool = False, dry_run: bool = False,
                     max_bytes: int = DEFAULT_MAX_BYTES, default_kind: str | None = None,
                     progress: ImportProgress | None = None, end_limit: float | None = None
                     ) -> tuple[ImportReport, list[Problem]]:
    """Import one file all-or-nothing; returns the report and any warnings (``end_limit``: see
    ``upsert_records``)."""
    records, warnings = read_catalogue(path, fmt, source, max_bytes, default_kind, progress)
    with sessions() as session:
        stored = load_records(session)
    for offer, other, score in alike_in_catalogue(records, stored):
        warnings.append(Problem(
            str(path), None, "id",
            f"{offer.id!r} ligner {other.id!r} fra kilden {other.source!r}, som allerede er i "
            f"kataloget ({score:.0f} % ens)",
            f"{offer.id!r} looks like {other.id!r} from source {other.source!r}, already in the "
            f"catalogue ({score:.0f}% similar)", warning=True))
    report = upsert_records(sessions, records, source, full=full, dry_run=dry_run,
                            progress=partial(progress, "write") if progress else None,
                            end_limit=end_limit)
    return report, warnings
