"""The versioned JSON API ``/api/v1`` (the contract in ``shared/api.md``; the OpenAPI document
in ``webui/v1/openapi.py`` describes every endpoint, and a test checks both against each other).

Errors are ``{"error": {"da", "en", "field"}}`` with a 4xx status; nothing a client sends gives
a 5xx. Who may call what is in ``webui/access.py``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def error(status: int, da: str, en: str, field: str | None = None, **extra):
    """The contract's error answer (``extra`` adds fields beside ``error``)."""
    return jsonify({"error": {"da": da, "en": en, "field": field}, **extra}), status


# the modules put their routes on ``bp``
from webui.v1 import (citizens, dashboard, imports, loop, offers, openapi,  # noqa: E402,F401
                      organizations, search)
