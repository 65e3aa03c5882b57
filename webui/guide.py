"""The guides' pages: the team's citizens, a new citizen with consent, the intake conversation
with the network map, suggestions, a prøvehandling, the plan (printable) and the follow-up list.

Thin views over ``casework`` (the same functions as ``/api/v1``); ids in the URLs, never citizen
text; like every staff page they answer ``no-store`` (``webui/security.py``)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from casework import citizens, plan, sharing
from casework.desk import audit_refusal
from casework.errors import CaseworkError, Invalid
from casework.rules import referral_input
from casework.suggest import draft_query, suggestion_query
from casework.vocab import vocabularies
from catalogue.vocab import vocabularies as catalogue_vocabularies
from webui.desk import desk
from webui.guideform import (EMPTY_ROWS, citizen_body, conversation_body, outcome_body,
                             referral_body, share_body, step_body)
from webui.i18n import current_language
from webui.runtime import runtime
from webui.templating import vocabulary_options
from webui.v1.search import to_json

bp = Blueprint("guide", __name__, url_prefix="/vejleder")
LIVE_K = 10


@bp.context_processor
def _labels():
    def casework_options(vocabulary: str) -> list[tuple[str, str]]:
        index = 1 if current_language() == "en" else 0
        return [(code, labels[index]) for code, labels in vocabularies()[vocabulary].items()]

    def casework_label(vocabulary: str, code: str | None) -> str:
        return dict(casework_options(vocabulary)).get(code, code or "")

    def consent_pieces(consent: dict) -> str:
        return ", ".join(casework_label("shares", code) for code in consent["shares"])

    return {"casework_options": casework_options, "casework_label": casework_label,
            "consent_pieces": consent_pieces,
            "progress_options": [(str(n), str(n)) for n in range(1, 11)]}


def _call(function, *args):
    """``function(*args)``; another team's citizen (403) and unknown ids (404) as error pages,
    other refusals raised for the form to show."""
    try:
        return function(*args)
    except CaseworkError as error:
        audit_refusal(desk(), error)
        if error.status in (403, 404):
            abort(error.status)
        raise


@bp.get("/")
def citizens_list():
    return render_template("guide/citizens.html", citizens=_call(citizens.list_citizens, desk()))


@bp.route("/borgere/ny", methods=["GET", "POST"])
def create():
    errors, values = {}, request.form
    if request.method == "POST":
        the_desk = desk()
        try:
            citizen_id = _call(citizens.create_citizen, the_desk,
                               citizen_body(request.form, the_desk.now()))
        except CaseworkError as invalid:
            errors = {invalid.field: invalid}
        else:
            flash(gettext("Borgeren er oprettet."), "success")
            return redirect(url_for("guide.conversation", citizen_id=citizen_id))
    return render_template("guide/create.html", errors=errors, values=values,
                           accessibility=vocabulary_options(catalogue_vocabularies()["accessibility"])), \
        422 if errors else 200


@bp.route("/borgere/<citizen_id>", methods=["GET", "POST"])
def conversation(citizen_id: str):
    the_desk, errors = desk(), {}
    if request.method == "POST":
        try:
            _call(citizens.save_conversation, the_desk, citizen_id, conversation_body(request.form))
        except CaseworkError as invalid:
            errors = {invalid.field: invalid}
        else:
            flash(gettext("Samtalen er gemt."), "success")
            return redirect(url_for("guide.conversation", citizen_id=citizen_id))
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    talk = _call(citizens.get_conversation, the_desk, citizen_id)
    if errors:                                   # show what was typed, not what was stored
        talk = {**talk, **conversation_body(request.form)}
    return render_template("guide/conversation.html", person=person, talk=talk, errors=errors,
                           empty_rows=EMPTY_ROWS), 422 if errors else 200


@bp.get("/borgere/<citizen_id>/forslag")
def suggestions(citizen_id: str):
    the_desk = desk()
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    try:
        text, who = _call(suggestion_query, the_desk, citizen_id)
    except CaseworkError as invalid:
        return render_template("guide/suggestions.html", person=person, results=None,
                               problem=invalid)
    return render_template("guide/suggestions.html", person=person, results=_suggest(text, who),
                           problem=None)


def _suggest(text: str, who) -> list[dict]:
    return to_json(runtime().matcher.get().suggest(text, who, LIVE_K), current_language())["results"]


@bp.post("/borgere/<citizen_id>/forslag/live")
def live_suggestions(citizen_id: str):
    """Suggestions from the conversation form as the guide types (``static/guide.js``, sent
    with the form's CSRF token): an HTML fragment; the draft is not stored."""
    try:
        text, who = _call(draft_query, desk(), citizen_id, conversation_body(request.form))
    except CaseworkError as problem:
        return render_template("guide/_live.html", results=None, problem=problem,
                               citizen_id=citizen_id)
    return render_template("guide/_live.html", results=_suggest(text, who), problem=None,
                           citizen_id=citizen_id)


@bp.route("/borgere/<citizen_id>/trin", methods=["GET", "POST"])
def add_step(citizen_id: str):
    the_desk, errors = desk(), {}
    values = request.form if request.method == "POST" else {"offer_id": request.args.get("offer", "")}
    if request.method == "POST":
        try:
            _call(plan.add_step, the_desk, citizen_id, step_body(request.form))
        except CaseworkError as invalid:
            errors = {invalid.field: invalid}
        else:
            flash(gettext("Prøvehandlingen er lagt i planen."), "success")
            return redirect(url_for("guide.citizen_plan", citizen_id=citizen_id))
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    network = _call(citizens.get_conversation, the_desk, citizen_id)["network"]
    return render_template("guide/step.html", person=person, values=values,
                           companions=[(p["id"], p["name"]) for p in network],
                           errors=errors), 422 if errors else 200


@bp.get("/borgere/<citizen_id>/plan")
def citizen_plan(citizen_id: str):
    the_desk = desk()
    shown = _call(plan.plan, the_desk, citizen_id)
    network = {p["id"]: p for p in _call(citizens.get_conversation, the_desk, citizen_id)["network"]}
    return render_template("guide/plan.html", plan=shown, network=network, offers=_offers())


def _offers() -> dict:
    """The catalogue's offers by the casework's ``source:id``."""
    return {f"{r.source}:{r.id}": r for r in runtime().records.get()}


@bp.get("/opfoelgning")
def followups():
    due = _call(plan.followups, desk(), date.today())
    return render_template("guide/followups.html", due=due, errors={}, offers=_offers())


@bp.post("/trin/<step_id>/opfoelgning")
def outcome(step_id: str):
    try:
        _call(plan.record_outcome, desk(), step_id, outcome_body(request.form))
    except CaseworkError as invalid:
        due = _call(plan.followups, desk(), date.today())
        return render_template("guide/followups.html", due=due, offers=_offers(),
                               errors={step_id: invalid}), 422
    flash(gettext("Opfølgningen er gemt."), "success")
    return redirect(url_for("guide.followups"))


@bp.route("/borgere/<citizen_id>/henvis", methods=["GET", "POST"])
def refer(citizen_id: str):
    """Consent to share with one offer and the referral under it, in one form; the provider's
    link is shown once, on the answer to the POST (it is stored only as a hash)."""
    the_desk, errors, sent = desk(), {}, None
    values = request.form if request.method == "POST" else {"offer_id": request.args.get("offer", "")}
    if request.method == "POST":
        try:
            consent_body = share_body(request.form, the_desk.now())
            if not consent_body:
                raise Invalid("Borgeren skal give samtykke til at dele det afkrydsede",
                              "The citizen must consent to sharing what is ticked", "consent")
            referral_input(referral_body(request.form, citizen_id, "-"))   # check before consent
            consent_id = _call(sharing.give_consent, the_desk, citizen_id, consent_body)
            sent = _call(sharing.refer, the_desk, referral_body(request.form, citizen_id, consent_id))
        except CaseworkError as invalid:
            errors = {invalid.field: invalid}
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    steps = _call(plan.plan, the_desk, citizen_id)["steps"]
    offers = _offers()
    choices = [(s["offer_id"], offers[s["offer_id"]].name) for s in steps
               if s["offer_id"] in offers]
    return render_template("guide/refer.html", person=person, values=values, errors=errors,
                           choices=list(dict(choices).items()), sent=sent,
                           link=request.host_url.rstrip("/") + sent["provider_link"] if sent else None), \
        422 if errors else 200


@bp.post("/henvisninger/<referral_id>/status")
def referral_status(referral_id: str):
    try:
        shown = _call(sharing.set_referral_status, desk(), referral_id, {"status": request.form.get("status")})
    except CaseworkError:
        abort(400)
    flash(gettext("Henvisningens status er gemt."), "success")
    return redirect(url_for("guide.citizen_plan", citizen_id=shown["citizen_id"]))


@bp.post("/samtykker/<consent_id>/tilbagetraek")
def withdraw(consent_id: str):
    """Withdraw a share consent: the provider's link stops showing the citizen at once."""
    try:
        consent = _call(sharing.withdraw_consent, desk(), consent_id)
    except CaseworkError:
        abort(400)
    flash(gettext("Samtykket er trukket tilbage; der deles ikke mere."), "success")
    return redirect(url_for("guide.citizen_plan", citizen_id=consent["citizen_id"]))
