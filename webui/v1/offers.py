"""``/api/v1/offers``: read the catalogue (public) and change single offers (coordinator).

``{id}`` is the catalogue id when only one source uses it, else ``source:id`` (each offer's
``ref`` says which); ids may hold "/" so the route takes a path.
"""

from __future__ import annotations

from datetime import date

from flask import jsonify, request, url_for
from flask_login import current_user

from catalogue import editing
from catalogue.access import access
from catalogue.editing import StoredOffer, public_ref
from catalogue.history import Actor, offer_history
from catalogue.duplicates import decided_pairs
from catalogue.states import offer_state
from webui.listing import OfferFilters, danish_key, filter_offers
from webui.params import tagged_version
from webui.quality import check_listing, open_duplicates
from webui.runtime import runtime
from webui.v1 import bp, error

DEFAULT_SOURCE = "api"


def duplicate_keys() -> set[int]:
    """Offers in a likely-duplicate pair no coordinator has decided on (cached per catalogue)."""
    with runtime().sessions() as session:
        return open_duplicates(runtime().duplicates.get(), decided_pairs(session))


def offer_json(offer: StoredOffer, shared: set[str], duplicates: set[int] | None = None) -> dict:
    """The interchange record plus source, ref, state, quality (the listing-quality score),
    who decides (``access``), version and its URL."""
    record = offer.record
    ref = public_ref(record, shared)
    stale_after_days = runtime().settings.stale_after_days
    duplicates = duplicate_keys() if duplicates is None else duplicates
    return {**record.to_interchange(), "status": record.status, "source": record.source,
            "ref": ref,
            "state": offer_state(record, date.today(), stale_after_days),
            "quality": check_listing(record, date.today(), stale_after_days,
                                     offer.key in duplicates).score,
            "access": access(record).to_dict(),
            "version": offer.version,
            "updated_at": offer.updated_at.isoformat(),
            "url": url_for("api_v1.offer", id=ref)}


def _shared() -> set[str]:
    with runtime().sessions() as session:
        return editing.shared_ids(session)


def _answer(offer: StoredOffer, status: int = 200):
    shared = _shared()
    response = jsonify(offer_json(offer, shared))
    response.status_code = status
    response.headers["ETag"] = f'"{offer.version}"'
    if status == 201:
        response.headers["Location"] = url_for("api_v1.offer", id=public_ref(offer.record, shared))
    return response


def _edit_error(exc: editing.EditError):
    """The contract's status for each kind of refused change."""
    if isinstance(exc, editing.StaleVersion):
        shared = _shared()
        return error(412, exc.da, exc.en, exc.field, current=offer_json(exc.current, shared),
                     current_version=exc.current.version,
                     differences=[{"field": f, "yours": yours, "current": theirs}
                                  for f, yours, theirs in exc.differences])
    status = {editing.OfferNotFound: 404, editing.AmbiguousOfferId: 409,
              editing.OfferExists: 409, editing.NotAllowed: 409,
              editing.InvalidOffer: 422}.get(type(exc), 400)
    extra = {}
    if isinstance(exc, editing.InvalidOffer):
        extra["errors"] = [{"field": p.field, "da": p.da, "en": p.en} for p in exc.problems]
    return error(status, exc.da, exc.en, exc.field, **extra)


def _actor() -> Actor:
    return Actor(current_user.email, current_user.id)


def _body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, error(400, "Send tilbuddet som ét JSON-objekt (Content-Type: application/json)",
                           "Send the offer as one JSON object (Content-Type: application/json)")
    return data, None


def _if_match() -> tuple[int | None, object]:
    """The version named by ``If-Match`` ("3", W/"3" or 3); 428 when missing, 400 when unreadable."""
    raw = request.headers.get("If-Match")
    if raw is None or not raw.strip():
        return None, error(428, "Send If-Match med den version (ETag), du har ændret ud fra",
                           "Send If-Match with the version (ETag) your change starts from",
                           "If-Match")
    version = tagged_version(raw)
    if version is None:
        return None, error(400, "If-Match skal være en version (ETag) som \"3\"",
                           "If-Match must be a version (ETag) such as \"3\"", "If-Match")
    return version, None


