"""Danish schedule text becomes weekly windows; the original text is what people read."""

from datetime import datetime

import pytest

from catalogue.schedule import next_session, parse_schedule


def labels(text):
    return [w.label_da() for w in parse_schedule(text)]


@pytest.mark.parametrize("text, expected", [
    ("tirsdage kl. 10-12", ["tirsdag kl. 10.00-12.00"]),
    ("mandag og torsdag kl. 9.30-14", ["mandag kl. 09.30-14.00", "torsdag kl. 09.30-14.00"]),
    ("onsdage kl. 17.00-20.00", ["onsdag kl. 17.00-20.00"]),
    ("man-fre 9-15", [f"{d} kl. 09.00-15.00" for d in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")]),
    ("hverdage kl. 8-15", [f"{d} kl. 08.00-15.00" for d in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")]),
    ("tirsdag kl. 10-12 og fredag kl. 13-15", ["tirsdag kl. 10.00-12.00", "fredag kl. 13.00-15.00"]),
    ("Tirsdag 10:00–12:30, torsdag 14-16", ["tirsdag kl. 10.00-12.30", "torsdag kl. 14.00-16.00"]),
    ("loerdage kl. 10-13", ["lørdag kl. 10.00-13.00"]),             # typed without æøå
    ("weekender 10-16", ["lørdag kl. 10.00-16.00", "søndag kl. 10.00-16.00"]),
    ("Mandage fra kl. 17", ["mandag kl. 17.00-19.00"]),             # start only: two hours
    ("tirsdage", ["tirsdag"]),                                      # day known, time unknown
    ("efter aftale", []),
    ("", []),
])
def test_parse(text, expected):
    assert labels(text) == expected


def test_recurrence_and_round_the_clock():
    assert {w.recurrence for w in parse_schedule("hver anden torsdag kl. 19-21")} == {"biweekly"}
    assert {w.recurrence for w in parse_schedule("første søndag i måneden kl. 11-14")} == {"monthly"}
    allday = parse_schedule("døgnåben")
    assert len(allday) == 7 and all(w.start == 0 and w.end == 24 * 60 for w in allday)


def test_next_session():
    windows = parse_schedule("tirsdage kl. 10-12")
    monday = datetime(2026, 11, 23, 9, 0)
    assert next_session(windows, monday) == datetime(2026, 11, 24, 10, 0)
    during = datetime(2026, 11, 24, 10, 30)
    assert next_session(windows, during) == datetime(2026, 12, 1, 10, 0)
    assert next_session(parse_schedule("efter aftale"), monday) is None
