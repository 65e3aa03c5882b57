"""Labelled queries in the interchange format, read with line-precise errors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.problems import ImportRejected, ProblemCollector
from ingest.textfile import read_lines
from matcher.citizen import Citizen


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    text: str
    citizen: Citizen
    relevant: dict[str, int]
    must_exclude: list[str] = field(default_factory=list)
    kind: str | None = None
    twin: str | None = None   # id of the clean query this one misspells (optional)


def read_queries(path: Path) -> list[LabelledQuery]:
    """Every query of a JSON Lines file; raises ``ImportRejected`` naming each bad line."""
    problems = ProblemCollector(str(path))
    queries: list[LabelledQuery] = []
    for number, text in read_lines(path, problems, max_bytes=200 * 1024 * 1024):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            relevant = {str(k): int(v) for k, v in (data.get("relevant") or {}).items()}
            queries.append(LabelledQuery(
                id=str(data["id"]), text=str(data["text"]),
                citizen=Citizen.from_dict(data.get("citizen")), relevant=relevant,
                must_exclude=[str(x) for x in data.get("must_exclude") or []],
                kind=data.get("kind"), twin=data.get("twin")))
        except (ValueError, KeyError, TypeError) as exc:
            problems.error(number, None, f"Ugyldig forespørgsel: {exc}", f"Invalid query: {exc}")
    if problems.errors:
        raise ImportRejected(problems.errors)
    return queries


def queries_digest(queries: list[LabelledQuery]) -> str:
    """A fingerprint of a query set, so a report can tell when the ranker learned from it."""
    lines = sorted(f"{q.id}\t{q.text}" for q in queries)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
