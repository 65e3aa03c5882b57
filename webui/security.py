"""Headers on every response: a strict Content-Security-Policy (no inline script or style),
no sniffing, no framing; search pages are neither cached nor named in a Referer. A request
holding a NUL character (in its path, parameters, form or JSON body) is refused before any
view sees it."""

from __future__ import annotations

from flask import Flask, abort, jsonify, request

from ingest.textfile import DEFAULT_MAX_BYTES
from webui.access import is_public
from webui.params import texts

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'self'", "frame-ancestors 'none'",
])
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
}
# What a citizen types is sensitive: it is never cached and never sent on as a Referer.
SEARCH_ENDPOINTS = {"search.search", "api.suggestions", "api_v1.search"}
# A token link's path is its key: never cached, never sent on as a Referer.
TOKEN_ENDPOINTS = {"links.provider", "links.citizen_checkin", "api_v1.provider_referral",
                   "api_v1.provider_answer"}
NO_REFERRER = SEARCH_ENDPOINTS | TOKEN_ENDPOINTS
NEVER_CACHED = NO_REFERRER | {"auth.login"}     # the login page carries a CSRF token


MULTIPART_ROOM = 1024 * 1024


def add_headers(response):
    response.headers.update(ALWAYS)
    if request.endpoint in NO_REFERRER:
        response.headers["Referrer-Policy"] = "no-referrer"
    if request.endpoint in NEVER_CACHED or not is_public(request.endpoint):
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_nul():
    """NUL is no character a person types, and PostgreSQL refuses it in text (a 500 if it got
    that far): a path, parameter, form field or JSON text holding one is refused with a 400."""
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    name = next((key for key, value in fields if "\x00" in f"{key}{value}"),
                "path" if "\x00" in request.path else None)
    if name is None:
        return _refuse_nul_in_json()
    if request.path.startswith("/api/"):
        return jsonify({"error": {"da": "Forespørgslen indeholder et nul-tegn (U+0000)",
                                  "en": "The request holds a NUL character (U+0000)",
                                  "field": name}}), 400
    abort(400)


def init_app(app: Flask) -> None:
    # The largest catalogue file an import reads, plus room for the multipart form around it:
    # anything larger is refused (413) before it is read, not after filling the disk.
    app.config["MAX_CONTENT_LENGTH"] = DEFAULT_MAX_BYTES + MULTIPART_ROOM
    app.before_request(refuse_nul)
    app.after_request(add_headers)


def _refuse_nul_in_json():
    """A JSON body's text holding NUL: 422 naming the top-level field that holds it, as the
    validators name a field with any other forbidden character."""
    data = request.get_json(silent=True) if request.is_json else None
    items = data.items() if isinstance(data, dict) else [("body", data)]
    field = next((key for key, value in items
                  if any("\x00" in text for text in texts([key, value]))), None)
    if field is None:
        return None
    return jsonify({"error": {"da": f"»{field}« indeholder et nul-tegn (U+0000)",
                              "en": f"'{field}' holds a NUL character (U+0000)",
                              "field": field}}), 422
