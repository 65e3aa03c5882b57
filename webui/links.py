"""Pages behind token links, for people without accounts: the provider's inbox for one referral
(``/p/{token}``) and the citizen's check-in after a step (``/c/{token}``). The token itself
authorises; the forms still carry a CSRF token. Phone-sized, no JavaScript; a closed link gives
a page in Danish and English that says why and nothing else."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from casework import checkin, inbox
from casework.crypto import KeyProblem
from casework.errors import CaseworkError
from casework.links import CHECKIN_LINK, PROVIDER_LINK, LinkClosed
from casework.vocab import vocabularies
from webui.desk import link_desk
from webui.i18n import current_language
from webui.runtime import runtime

bp = Blueprint("links", __name__)


@bp.after_request
def _unindexed(response):
    """Never indexed (``webui/security.py`` keeps them uncached and out of Referers)."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def _labels():
    def label(vocabulary: str, code: str | None) -> str:
        index = 1 if current_language() == "en" else 0
        labels = vocabularies()[vocabulary].get(code or "")
        return labels[index] if labels else (code or "")

    def options(vocabulary: str) -> list[tuple[str, str]]:
        return [(code, label(vocabulary, code)) for code in vocabularies()[vocabulary]]

    return {"label": label, "options": options}


def offer_record(ref: str | None):
    """The catalogue's offer for a casework ``source:id`` (None when it is gone)."""
    return next((r for r in runtime().records.get() if f"{r.source}:{r.id}" == ref), None)


def closed_page(closed: LinkClosed | KeyProblem):
    reason, status = (closed.reason, closed.status) if isinstance(closed, LinkClosed) \
        else ("key", 503)
    return render_template("links/closed.html", da=closed.da, en=closed.en, reason=reason), status


def _form_body() -> dict:
    """The provider's form as the API's answer body (empty fields are left out)."""
    return {k: v.strip() for k, v in request.form.items() if k != "csrf_token" and v.strip()}


@bp.route("/p/<token>", methods=["GET", "POST"])
def provider(token: str):
    desk, error, status = None, None, 200
    try:
        desk = link_desk(PROVIDER_LINK)
        if request.method == "POST":
            try:
                answer = inbox.answer_referral(desk, token, _form_body())
            except LinkClosed:
                raise
            except CaseworkError as invalid:
                error, status = invalid, invalid.status
            else:
                return render_template("links/provider_done.html", answer=answer)
        shown = inbox.open_referral(desk, token)
    except (LinkClosed, KeyProblem) as closed:
        return closed_page(closed)
    return render_template("links/provider.html", shown=shown, error=error,
                           offer=offer_record(shown["offer_id"]), values=request.form), status


def checkin_body(form) -> dict:
    """The check-in form as the API's body: ``happened`` ja/nej as true/false."""
    happened = {"ja": True, "nej": False}.get(form.get("happened", ""))
    return {"happened": happened, "feeling": form.get("feeling") or None,
            "again": form.get("again") or None}


@bp.route("/c/<token>", methods=["GET", "POST"])
def citizen_checkin(token: str):
    error, status = None, 200
    try:
        desk = link_desk(CHECKIN_LINK)
        if request.method == "POST":
            try:
                answer = checkin.answer_checkin(desk, token, checkin_body(request.form))
            except LinkClosed:
                raise
            except CaseworkError as invalid:
                error, status = invalid, invalid.status
            else:
                return render_template("links/checkin_done.html", answer=answer)
        shown = checkin.open_checkin(desk, token)
    except (LinkClosed, KeyProblem) as closed:
        return closed_page(closed)
    return render_template("links/checkin.html", shown=shown, error=error,
                           offer=offer_record(shown["offer_id"]), values=request.form), status
