"""Closing the loop over ``/api/v1``: the provider's answer by token (no account; the token in
the path authorises), to a referral or, for a listing's link, confirming the listing or saying
what is wrong with it, and the guide's answer to a step's check-in."""

from __future__ import annotations

from datetime import date

from flask import jsonify

from casework import checkin, inbox
from casework.desk import utc_now
from casework.links import PROVIDER_LINK
from catalogue import listing_links, listing_reports
from catalogue.tokens import LinkClosed
from webui.desk import desk, link_desk
from webui.runtime import runtime
from webui.v1 import bp, error
from webui.v1.citizens import answers, body


def _listing(token: str, answer: bool):
    """The listing link's JSON twin: what it shows, or the provider's answer."""
    sessions = runtime().sessions
    try:
        if answer:
            return jsonify(listing_reports.answer_listing(
                sessions, token, body(), utc_now(), date.today()))
        return jsonify(listing_links.open_listing(sessions, token, utc_now()))
    except LinkClosed as closed:
        return error(closed.status, closed.da, closed.en, closed.field)
    except listing_links.InvalidAnswer as invalid:
        return error(invalid.status, invalid.da, invalid.en, invalid.field)


@bp.get("/provider/<token>")
@answers
def provider_referral(token: str):
    """What the provider's page shows, as JSON."""
    if listing_links.is_listing_token(runtime().sessions, token):
        return _listing(token, answer=False)
    return jsonify(inbox.open_referral(link_desk(PROVIDER_LINK), token))


@bp.post("/provider/<token>")
@answers
def provider_answer(token: str):
    if listing_links.is_listing_token(runtime().sessions, token):
        return _listing(token, answer=True)
    return jsonify(inbox.answer_referral(link_desk(PROVIDER_LINK), token, body()))


@bp.post("/steps/<id>/checkin")
@answers
def step_checkin(id: str):  # noqa: A002  (the contract's name)
    return jsonify(checkin.guide_checkin(desk(), id, body()))