@bp.get("/offers")
def offers():
    """``?q=&kind=&municipality=&target_group=&state=&page=`` (25 a page)."""
    settings = runtime().settings
    stored = editing.list_offers(runtime().sessions)
    by_key = {(o.record.source, o.record.id): o for o in stored}
    records = sorted((o.record for o in stored), key=lambda r: (danish_key(r.name), r.id))
    filters = OfferFilters.from_args(request.args, settings.stale_after_days)
    _, page = filter_offers(records, filters, date.today())
    shared, duplicates = _shared(), duplicate_keys()
    return jsonify({"total": len(records), "matched": page.matched, "page": page.number,
                    "pages": page.pages, "filters": filters.args(page=page.number),
                    "offers": [offer_json(by_key[(r.source, r.id)], shared, duplicates)
                               for r in page.items]})


@bp.get("/offers/<path:id>")
def offer(id: str):
    try:
        return _answer(editing.get_offer(runtime().sessions, editing.resolve(runtime().sessions, id)))
    except editing.EditError as exc:
        return _edit_error(exc)


@bp.post("/offers")
def create_offer():
    """An interchange record; ``source`` in the body (default ``api``) says whose id it is."""
    data, refused = _body()
    if refused:
        return refused
    source = data.get("source") or DEFAULT_SOURCE
    if not isinstance(source, str):
        return error(422, "Kilden skal være tekst", "The source must be text", "source")
    try:
        return _answer(editing.create_offer(runtime().sessions, data, source, _actor()), 201)
    except editing.EditError as exc:
        return _edit_error(exc)


@bp.put("/offers/<path:id>")
def update_offer(id: str):
    version, refused = _if_match()
    if refused:
        return refused
    data, refused = _body()
    if refused:
        return refused
    data = {k: v for k, v in data.items() if k not in (
        "source", "ref", "state", "quality", "access", "version", "updated_at", "url")}
    sessions = runtime().sessions
    try:
        key = editing.resolve(sessions, id)
        return _answer(editing.update_offer(sessions, key, data, version, _actor()))
    except editing.EditError as exc:
        return _edit_error(exc)


@bp.get("/offers/<path:id>/history")
def offer_changes(id: str):
    sessions = runtime().sessions
    try:
        offer = editing.get_offer(sessions, editing.resolve(sessions, id))
    except editing.EditError as exc:
        return _edit_error(exc)
    with sessions() as session:
        changes = offer_history(session, offer.key)
    return jsonify({"ref": public_ref(offer.record, _shared()), "version": offer.version,
                    "changes": [change.to_dict() for change in changes]})


@bp.post("/offers/<path:id>/verify")
def verify_offer(id: str):
    """``assured_date`` = today; an ``If-Match`` header, when sent, must name the current version."""
    return _change(id, lambda sessions, key, version: editing.verify_offer(
        sessions, key, _actor(), date.today(), version))


STATUS_CHANGES = {"pause": editing.pause_offer, "end": editing.end_offer,
                  "restore": editing.restore_offer}


@bp.post("/offers/<path:id>/pause", defaults={"action": "pause"})
@bp.post("/offers/<path:id>/end", defaults={"action": "end"})
@bp.post("/offers/<path:id>/restore", defaults={"action": "restore"})
def change_status(id: str, action: str):  # noqa: A002  (the contract's name for the path part)
    """Pause, end or restore (an ended or paused offer becomes active again); ``If-Match`` as
    for verify."""
    return _change(id, lambda sessions, key, version: STATUS_CHANGES[action](
        sessions, key, _actor(), version))


def _change(id: str, apply):
    """Run one editing action on the offer ``id`` names, with the version an optional
    ``If-Match`` states; the answer is the changed offer or the contract's error."""
    version = None
    if request.headers.get("If-Match"):
        version, refused = _if_match()
        if refused:
            return refused
    sessions = runtime().sessions
    try:
        return _answer(apply(sessions, editing.resolve(sessions, id), version))
    except editing.EditError as exc:
        return _edit_error(exc)
