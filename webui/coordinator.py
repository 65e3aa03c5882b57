"""The coordinators' pages: the catalogue list, create and edit an offer (with optimistic
locking), pause / end / restore / verify, each offer's history and the worklists.

Thin views over ``catalogue.editing``, the same layer the JSON API (``webui.v1.offers``) uses.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from casework.outcomes import hard_to_reach
from catalogue import editing
from catalogue.duplicates import DECISIONS, decided_pairs, pair_key, record_decision
from catalogue.editing import StoredOffer, public_ref
from catalogue.history import Actor, offer_history
from catalogue.listing_reports import Report, open_reports
from catalogue.merge import Merge, merge_edit
from catalogue.states import offer_state
from catalogue.vocab import vocabularies
from webui.auth.views import safe_next
from webui.conflict import apply_choices, base_version, choice_name
from webui.i18n import current_language, localized
from webui.listing import (REPORT_PART_LABELS, STATE_LABELS, OfferFilters, danish_key,
                           filter_offers, municipalities)
from webui.offerform import CHECKBOX_FIELDS, FIELD_LABELS, OfferForm, expected_version
from webui.quality import Checked, check_listing, open_duplicates
from webui.runtime import runtime
from webui.templating import vocabulary_options

bp = Blueprint("coordinator", __name__, url_prefix="/koordinator")
DEFAULT_SOURCE = "koordinator"
LOCAL_TIME = "Europe/Copenhagen"
ACTION_LABELS = {"create": lazy_gettext("Oprettet"), "update": lazy_gettext("Rettet"),
                 "pause": lazy_gettext("Sat på pause"), "end": lazy_gettext("Afsluttet"),
                 "restore": lazy_gettext("Genåbnet"), "verify": lazy_gettext("Bekræftet"),
                 "import": lazy_gettext("Importeret"),
                 "provider_confirm": lazy_gettext("Bekræftet af udbyderen (link)"),
                 "provider_report": lazy_gettext("Fejl meldt af udbyderen (link)")}
STATUS_ACTIONS = {"pause": (editing.pause_offer, lazy_gettext("Tilbuddet er sat på pause.")),
                  "end": (editing.end_offer, lazy_gettext("Tilbuddet er afsluttet.")),
                  "restore": (editing.restore_offer, lazy_gettext("Tilbuddet kører igen."))}


def _actor() -> Actor:
    return Actor(current_user.email, current_user.id)


def _stored_offers() -> tuple[list[StoredOffer], set[str]]:
    """Every offer straight from the database (a coordinator sees their own change at once),
    in Danish alphabetical order, and the ids shared by several sources."""
    sessions = runtime().sessions
    offers = sorted(editing.list_offers(sessions),
                    key=lambda o: (danish_key(o.record.name), o.record.id))
    with sessions() as session:
        return offers, editing.shared_ids(session)


def _key(ref: str) -> int:
    try:
        return editing.resolve(runtime().sessions, ref)
    except editing.EditError:
        abort(404)


def _ref(offer: StoredOffer) -> str:
    with runtime().sessions() as session:
        return public_ref(offer.record, editing.shared_ids(session))


def _state(offer: StoredOffer) -> str:
    return offer_state(offer.record, date.today(), runtime().settings.stale_after_days)


@bp.app_template_filter("change_value")
def change_value(value: object) -> str:
    """A history or conflict value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, dict):
        return gettext("(hele tilbuddet)")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@bp.app_template_filter("local_datetime")
def local_datetime(moment: datetime) -> str:
    """A moment in Danish time, written the reader's way."""
    return format_datetime(moment, "short", tzinfo=LOCAL_TIME, locale=current_language())


@bp.get("/tilbud")
def offers():
    stored, shared = _stored_offers()
    by_record = {(o.record.source, o.record.id): o for o in stored}
    filters = OfferFilters.from_args(request.args, runtime().settings.stale_after_days)
    records = [o.record for o in stored]
    _, page = filter_offers(records, filters, date.today())
    rows = [by_record[(r.source, r.id)] for r in page.items]
    vocab = vocabularies()
    return render_template("coordinator/list.html", filters=filters, page=page, rows=rows,
                           total=len(records), municipalities=municipalities(records),
                           kinds=vocab["kind"], target_groups=vocab["target_groups"],
                           states=STATE_LABELS, state=_state,
                           ref=lambda o: public_ref(o.record, shared))


