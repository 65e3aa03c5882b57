"""Error pages in Danish first: HTML for people, JSON under ``/api``."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

MESSAGES = {
    404: ("Siden findes ikke", "Page not found",
          "Tjek adressen, eller gå til listen over tilbud."),
    500: ("Der skete en fejl hos os", "Something went wrong on our side",
          "Prøv igen om lidt. Sker det igen, så kontakt dem, der driver Brobygger."),
}


def handle(error: HTTPException):
    """Flask hands unhandled exceptions to the 500 handler as ``InternalServerError``."""
    da, en, help_da = MESSAGES[error.code]
    if request.path.startswith("/api/"):
        return jsonify({"error": {"da": da, "en": en}}), error.code
    return render_template("error.html", title=da, title_en=en, help=help_da), error.code


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, handle)
