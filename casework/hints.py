"""Network hints beside the matcher's suggestions: who on the citizen's netværkskort could go
along, and whom the citizen already knows at an offer or its provider.

Worked out here, after the matcher has answered, from the map the casework has already opened:
the matcher never sees a person. A hint is a code with the people's ids and their relations as
the guide wrote them ("søster"), never a name; the guide's page may look the names up itself.

- ``knows_someone_there``: a person on the map is linked to this offer ("where we know them
  from", the entry's optional offer), or to another offer of the same provider.
- ``companion_possible``: the offer says a companion is welcome or someone meets you at the door
  (``ledsager``, ``modtagelse``), and the map has people in the family, friends or neighbours
  and colleagues rings at closeness 1-2 (the closest first, at most two).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogue.records import OfferRecord

COMPANION_RINGS = frozenset({"family", "friends", "neighbours_colleagues"})
WELCOMES_COMPANIONS = frozenset({"ledsager", "modtagelse"})
MAX_COMPANIONS = 2


@dataclass(frozen=True)
class MapPerson:
    """A person on the map as the hints need them (``offer_ref``: ``source:id`` or None)."""

    id: str
    name: str                   # for the guide's own page; never in a hint
    relation: str | None
    ring: str | None
    closeness: int
    offer_ref: str | None = None


@dataclass(frozen=True)
class NetworkHint:
    code: str                   # knows_someone_there | companion_possible
    people: tuple[str, ...]     # network entry ids
    values: tuple[str, ...]     # their relations as written; "" where none was written


def map_people(network: Sequence[dict]) -> tuple[MapPerson, ...]:
    """From ``conversation_dict(...)["network"]``."""
    return tuple(MapPerson(p["id"], p["name"], p.get("relation"), p.get("ring"), p["closeness"],
                           p.get("offer_id")) for p in network)


def _hint(code: str, people: Sequence[MapPerson]) -> NetworkHint:
    return NetworkHint(code, tuple(p.id for p in people),
                       tuple(p.relation or "" for p in people))


def network_hints(people: Sequence[MapPerson], offer: OfferRecord,
                  providers: Mapping[str, str]) -> list[NetworkHint]:
    """The hints for one suggested offer; ``providers``: each offer's provider by
    ``source:id``. Pure."""
    ref = f"{offer.source}:{offer.id}"
    known = [p for p in people if p.offer_ref and (
        p.offer_ref == ref or (offer.provider and providers.get(p.offer_ref) == offer.provider))]
    hints = [_hint("knows_someone_there", known)] if known else []
    if WELCOMES_COMPANIONS & set(offer.low_threshold):
        close = sorted((p for p in people if p.ring in COMPANION_RINGS and p.closeness <= 2),
                       key=lambda p: p.closeness)[:MAX_COMPANIONS]
        if close:
            hints.append(_hint("companion_possible", close))
    return hints
