"""One log line per request, in the JSON of ``catalogue.logs``: request id, method, the route's
pattern (``/p/<token>``, never the token), status and duration. Nothing from the query string,
the body, the client's address or the account; a request no route matched logs no path at all.

The request id is made here, or taken from a well-formed ``X-Request-ID`` when a trusted proxy
(``BROBYGGER_TRUSTED_PROXIES``) sets it, and is sent back in the same header, so one request can
be followed through every line it logged.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request

from catalogue.logs import REQUEST_FIELDS

log = logging.getLogger("brobygger.request")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
UNMATCHED = "<unmatched>"


def request_id(from_proxy: bool) -> str:
    offered = request.headers.get("X-Request-ID", "") if from_proxy else ""
    return offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def start(from_proxy: bool) -> None:
    g.request_started = time.perf_counter()
    g.request_log_token = REQUEST_FIELDS.set({
        "request_id": request_id(from_proxy), "method": request.method,
        "path": request.url_rule.rule if request.url_rule is not None else UNMATCHED})


def finish(response):
    fields = REQUEST_FIELDS.get()
    if fields is not None:
        response.headers["X-Request-ID"] = fields["request_id"]
        duration = (time.perf_counter() - g.request_started) * 1000
        log.info("request", extra={"status": response.status_code,
                                   "duration_ms": round(duration, 1)})
    return response


def forget(_error=None) -> None:
    token = g.pop("request_log_token", None)
    if token is not None:
        REQUEST_FIELDS.reset(token)


def log_exception(exc_info) -> None:
    """Instead of Flask's, which names the concrete path: the request's fields say where."""
    log.error("Uventet fejl / unhandled exception", exc_info=exc_info)


def init_app(app: Flask, behind_proxy: bool) -> None:
    """Registered before every other hook, so even a request refused at the door is logged."""
    app.before_request(lambda: start(behind_proxy))
    app.after_request(finish)
    app.teardown_request(forget)
    app.log_exception = log_exception
