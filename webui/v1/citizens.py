"""The citizen's course (``shared/api.md``): guides of the citizen's own team only (403 for
another team's citizen); admins read the audit log. Ids in the paths, never citizen text."""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import wraps

from flask import Response, jsonify, request

from casework import citizens, plan, rights, sharing
from casework.crypto import KeyProblem
from casework.desk import audit_refusal
from casework.errors import CaseworkError, OtherTeamsCitizen, StaleVersion
from casework.suggest import suggestion_query
from webui.desk import desk
from webui.params import tagged_version, whole_number
from webui.v1 import bp, error
from webui.v1.search import citizen_json


def answers(view):
    """Casework refusals as the contract's errors; a missing key as 503 (the server's fault)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except CaseworkError as refused:
            if isinstance(refused, OtherTeamsCitizen):     # a staff member's refusal, audited
                audit_refusal(desk(), refused)
            return error(refused.status, refused.da, refused.en, refused.field)
        except KeyProblem as problem:
            return error(503, problem.da, problem.en)
    return wrapped


class Malformed(CaseworkError):
    status = 400


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Malformed("Send ét JSON-objekt (Content-Type: application/json)",
                        "Send one JSON object (Content-Type: application/json)")
    return data


@bp.get("/citizens")
@answers
def list_citizens():
    return jsonify({"citizens": citizens.list_citizens(desk())})


@bp.post("/citizens")
@answers
def create_citizen():
    return jsonify({"id": citizens.create_citizen(desk(), body())}), 201


@bp.get("/citizens/<id>")
@answers
def citizen(id: str):  # noqa: A002  (the contract's name)
    return jsonify(citizens.get_citizen(desk(), id))


@bp.delete("/citizens/<id>")
@answers
def erase_citizen(id: str):  # noqa: A002
    rights.erase_citizen(desk(), id)
    return jsonify({"id": id, "erased": True})


@bp.post("/citizens/<id>/end")
@answers
def end_course(id: str):  # noqa: A002
    return jsonify(citizens.end_course(desk(), id))


def _versioned(conversation: dict):
    """The conversation with its version as ``ETag`` (send it back in ``If-Match``)."""
    response = jsonify(conversation)
    response.headers["ETag"] = f'"{conversation["version"]}"'
    return response


def _if_match() -> int | None:
    """The version an optional ``If-Match`` names ("3", W/"3" or 3); None when not sent."""
    raw = request.headers.get("If-Match")
    if raw is None or not raw.strip():
        return None
    version = tagged_version(raw)
    if version is None:
        raise Malformed("If-Match skal være en version (ETag) som \"3\"",
                        "If-Match must be a version (ETag) such as \"3\"", "If-Match")
    return version


@bp.get("/citizens/<id>/conversation")
@answers
def conversation(id: str):  # noqa: A002
    return _versioned(citizens.get_conversation(desk(), id))


@bp.put("/citizens/<id>/conversation")
@answers
def save_conversation(id: str):  # noqa: A002
    """Last save wins unless ``If-Match`` names the version the change starts from: then a
    stale version is 412 with what is saved now, and nothing is overwritten."""
    version = _if_match()
    try:
        return _versioned(citizens.save_conversation(desk(), id, body(), version))
    except StaleVersion as stale:
        return error(412, stale.da, stale.en, stale.field, current=stale.current,
                     current_version=stale.current["version"])


@bp.get("/citizens/<id>/suggestions")
@answers
def citizen_suggestions(id: str):  # noqa: A002
    """The search from what the conversation holds; the matcher sees no name and no id."""
    lang = request.args.get("lang") or "da"
    k = whole_number(request.args.get("k") or "10", 1, 50)
    if lang not in ("da", "en") or k is None:
        field = "k" if k is None else "lang"
        return error(400, f"»{field}« er ugyldig (k: 1-50, lang: da|en)",
                     f"'{field}' is invalid (k: 1-50, lang: da|en)", field)
    return jsonify(citizen_json(suggestion_query(desk(), id), k, lang))


@bp.post("/citizens/<id>/steps")
@answers
def add_step(id: str):  # noqa: A002
    the_desk = desk()
    step_id, link = plan.add_step(the_desk, id, body())
    return jsonify({"id": step_id, "checkin_link": the_desk.public_url + link}), 201


@bp.get("/citizens/<id>/plan")
@answers
def citizen_plan(id: str):  # noqa: A002
    return jsonify(plan.plan(desk(), id))


@bp.post("/steps/<id>/outcome")
@answers
def step_outcome(id: str):  # noqa: A002
    return jsonify(plan.record_outcome(desk(), id, body()))


@bp.post("/citizens/<id>/consents")
@answers
def give_consent(id: str):  # noqa: A002
    return jsonify({"id": sharing.give_consent(desk(), id, body())}), 201


@bp.delete("/consents/<id>")
@answers
def withdraw_consent(id: str):  # noqa: A002
    return jsonify(sharing.withdraw_consent(desk(), id))


@bp.post("/referrals")
@answers
def refer():
    the_desk = desk()
    sent = sharing.refer(the_desk, body())
    return jsonify({**sent, "provider_link": the_desk.public_url + sent["provider_link"]}), 201


@bp.get("/referrals/<id>")
@answers
def referral(id: str):  # noqa: A002
    return jsonify(sharing.get_referral(desk(), id))


@bp.post("/referrals/<id>/status")
@answers
def referral_status(id: str):  # noqa: A002
    return jsonify(sharing.set_referral_status(desk(), id, body()))


@bp.get("/followups")
@answers
def followups():
    raw = request.args.get("due_before")
    try:
        due = date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        return error(400, "»due_before« skal være en dato som 2026-12-24",
                     "'due_before' must be a date such as 2026-12-24", "due_before")
    return jsonify(plan.followups(desk(), due))


@bp.get("/citizens/<id>/export")
@answers
def export_citizen(id: str):  # noqa: A002
    response = jsonify(rights.export_citizen(desk(), id))
    response.headers["Content-Disposition"] = f'attachment; filename="borger-{id}.json"'
    return response


AUDIT_COLUMNS = ("id", "at", "who", "account_id", "team", "citizen_id", "action", "why", "details")


def audit_csv(entries: list[dict]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, AUDIT_COLUMNS)
    writer.writeheader()
    writer.writerows(entries)
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="audit.csv"'})


@bp.get("/audit")
@answers
def audit():
    """``?citizen_id=``; ``Accept: text/csv`` (or ``?format=csv``) gives CSV (admin)."""
    entries = rights.audit_log(desk(), request.args.get("citizen_id") or None)
    if request.args.get("format") == "csv" or request.accept_mimetypes.best == "text/csv":
        return audit_csv(entries)
    return jsonify({"entries": entries})
