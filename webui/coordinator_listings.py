"""The coordinators' side of listings that stay true: a provider's link for one listing (made
here, passed on by hand) and the yearly confirmation request to every provider contact
(``casework.confirmations``, the same as ``brobygger request-confirmations``), and what
providers said is wrong through their links, marked handled here."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from casework.confirmations import request_confirmations
from casework.crypto import KeyProblem
from casework.desk import utc_now
from catalogue import editing
from catalogue.listing_links import issue_link
from catalogue.listing_reports import ReportNotFound, mark_handled
from catalogue.tokens import provider_link
from webui.coordinator import _actor, _key, _ref, bp
from webui.desk import vault
from webui.i18n import localized
from webui.params import whole_number
from webui.runtime import runtime


def _public_url() -> str:
    return runtime().settings.public_url or request.host_url.rstrip("/")


@bp.post("/tilbud/<path:ref>/udbyderlink")
def listing_link(ref: str):
    """A new link for the offer's provider to confirm it and set its capacity, shown once."""
    settings, key = runtime().settings, _key(ref)
    with runtime().sessions.begin() as session:
        token = issue_link(session, key, utc_now(), settings.link_days, current_user.email)
    offer = editing.get_offer(runtime().sessions, key)
    return render_template("coordinator/listing_link.html", offer=offer, ref=_ref(offer),
                           link=_public_url() + provider_link(token), days=settings.link_days)


@bp.post("/bekraeftelser")
def confirmation_requests():
    """Write the confirmation requests to the outbox (``brobygger send-mail`` sends them)."""
    settings = runtime().settings
    try:
        done = request_confirmations(runtime().sessions, vault(), utc_now(), date.today(),
                                     settings.stale_after_days, settings.link_days, _public_url())
    except KeyProblem as problem:
        flash(localized(problem), "error")
    else:
        flash(gettext("%(messages)s beskeder med %(links)s links ligger i udbakken.",
                      messages=done.messages, links=done.listings))
    return redirect(url_for("coordinator.worklists"))


@bp.post("/meldinger/<report_id>/haandteret")
def handle_report(report_id: str):
    """A coordinator has looked at a provider's report (and corrected the offer if need be)."""
    number = whole_number(report_id, 1, 2**31 - 1)
    if number is None:
        abort(404)
    try:
        report = mark_handled(runtime().sessions, number, _actor(), utc_now())
    except ReportNotFound:
        abort(404)
    if report.handled_by == current_user.email:
        flash(gettext("Meldingen er markeret som håndteret."))
    else:
        flash(gettext("Meldingen var allerede håndteret af %(who)s.", who=report.handled_by))
    return redirect(url_for("coordinator.worklists") + "#meldinger")
