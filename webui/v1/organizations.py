"""``/api/v1/organizations``: the providers' contact e-mail per organisation (coordinator)."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, request

from catalogue.contacts import list_contacts, set_contact
from catalogue.editing import EditError
from webui.params import whole_number
from webui.runtime import runtime
from webui.v1 import bp, error


@bp.get("/organizations")
def organizations():
    return jsonify({"organizations": [asdict(c) for c in list_contacts(runtime().sessions)]})


@bp.put("/organizations/<id>/contact")
def organization_contact(id: str):  # noqa: A002  (the path's name)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error(400, "Send ét JSON-objekt: {\"contact_email\": ...}",
                     "Send one JSON object: {\"contact_email\": ...}")
    try:
        return jsonify(asdict(set_contact(runtime().sessions, whole_number(id, 1, 2**31 - 1),
                                          data.get("contact_email"))))
    except EditError as refused:
        return error(404 if refused.field == "id" else 422, refused.da, refused.en, refused.field)