def _offer_form() -> OfferForm:
    form = OfferForm()
    vocab = vocabularies()
    form.kind.choices = [("", gettext("Vælg type")), *vocabulary_options(vocab["kind"])]
    form.capacity.choices = [("", gettext("Ikke oplyst")), *vocabulary_options(vocab["capacity"])]
    form.requires_referral.choices = [("", gettext("Ikke oplyst")), ("ja", gettext("Ja")),
                                      ("nej", gettext("Nej"))]
    for name in CHECKBOX_FIELDS:
        form[name].choices = vocabulary_options(vocab[name])
    return form


def _field_errors(exc: editing.EditError) -> dict:
    """The first problem of each field (bilingual objects the template localizes)."""
    problems = exc.problems if isinstance(exc, editing.InvalidOffer) else [exc]
    errors: dict = {}
    for problem in problems:
        errors.setdefault(problem.field or "name", problem)
    return errors


def _render_form(form: OfferForm, errors: dict, offer: StoredOffer | None = None,
                 conflict: editing.StaleVersion | None = None, status: int = 200,
                 merge: Merge | None = None, undecided: list[str] = ()):
    return render_template("coordinator/edit.html", form=form, errors=errors, offer=offer,
                           ref=_ref(offer) if offer else None,
                           state=_state(offer) if offer else None, conflict=conflict,
                           merge=merge, undecided=undecided, choice_name=choice_name,
                           checkbox_fields=CHECKBOX_FIELDS, labels=FIELD_LABELS), status


@bp.route("/tilbud/ny", methods=["GET", "POST"])
def create():
    form = _offer_form()
    if request.method == "GET":
        form.source.data = DEFAULT_SOURCE
        return _render_form(form, {})
    source = (form.source.data or "").strip() or DEFAULT_SOURCE
    try:
        saved = editing.create_offer(runtime().sessions, {"id": form.id.data, **form.offer_data()},
                                     source, _actor())
    except editing.EditError as exc:
        return _render_form(form, _field_errors(exc), status=422)
    flash(gettext("Tilbuddet er oprettet."))
    return redirect(url_for(".edit", ref=_ref(saved)))


@bp.route("/tilbud/<path:ref>/ret", methods=["GET", "POST"])
def edit(ref: str):
    sessions, key = runtime().sessions, _key(ref)
    form = _offer_form()
    if request.method == "GET":
        current = editing.get_offer(sessions, key)
        form.fill(current.record, current.version)
        return _render_form(form, {}, current)
    data, undecided = apply_choices(request.form, form.offer_data(),
                                    editing.get_offer(sessions, key).record)
    # a form without its version never overwrites: version 0 never matches; a choice not made
    # yet shows the conflict again from the version first opened
    expected = base_version(request.form) if undecided else expected_version(form) or 0
    try:
        saved = editing.update_offer(sessions, key, data, expected, _actor())
    except editing.StaleVersion as stale:
        return _render_conflict(form, key, stale, undecided)
    except editing.EditError as exc:
        if base_version(request.form):     # mid-conflict: the next save shows the merge again
            form.version.data = str(base_version(request.form))
        return _render_form(form, _field_errors(exc), editing.get_offer(sessions, key), status=422)
    flash(gettext("Tilbuddet er gemt."))
    return redirect(url_for(".edit", ref=_ref(saved)))


def _render_conflict(form: OfferForm, key: int, stale: editing.StaleVersion, undecided: list[str]):
    """Nothing was written: the form shows the three-way merge on top of the current version;
    fields both changed wait for the coordinator's choice."""
    with runtime().sessions() as session:
        merge = merge_edit(session, key, stale.expected_version, stale.attempted,
                           stale.current.record, stale.current.version)
    form.fill_values(merge.values)
    form.version.data = str(stale.current.version)
    return _render_form(form, {}, stale.current, stale, 409, merge=merge, undecided=undecided)


def _after_action(ref: str):
    return redirect(safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for(".edit", ref=ref))


@bp.post("/tilbud/<path:ref>/pause", defaults={"action": "pause"})
@bp.post("/tilbud/<path:ref>/afslut", defaults={"action": "end"})
@bp.post("/tilbud/<path:ref>/genaabn", defaults={"action": "restore"})
def change_status(ref: str, action: str):
    change, done = STATUS_ACTIONS[action]
    try:
        change(runtime().sessions, _key(ref), _actor())
    except editing.EditError as exc:
        flash(localized(exc), "error")
    else:
        flash(str(done))
    return _after_action(ref)


