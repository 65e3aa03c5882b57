"""What is never inferred: the one place that says which needs a citizen must state themselves.

Conditions (mental illness, addiction, homelessness, violence, disabilities) are read only from
the citizen's own words. Learned associations may lead towards an offer for a condition only
from that same condition stated (``fair_pair``), so "refugees" never leads to violence services,
nor "horses" to offers for developmental disabilities. An offer about a stigmatised need (a
shelter, addiction treatment, violence counselling: ``stigmatised_focus``) comes after all others
when the text does not speak of that need. Words of who a person is (origin, language, religion,
gender, age) imply no condition at all: the lexicons do not map them to one, and
``tests/matcher/test_fairness.py`` probes it with sentences in Danish and English.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from catalogue.records import OfferRecord
from matcher.lexicon import needs_lexicon


@lru_cache(maxsize=1)
def _rules() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("matcher").joinpath("data/fairness.json").read_text("utf-8"))
    return {key: frozenset(value) for key, value in data.items() if not key.startswith("_")}


def stigmatised() -> frozenset[str]:
    """Needs that hurt most when assumed: mental illness, addiction, homelessness, violence."""
    return _rules()["stigmatised"]


def conditions() -> frozenset[str]:
    """Needs the citizen must state: the stigmatised ones and disabilities."""
    return _rules()["conditions"]


@lru_cache(maxsize=4096)
def conditions_of(trait: str) -> frozenset[str]:
    """The conditions a query or offer trait names: ``need:misbrug`` or a category tag whose
    words the needs lexicon reads as one (``tag:krisecent``, ``tag:hjemloes``)."""
    kind, _, value = trait.partition(":")
    if kind == "need":
        return frozenset({value}) & conditions()
    if kind == "tag":
        return frozenset(needs_lexicon().detect(value)) & conditions()
    return frozenset()


def fair_pair(query_trait: str, offer_trait: str) -> bool:
    """May a learned (query trait, offer trait) association shape the ranking? Only when every
    condition the offer trait names is one the query trait states itself."""
    return conditions_of(offer_trait) <= conditions_of(query_trait)


@lru_cache(maxsize=65_536)
def stigmatised_focus(record: OfferRecord) -> str | None:
    """The stigmatised need an offer is about: its main (first) target group, when its own name
    or categories name it too ("Herberget", "rådgivning om vold"; not a choir that welcomes
    people with mental illness among others)."""
    main = record.target_groups[0] if record.target_groups else None
    if main not in stigmatised():
        return None
    return main if main in needs_lexicon().detect(" . ".join((record.name, *record.categories))) else None
