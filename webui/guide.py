"""The guides' pages: the team's citizens, a new citizen with consent, the intake conversation
with the network map, suggestions, a prøvehandling, the plan (printable) and the follow-up list.

Thin views over ``casework`` (the same functions as ``/api/v1``); ids in the URLs, never citizen
text; like every staff page they answer ``no-store`` (``webui/security.py``)."""

from __future__ import annotations

from datetime import date

from flask import (Blueprint, Response, abort, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext

from casework import citizens, plan, rights, sharing
from casework.desk import audit_refusal
from casework.errors import CaseworkError, Invalid, StaleVersion
from casework.rules import referral_input
from casework.hints import MapPerson
from casework.suggest import SuggestionQuery, draft_query, suggestion_query
from casework.vocab import vocabularies
from catalogue.vocab import vocabularies as catalogue_vocabularies
from webui import planpdf
from webui.desk import desk
from webui.guideform import (EMPTY_ROWS, citizen_body, conversation_body, form_version,
                             outcome_body, referral_body, share_body, step_body)
from webui.i18n import current_language, localized
from webui.reasons import hint_text
from webui.runtime import runtime
from webui.templating import vocabulary_options
from webui.v1.search import citizen_json

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
    """The form carries the version it was opened at: when someone saved meanwhile, nothing is
    overwritten and the page (409) shows what is saved now beside what this guide typed;
    saving again then replaces it knowingly."""
    the_desk, errors, saved_now = desk(), {}, None
    offers = _offers()
    by_name = {offer.name.casefold(): ref for ref, offer in reversed(offers.items())}
    if request.method == "POST":
        try:
            _call(citizens.save_conversation, the_desk, citizen_id,
                  conversation_body(request.form, by_name), form_version(request.form))
        except StaleVersion as stale:
            saved_now = stale.current
        except CaseworkError as invalid:
            errors = {invalid.field: invalid}
        else:
            flash(gettext("Samtalen er gemt."), "success")
            return redirect(url_for("guide.conversation", citizen_id=citizen_id))
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    talk = _call(citizens.get_conversation, the_desk, citizen_id)
    if errors or saved_now:                      # show what was typed, not what was stored
        talk = {**talk, **conversation_body(request.form, by_name),
                "version": (saved_now or {}).get("version", form_version(request.form))}
    return render_template("guide/conversation.html", person=person, talk=talk, errors=errors,
                           saved_now=saved_now, empty_rows=EMPTY_ROWS,
                           offer_names={ref: offer.name for ref, offer in offers.items()}), \
        409 if saved_now else 422 if errors else 200


@bp.get("/borgere/<citizen_id>/forslag")
def suggestions(citizen_id: str):
    the_desk = desk()
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    try:
        query = _call(suggestion_query, the_desk, citizen_id)
    except CaseworkError as invalid:
        return render_template("guide/suggestions.html", person=person, results=None,
                               problem=invalid)
    return render_template("guide/suggestions.html", person=person, results=_suggest(query),
                           problem=None)


def _suggest(query: SuggestionQuery) -> list[dict]:
    """The results with each network hint worded with the people's names (the guide's own
    data; the API gives only ids and relations)."""
    language = current_language()
    people = {p.id: p for p in query.people}
    results = citizen_json(query, LIVE_K, language)["results"]
    for result in results:
        for hint in result["network"]:
            hint["shown"] = hint_text(hint["code"], [_who(people[i]) for i in hint["people"]],
                                      language)
            if hint["code"] == "companion_possible":
                result["companion"] = hint["people"][0]
    return results


def _who(person: MapPerson) -> str:
    return f"{person.name} ({person.relation})" if person.relation else person.name


@bp.post("/borgere/<citizen_id>/forslag/live")
def live_suggestions(citizen_id: str):
    """Suggestions from the conversation form as the guide types (``static/guide.js``, sent
    with the form's CSRF token): an HTML fragment; the draft is not stored."""
    try:
        query = _call(draft_query, desk(), citizen_id, conversation_body(request.form))
    except CaseworkError as problem:
        return render_template("guide/_live.html", results=None, problem=problem,
                               citizen_id=citizen_id)
    return render_template("guide/_live.html", results=_suggest(query), problem=None,
                           citizen_id=citizen_id)


@bp.route("/borgere/<citizen_id>/trin", methods=["GET", "POST"])
def add_step(citizen_id: str):
    the_desk, errors = desk(), {}
    values = request.form if request.method == "POST" else {
        "offer_id": request.args.get("offer", ""), "companion": request.args.get("companion", "")}
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


@bp.get("/borgere/<citizen_id>/plan.pdf")
def plan_pdf(citizen_id: str):
    """The plan as a PDF to download (audited as ``download_plan``); the file name holds no
    name and no words of the citizen's."""
    the_desk = desk()
    shown = _call(plan.plan, the_desk, citizen_id, "download_plan")
    network = {p["id"]: p for p in _call(citizens.get_conversation, the_desk, citizen_id)["network"]}
    today = the_desk.now().date()
    return Response(planpdf.plan_pdf(shown, network, _offers(), today), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{planpdf.filename(today)}"',
                             "Cache-Control": "no-store"})


