"""The search page: the citizen's own words and situation in, grouped suggestions out.

The form is sent by POST and the results are shown in the answer to it, so what a citizen
types never lands in a URL (nor in a browser history, a Referer or an access log).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.datastructures import MultiDict

from catalogue.vocab import vocabularies
from matcher.service import MAX_TEXT_CHARS
from matcher.suggestions import GROUPS, Suggestions
from webui.listing import municipalities
from webui.runtime import runtime
from webui.searchform import barrier_vocabulary, parse_search
from webui.unmet import note_search

bp = Blueprint("search", __name__)


def run_search(form) -> Suggestions | None:
    """The matcher's suggestions for a valid form; None when the form is not valid."""
    if not form.valid:
        return None
    found = runtime().matcher.get().suggest(form.text, form.citizen, form.k)
    note_search(form.text, found)   # anonymous counts of terms that found nothing good
    return found


@bp.route("/soeg", methods=["GET", "POST"])
def search():
    """GET gives the empty form (a query string is ignored); POST searches."""
    form = parse_search(request.form if request.method == "POST" else MultiDict())
    errors = form.errors if form.submitted else {}
    return render_template("search/search.html", form=form, errors=errors,
                           suggestions=run_search(form) if form.submitted else None,
                           municipalities=municipalities(runtime().records.get()),
                           accessibility=vocabularies()["accessibility"],
                           barriers=barrier_vocabulary(),
                           groups=GROUPS,
                           max_text_chars=MAX_TEXT_CHARS)