@bp.post("/tilbud/<path:ref>/bekraeft")
def verify(ref: str):
    try:
        editing.verify_offer(runtime().sessions, _key(ref), _actor(), date.today())
    except editing.EditError as exc:
        flash(localized(exc), "error")
    else:
        flash(gettext("Tilbuddet er bekræftet i dag."))
    return _after_action(ref)


@bp.get("/tilbud/<path:ref>/historik")
def history(ref: str):
    sessions, key = runtime().sessions, _key(ref)
    offer = editing.get_offer(sessions, key)
    with sessions() as session:
        changes = list(reversed(offer_history(session, key)))
    return render_template("coordinator/history.html", offer=offer, ref=_ref(offer),
                           changes=changes, actions=ACTION_LABELS,
                           labels={**REPORT_PART_LABELS, **FIELD_LABELS})


MAX_DUPLICATE_PAIRS = 50   # shown at a time; deciding on them brings the next ones


def _open_duplicates(stored: list[StoredOffer]) -> list[tuple[StoredOffer, StoredOffer, float]]:
    """Offers that look like the same offer (across sources too), not yet decided on, best
    first; the pairs are computed once per catalogue fingerprint (``Runtime.duplicates``)."""
    by_key = {o.key: o for o in stored}
    with runtime().sessions() as session:
        decided = decided_pairs(session)
    open_pairs = [(by_key[first], by_key[second], score)
                  for first, second, score in runtime().duplicates.get()
                  if pair_key(first, second) not in decided and first in by_key and second in by_key]
    return open_pairs[:MAX_DUPLICATE_PAIRS]


@bp.post("/dubletter")
def decide_duplicate():
    """``distinct``: two offers after all; ``merged``: end the second and keep the first."""
    first, second = _key(request.form.get("first", "")), _key(request.form.get("second", ""))
    decision = request.form.get("decision")
    if decision not in DECISIONS or first == second:
        abort(400)
    if decision == "merged":
        try:
            editing.end_offer(runtime().sessions, second, _actor())
        except editing.EditError as exc:
            flash(localized(exc), "error")
            return redirect(url_for(".worklists"))
    with runtime().sessions.begin() as session:
        record_decision(session, first, second, decision, current_user.email)
    flash(gettext("Tilbuddene er flettet: det andet er afsluttet.") if decision == "merged"
          else gettext("Noteret: det er to forskellige tilbud."))
    return redirect(url_for(".worklists"))


def _provider_reports(stored: list[StoredOffer]) -> list[tuple[Report, StoredOffer]]:
    """What providers said is wrong through their listing links and no coordinator has handled
    yet, newest first, each with its offer."""
    by_key = {o.key: o for o in stored}
    with runtime().sessions() as session:
        return [(report, by_key[report.offer_key]) for report in open_reports(session)
                if report.offer_key in by_key]


MAX_QUALITY_ROWS = 100     # the lowest scores first


def _to_fix(stored: list[StoredOffer]) -> list[tuple[StoredOffer, Checked]]:
    """Offers citizens can find (not ended, paused or expired) that the listing-quality check
    flags, lowest score first."""
    with runtime().sessions() as session:
        duplicates = open_duplicates(runtime().duplicates.get(), decided_pairs(session))
    stale_after_days = runtime().settings.stale_after_days
    checked = [(o, check_listing(o.record, date.today(), stale_after_days, o.key in duplicates))
               for o in stored if _state(o) not in ("ended", "paused", "expired")]
    flagged = sorted(((o, c) for o, c in checked if c.findings),
                     key=lambda pair: (pair[1].score, danish_key(pair[0].record.name)))
    return flagged[:MAX_QUALITY_ROWS]


@bp.get("/arbejdslister")
def worklists():
    stored, shared = _stored_offers()
    stale = [o for o in stored if _state(o) == "stale"]
    expiring = sorted((o for o in stored if _state(o) == "expiring"),
                      key=lambda o: o.record.valid_to)
    return render_template("coordinator/worklists.html", stale=stale, expiring=expiring,
                           duplicates=_open_duplicates(stored), to_fix=_to_fix(stored),
                           reports=_provider_reports(stored), parts=REPORT_PART_LABELS,
                           hard_to_reach=hard_to_reach(runtime().sessions),
                           ref=lambda o: public_ref(o.record, shared),
                           stale_after_days=runtime().settings.stale_after_days,
                           assured=lambda o: o.record.assured_date,
                           valid_to=lambda o: o.record.valid_to)
