"""The one logging set-up of every Brobygger process (``brobygger serve``'s gunicorn and its
workers, and every other command): JSON lines on standard error, one object a line, with
``time``, ``level``, ``logger`` and ``message``, and within a web request its ``request_id``,
``method`` and ``path`` (the route's pattern, never the concrete path).

What is logged never holds personal data: no query strings, bodies, client addresses or staff
names (``QUIET`` keeps libraries that would log an address below INFO); ``webui.requestlog``
writes the one line per request. gunicorn's own access log is off,
because it can only log the concrete path, and a token link's path is its key.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

# Libraries whose INFO lines name a client: Flask-Limiter logs each breach with its key, the
# client's address (the 429 itself is in the request line).
QUIET = {"flask-limiter": "WARNING"}

# Set by the web layer for the length of a request: its id, method and route pattern.
REQUEST_FIELDS: ContextVar[dict[str, str] | None] = ContextVar("brobygger_request_fields",
                                                              default=None)


class RequestFields(logging.Filter):
    """Puts the current request's fields on every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in (REQUEST_FIELDS.get() or {}).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test's capture, a CLI runner's)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def json_formatter() -> JsonFormatter:
    return JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp="time",
                         rename_fields={"levelname": "level", "name": "logger"},
                         json_ensure_ascii=False)


def json_handler() -> logging.Handler:
    handler = StandardError()
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestFields())
    return handler


def logging_config(level: str = "INFO") -> dict:
    """The set-up as a ``logging.config.dictConfig`` dictionary (gunicorn's ``logconfig_dict``)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        # the handler filters by level too: a library may set its own logger to DEBUG when it is
        # imported (bm25s does), after this set-up
        "handlers": {"json": {"()": json_handler, "level": level}},
        "root": {"level": level, "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
            **{name: {"level": quiet} for name, quiet in QUIET.items()},
        },
    }


def configure_logging(level: str = "INFO") -> None:
    """Send this process's logs through the JSON handler, leaving other handlers be (a test's
    capture); a second call adds no second handler. ``brobygger serve`` hands gunicorn
    ``logging_config`` instead, which also takes over gunicorn's own loggers."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, StandardError)]
    if not ours:
        ours = [json_handler()]
        root.addHandler(ours[0])
    ours[0].setLevel(level)   # see ``logging_config``: bm25s sets its logger to DEBUG on import
    root.setLevel(level)
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(quiet)
