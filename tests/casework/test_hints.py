"""The network hints, worked out from the map after the matcher answered (pure, a table)."""

from __future__ import annotations

import pytest

from casework.hints import MapPerson, network_hints
from catalogue.records import OfferRecord

SISTER = MapPerson("p1", "Lise", "søster", "family", 1)
FRIEND = MapPerson("p2", "Ole", None, "friends", 2)
FAR = MapPerson("p3", "Bo", "fætter", "family", 3)
NURSE = MapPerson("p4", "Anne", "sygeplejerske", "professionals", 1)
CHOIR = MapPerson("p5", "Kim", "nabo", "neighbours_colleagues", 3, offer_ref="default:kor")
OTHER_CHOIR = MapPerson("p6", "Eva", "kollega", "online", 3, offer_ref="default:kor2")


def _offer(id_="kor", provider="Koret", low_threshold=()) -> OfferRecord:
    return OfferRecord(id=id_, name="Kor", description="", kind="association", provider=provider,
                       low_threshold=low_threshold)


PROVIDERS = {"default:kor": "Koret", "default:kor2": "Koret", "default:x": "Andet"}


@pytest.mark.parametrize(("people", "offer", "expected"), [
    ((SISTER, FRIEND, FAR, NURSE), _offer(low_threshold=("ledsager",)),
     [("companion_possible", ("p1", "p2"), ("søster", ""))]),
    ((SISTER,), _offer(low_threshold=("modtagelse",)), [("companion_possible", ("p1",), ("søster",))]),
    ((SISTER, FRIEND), _offer(low_threshold=("proevegang",)), []),        # the offer does not say
    ((FAR, NURSE), _offer(low_threshold=("ledsager",)), []),               # nobody close enough
    ((CHOIR,), _offer(), [("knows_someone_there", ("p5",), ("nabo",))]),
    ((OTHER_CHOIR,), _offer(), [("knows_someone_there", ("p6",), ("kollega",))]),   # same provider
    ((OTHER_CHOIR,), _offer(provider=""), []),                             # no provider to share
    ((CHOIR, SISTER), _offer(id_="x", provider="Andet", low_threshold=("ledsager",)),
     [("companion_possible", ("p1",), ("søster",))]),
])
def test_network_hints(people, offer, expected):
    hints = network_hints(people, offer, PROVIDERS)
    assert [(h.code, h.people, h.values) for h in hints] == expected
    assert not any(p.name in h.values for h in hints for p in people)   # never a name
