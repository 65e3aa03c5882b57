"""Search words that found nothing good, as a coordinator sees them: only words of short public
searches, counted per week, shown from three counts on (JSON, CSV, the page); a search that
found something good counts nothing, and a failed count never fails the search."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import inspect, select

from catalogue.db import make_engine, session_factory
from catalogue.search_terms import MIN_COUNT, UnmetSearchTerm, count_terms, frequent_terms, week_of
from tests.webui.conftest import STAFF, log_in, make_app, post_form, staff_with_tokens
from tests.webui.page import Page
from tests.webui.test_api_v1 import check

PATH = "/api/v1/dashboard/search-terms"


@pytest.fixture
def board(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    yield app, staff_with_tokens(app)
    app.extensions["brobygger"].engine.dispose()


def search(app, text: str, times: int = 1) -> None:
    """Search ``times`` times; closing each answer is what a WSGI server does once it is sent
    (the words are counted then)."""
    client = app.test_client()
    for _ in range(times):
        with client.get("/api/v1/search", query_string={"q": text}) as response:
            assert response.status_code == 200


def test_words_that_found_nothing_good_are_shown_from_three_counts(board):
    app, heads = board
    search(app, "keramik", MIN_COUNT)                        # nothing in the catalogue
    search(app, "Mette Kjærsgaardsen ridning 12345 mette@mail.dk")   # ridning once only
    search(app, "ridning", MIN_COUNT - 2)                    # twice in all: under the floor
    search(app, "gåtur i skoven for ældre", 4)               # found something good
    client = app.test_client()
    check(client.get(PATH), 401, PATH)
    check(client.get(PATH, headers=heads["guide"]), 403, PATH)
    shown = check(client.get(PATH, headers=heads["coordinator"]), 200, PATH)
    assert shown["terms"] == [{"term": "keramik", "count": 3}] and shown["min_count"] == 3
    search(app, "ridning")
    shown = client.get(PATH, headers=heads["admin"]).get_json()["terms"]
    assert shown == [{"term": "keramik", "count": 3}, {"term": "ridning", "count": 3}]

    # what is kept: a word, a week (its Monday) and a count; nothing else exists to leak
    with app.extensions["brobygger"].sessions() as session:
        columns = {c["name"] for c in inspect(session.get_bind()).get_columns("unmet_search_term")}
        stored = session.scalars(select(UnmetSearchTerm)).all()
    assert columns == {"term", "week", "count"}
    assert {row.term for row in stored} == {"keramik", "ridning"}
    assert {row.week for row in stored} == {week_of(date.today())}
    assert week_of(date.today()).weekday() == 0

    table = list(csv.DictReader(io.StringIO(client.get(PATH + "?format=csv",
                                                       headers=heads["coordinator"]).text)))
    assert table == [{"term": "keramik", "count": "3"}, {"term": "ridning", "count": "3"}]
    log_in(client, STAFF["coordinator"])
    page = Page(client.get("/koordinator/oversigt/").text)
    assert "keramik 3" in page.text and "ridning 3" in page.text
    download = client.get("/koordinator/oversigt/soegeord.csv")
    assert download.mimetype == "text/csv" and "keramik,3" in download.text


def test_the_search_page_counts_too_and_a_failed_count_never_fails_it(board, monkeypatch):
    app, heads = board
    client = app.test_client()
    for _ in range(MIN_COUNT):
        with post_form(client, "/soeg", q="keramik") as response:
            assert response.status_code == 200
    assert frequent_terms(app.extensions["brobygger"].sessions) == [{"term": "keramik", "count": 3}]

    def broken(*_):
        raise RuntimeError("database gone")

    monkeypatch.setattr("webui.unmet.count_terms", broken)
    with client.get("/api/v1/search", query_string={"q": "keramik"}) as response:
        assert response.status_code == 200 and response.get_json()["results"] is not None
    assert frequent_terms(app.extensions["brobygger"].sessions)[0]["count"] == 3


def test_counts_add_up_across_weeks_and_old_weeks_are_forgotten(database_url):
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    count_terms(sessions, ["keramik", "keramik", "yoga"], date(2026, 1, 5))     # counted once each
    count_terms(sessions, ["keramik"], date(2026, 1, 8))                      # same week
    count_terms(sessions, ["keramik"], date(2026, 1, 12))                     # next week
    day = date(2026, 1, 14)
    assert frequent_terms(sessions, day) == [{"term": "keramik", "count": 3}]
    assert frequent_terms(sessions, day, min_count=1)[1] == {"term": "yoga", "count": 1}
    assert frequent_terms(sessions, date(2027, 2, 1), min_count=1) == []    # a year on: too old
    count_terms(sessions, ["yoga"], date(2027, 3, 1))                       # 60 weeks later
    assert frequent_terms(sessions, date(2027, 3, 1), min_count=1) == [{"term": "yoga", "count": 1}]
    with sessions() as session:                                             # and the old rows gone
        assert session.scalars(select(UnmetSearchTerm.term)).all() == ["yoga"]
    engine.dispose()
