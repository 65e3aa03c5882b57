"""Closing the loop over ``/api/v1``: the provider's answer by token (no account; the token in
the path authorises) and the guide's answer to a step's check-in."""

from __future__ import annotations

from flask import jsonify

from casework import checkin, inbox
from casework.links import PROVIDER_LINK
from webui.desk import desk, link_desk
from webui.v1 import bp
from webui.v1.citizens import answers, body


@bp.get("/provider/<token>")
@answers
def provider_referral(token: str):
    """What the provider's page shows, as JSON."""
    return jsonify(inbox.open_referral(link_desk(PROVIDER_LINK), token))


@bp.post("/provider/<token>")
@answers
def provider_answer(token: str):
    return jsonify(inbox.answer_referral(link_desk(PROVIDER_LINK), token, body()))


@bp.post("/steps/<id>/checkin")
@answers
def step_checkin(id: str):  # noqa: A002  (the contract's name)
    return jsonify(checkin.guide_checkin(desk(), id, body()))
