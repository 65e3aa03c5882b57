"""The guide answers a step's check-in from the follow-up list (with the citizen, or on their
behalf): the same three questions as the citizen's link, and the same rule of one answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext

from casework import checkin
from casework.desk import audit_refusal
from casework.errors import CaseworkError
from webui.desk import desk
from webui.i18n import localized
from webui.links import checkin_body

bp = Blueprint("followup", __name__, url_prefix="/vejleder")


@bp.post("/trin/<step_id>/tjek-ind")
def guide_checkin(step_id: str):
    """Back to the follow-up list, saying what was saved or what was wrong."""
    try:
        checkin.guide_checkin(desk(), step_id, checkin_body(request.form))
    except CaseworkError as refused:
        if refused.status in (403, 404):
            audit_refusal(desk(), refused)          # another team's citizen is logged
            abort(refused.status)
        flash(localized(refused), "error")
    else:
        flash(gettext("Svaret på tjek-ind er gemt."), "success")
    return redirect(url_for("guide.followups") + f"#trin-{step_id}")
