"""``/healthz`` and ``/readyz`` for load balancers and orchestrators: public, tiny, never cached.

``/healthz`` says the process answers, touching nothing else. ``/readyz`` says this worker can
serve: the database answers, its schema is at the newest migration, and the search index it
serves was built from the catalogue as it is now (the catalogue fingerprint). Asking also starts
a rebuild of a stale index in the background, so a probe repeated brings the worker to ready.
A failure is a 503 with a reason code and nothing more: no paths, versions or messages.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from catalogue.db import DatabaseMissing, DatabaseOutdated, check_schema
from catalogue.repository import fingerprint
from webui.runtime import runtime

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def answer(code: int, **body):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return answer(200, status="ok")


def not_ready_reason() -> str | None:
    """None when ready, else the first reason code that holds."""
    state = runtime()
    try:
        check_schema(state.engine)
    except DatabaseOutdated:
        return "migrations_pending"
    except DatabaseMissing:
        return "database_missing"
    except SQLAlchemyError:
        return "database_unreachable"
    try:
        served = state.matcher.get().index.fingerprint
    except Exception:
        log.exception("Søgeindekset kan ikke bygges / the search index cannot be built")
        return "index_unavailable"
    try:
        with state.sessions() as session:
            current = fingerprint(session)
    except SQLAlchemyError:
        return "database_unreachable"
    return None if served == current else "index_stale"


@bp.get("/readyz")
def readyz():
    reason = not_ready_reason()
    if reason is not None:
        return answer(503, status="unavailable", reason=reason)
    return answer(200, status="ready")
