"""Error pages in the reader's language: HTML for people, the contract's JSON error (Danish and
English side by side) under ``/api``."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from webui.i18n import N_, in_language

# status -> (title, what to do); msgids in Danish, translated in webui/translations.
MESSAGES = {
    400: (N_("Formularen kunne ikke sendes"),
          N_("Siden var måske for gammel. Gå tilbage, genindlæs siden og prøv igen.")),
    401: (N_("Du skal logge ind"),
          N_("Log ind med din personalekonto, eller brug et gyldigt API-token.")),
    403: (N_("Det har du ikke adgang til"), N_("Siden hører til en anden rolle end din.")),
    404: (N_("Siden findes ikke"), N_("Tjek adressen, eller gå til listen over tilbud.")),
    405: (N_("Det kan man ikke her"), N_("Gå til listen over tilbud, eller brug søgningen.")),
    413: (N_("Det, du sendte, er for stort"),
          N_("En fil må højst fylde 25 MB, og en formular kan ikke rumme så meget tekst. Del "
             "det op, og prøv igen.")),
    429: (N_("For mange forsøg"), N_("Vent lidt, og prøv så igen.")),
    500: (N_("Der skete en fejl hos os"),
          N_("Prøv igen om lidt. Sker det igen, så kontakt dem, der driver Brobygger.")),
}


def api_error(status: int):
    """The contract's JSON error: ``{"error": {"da", "en", "field"}}``."""
    title = MESSAGES[status][0]
    return jsonify({"error": {"da": in_language("da", title), "en": in_language("en", title),
                              "field": None}}), status


def error_page(status: int):
    title, help_text = MESSAGES[status]
    return render_template("error.html", title=gettext(title), help=gettext(help_text)), status


def handle(error: HTTPException):
    """Flask hands unhandled exceptions to the 500 handler as ``InternalServerError``."""
    if request.path.startswith("/api/"):
        return api_error(error.code)
    return error_page(error.code)


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, handle)
