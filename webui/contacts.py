"""The coordinators' page of providers' contact e-mails (``/koordinator/kontakter``): one small
form per organisation; a referral's link is mailed to the address kept here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from catalogue.contacts import list_contacts, set_contact
from catalogue.editing import EditError
from webui.params import whole_number
from webui.runtime import runtime

bp = Blueprint("contacts", __name__, url_prefix="/koordinator/kontakter")


@bp.get("/")
def contacts():
    return render_template("coordinator/contacts.html", organizations=list_contacts(
        runtime().sessions), errors={})


@bp.post("/<organization_id>")
def save_contact(organization_id: str):
    organization_id = whole_number(organization_id, 1, 2**31 - 1)
    try:
        saved = set_contact(runtime().sessions, organization_id, request.form.get("contact_email"))
    except EditError as refused:
        if refused.field == "id":
            return render_template("error.html", title=gettext("Siden findes ikke"),
                                   help=refused.da), 404
        return render_template("coordinator/contacts.html", organizations=list_contacts(
            runtime().sessions), errors={organization_id: refused}), 422
    flash(gettext("Kontakten for %(name)s er gemt.", name=saved.name), "success")
    return redirect(url_for("contacts.contacts") + f"#org-{organization_id}")
