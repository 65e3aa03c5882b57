"""Error pages in Danish first: HTML for people, the contract's JSON error under ``/api``."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Formularen kunne ikke sendes", "The form could not be sent",
          "Siden var måske for gammel. Gå tilbage, genindlæs siden og prøv igen."),
    401: ("Du skal logge ind", "You need to log in",
          "Log ind med din personalekonto, eller brug et gyldigt API-token."),
    403: ("Det har du ikke adgang til", "You do not have access to this",
          "Siden hører til en anden rolle end din."),
    404: ("Siden findes ikke", "Page not found",
          "Tjek adressen, eller gå til listen over tilbud."),
    405: ("Det kan man ikke her", "Method not allowed",
          "Gå til listen over tilbud, eller brug søgningen."),
    429: ("For mange forsøg", "Too many tries",
          "Vent lidt, og prøv så igen."),
    500: ("Der skete en fejl hos os", "Something went wrong on our side",
          "Prøv igen om lidt. Sker det igen, så kontakt dem, der driver Brobygger."),
}


def handle(error: HTTPException):
    """Flask hands unhandled exceptions to the 500 handler as ``InternalServerError``."""
    da, en, help_da = MESSAGES[error.code]
    if request.path.startswith("/api/"):
        return jsonify({"error": {"da": da, "en": en, "field": None}}), error.code
    return render_template("error.html", title=da, title_en=en, help=help_da), error.code


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, handle)
