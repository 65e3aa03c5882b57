"""The search's hook for hints to new offers: when a public search found nothing good, its
countable terms (``matcher.unmet``) are counted once the answer has been sent, so counting
never slows the search, and a failure is logged (without the text) instead of failing it."""

from __future__ import annotations

import logging
from datetime import date

from flask import Response, after_this_request

from catalogue.search_terms import count_terms
from matcher.suggestions import Suggestions
from matcher.unmet import countable_terms, found_nothing_good
from webui.runtime import runtime

log = logging.getLogger(__name__)


def note_search(text: str, suggestions: Suggestions) -> None:
    """Count the terms of ``text`` after the response when ``suggestions`` found nothing good."""
    try:
        if not found_nothing_good(suggestions):
            return
        sessions = runtime().sessions
    except Exception:   # noqa: BLE001 - a hint is never worth a failed search
        log.warning("unmet search terms: could not look at the answer", exc_info=False)
        return

    def count_later(response: Response) -> Response:
        response.call_on_close(lambda: _count(sessions, text))
        return response

    after_this_request(count_later)


def _count(sessions, text: str) -> None:
    try:
        count_terms(sessions, countable_terms(text), date.today())
    except Exception as problem:   # noqa: BLE001
        log.warning("unmet search terms not counted (%s)", type(problem).__name__)
