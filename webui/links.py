"""Pages behind token links, for people without accounts: the provider's inbox for one referral
or the provider's answer to one listing, confirming it or saying what is wrong (both ``/p/{token}``: the token says which) and
the citizen's check-in after a step (``/c/{token}``). The token itself
authorises; the forms still carry a CSRF token. Phone-sized, no JavaScript; a closed link gives
a page in Danish and English that says why and nothing else."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import format_number

from casework import checkin, inbox
from casework.crypto import KeyProblem
from casework.desk import utc_now
from casework.errors import CaseworkError
from casework.links import CHECKIN_LINK, PROVIDER_LINK
from casework.vocab import vocabularies
from catalogue import listing_links, listing_reports
from catalogue.editing import EditError
from catalogue.tokens import LinkClosed
from catalogue.vocab import vocabularies as catalogue_vocabularies
from webui.desk import link_desk
from webui.i18n import current_language
from webui.listing import REPORT_PART_LABELS
from webui.runtime import runtime
from webui.templating import vocab_label

bp = Blueprint("links", __name__)


@bp.after_request
def _unindexed(response):
    """Never indexed (``webui/security.py`` keeps them uncached and out of Referers)."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def _labels():
    def label(vocabulary: str, code: str | None) -> str:
        if vocabulary not in vocabularies():          # a catalogue vocabulary (capacity...)
            return vocab_label(vocabulary, code or "")
        index = 1 if current_language() == "en" else 0
        labels = vocabularies()[vocabulary].get(code or "")
        return labels[index] if labels else (code or "")

    def options(vocabulary: str) -> list[tuple[str, str]]:
        known = vocabularies().get(vocabulary) or catalogue_vocabularies()[vocabulary]
        return [(code, label(vocabulary, code)) for code in known]

    return {"label": label, "options": options, "report_parts": REPORT_PART_LABELS.items(),
            "report_max": format_number(listing_reports.MAX_TEXT)}


def offer_record(ref: str | None):
    """The catalogue's offer for a casework ``source:id`` (None when it is gone)."""
    return next((r for r in runtime().records.get() if f"{r.source}:{r.id}" == ref), None)


def closed_page(closed: LinkClosed | KeyProblem, unsaved: bool = False):
    """Why the link shows nothing; ``unsaved`` when it closed on an answer (e.g. another answer
    through the same link got there first): the page says this answer was not saved."""
    reason, status = (closed.reason, closed.status) if isinstance(closed, LinkClosed) \
        else ("key", 503)
    return render_template("links/closed.html", da=closed.da, en=closed.en, reason=reason,
                           unsaved=unsaved), status


def _form_body(form) -> dict:
    """The provider's form as the API's answer body (empty fields are left out)."""
    return {k: v.strip() for k, v in form.items() if k != "csrf_token" and v.strip()}


def checkin_body(form) -> dict:
    """The check-in form as the API's body: ``happened`` ja/nej as true/false."""
    happened = {"ja": True, "nej": False}.get(form.get("happened", ""))
    return {"happened": happened, "feeling": form.get("feeling") or None,
            "again": form.get("again") or None}


def listing_body(form) -> dict:
    """The listing page's form (confirm, or "something is wrong") as the API's body."""
    if form.get("action") == "report":
        return {"action": "report", "part": form.get("part") or None, "text": form.get("text")}
    return {"action": "confirm", "capacity": form.get("capacity") or None}


def token_page(token: str, show, answer, read_form, page: str, done: str):
    """A token link's page: ``show(token)`` what it opens; on POST ``answer(token, body)`` and
    thank; a refused answer shows the page again saying why; a closed link shows why it is
    closed."""
    error, status = None, 200
    try:
        if request.method == "POST":
            try:
                answered = answer(token, read_form(request.form))
            except LinkClosed:
                raise
            except (CaseworkError, EditError) as invalid:
                error, status = invalid, getattr(invalid, "status", 422)
            else:
                return render_template(done, answer=answered)
        shown = show(token)
    except (LinkClosed, KeyProblem) as closed:
        return closed_page(closed, unsaved=request.method == "POST")
    return render_template(page, shown=shown, error=error, offer=offer_record(shown["offer_id"]),
                           values=request.form), status


def _with_desk(actor, act):
    """``act(desk, token, ...)`` as ``act(token, ...)`` with the link's desk."""
    return lambda *args: act(link_desk(actor), *args)


@bp.route("/p/<token>", methods=["GET", "POST"])
def provider(token: str):
    if listing_links.is_listing_token(runtime().sessions, token):
        sessions = runtime().sessions
        return token_page(
            token, lambda t: listing_links.open_listing(sessions, t, utc_now()),
            lambda t, body: listing_reports.answer_listing(sessions, t, body, utc_now(),
                                                           date.today()),
            listing_body, "links/listing.html", "links/listing_done.html")
    return token_page(token, _with_desk(PROVIDER_LINK, inbox.open_referral),
                      _with_desk(PROVIDER_LINK, inbox.answer_referral), _form_body,
                      "links/provider.html", "links/provider_done.html")


@bp.route("/c/<token>", methods=["GET", "POST"])
def citizen_checkin(token: str):
    return token_page(token, _with_desk(CHECKIN_LINK, checkin.open_checkin),
                      _with_desk(CHECKIN_LINK, checkin.answer_checkin), checkin_body,
                      "links/checkin.html", "links/checkin_done.html")