def _offers() -> dict:
    """The catalogue's offers by the casework's ``source:id``."""
    return {f"{r.source}:{r.id}": r for r in runtime().records.get()}


@bp.route("/borgere/<citizen_id>/afslut", methods=["GET", "POST"])
def end_course(citizen_id: str):
    """End the course, after a confirmation; the retention period runs from today."""
    return _confirmed(citizen_id, citizens.end_course, "guide.conversation", danger=False,
                      title=gettext("Afslut forløbet"),
                      explanation=[gettext("Forløbet afsluttes i dag. Borgerens oplysninger "
                                           "gemmes derefter i den fastsatte periode og slettes "
                                           "så af sig selv.")],
                      checkbox=gettext("Ja, forløbet er slut"), button=gettext("Afslut forløbet"),
                      done=gettext("Forløbet er afsluttet."))


@bp.route("/borgere/<citizen_id>/slet", methods=["GET", "POST"])
def erase(citizen_id: str):
    """Erase everything about the citizen (right to erasure), after a confirmation."""
    return _confirmed(citizen_id, rights.erase_citizen, "guide.citizens_list", danger=True,
                      title=gettext("Slet borgeren"),
                      explanation=[gettext("Alt om borgeren slettes nu og kan ikke hentes "
                                           "tilbage: samtalen, netværkskortet, planen, "
                                           "henvisninger, samtykker og ordene i revisionsloggen.")],
                      checkbox=gettext("Ja, slet alt om borgeren"), button=gettext("Slet borgeren"),
                      done=gettext("Borgeren og alt om dem er slettet."))


def _confirmed(citizen_id: str, action, then: str, done: str, **page):
    """The confirmation page (GET), or ``action`` once the box is ticked (POST, with CSRF) and
    then the page ``then`` (given the citizen's id when it takes one)."""
    the_desk, error = desk(), None
    if request.method == "POST":
        if request.form.get("confirm") == "yes":
            _call(action, the_desk, citizen_id)
            flash(done, "success")
            return redirect(url_for(then, **({} if then == "guide.citizens_list"
                                             else {"citizen_id": citizen_id})))
        error = gettext("Sæt kryds for at bekræfte.")
    person = _call(citizens.get_citizen, the_desk, citizen_id)
    return render_template("guide/confirm.html", person=person, error=error, **page), \
        422 if error else 200


@bp.get("/borgere/<citizen_id>/eksport")
def export(citizen_id: str):
    """Everything held on the citizen as JSON to download (right of access), as the API's
    export; the file name holds only the random id."""
    response = jsonify(_call(rights.export_citizen, desk(), citizen_id))
    response.headers["Content-Disposition"] = f'attachment; filename="borger-{citizen_id}.json"'
    return response


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
                           link=the_desk.public_url + sent["provider_link"] if sent else None), \
        422 if errors else 200


@bp.post("/henvisninger/<referral_id>/status")
def referral_status(referral_id: str):
    """Save the status, only if it is still the one the page showed; else back to the plan
    saying it changed meanwhile (nothing saved)."""
    try:
        shown = _call(sharing.set_referral_status, desk(), referral_id, {
            "status": request.form.get("status"),
            "expected_status": request.form.get("expected_status") or None})
    except sharing.StatusChanged as changed:
        flash(localized(changed), "error")
        return redirect(url_for("guide.citizen_plan", citizen_id=changed.citizen_id))
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
