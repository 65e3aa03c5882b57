"""Who decides whether a citizen may come, said plainly: the one home of the rule.

Read from the offer's own facts, first match wins:

1. ``visitation``: ``requires_referral`` is true. The municipality decides (under the offer's
   ``legal_basis`` when the catalogue names one); the citizen asks their caseworker or the
   municipality's citizen service.
2. ``pool``: ``capacity`` is ``waitlist`` or ``full``. The places are few and the offer shares
   them out in turn; the citizen asks the offer's contact to be put on the list.
3. ``turn_up``: ``low_threshold`` holds ``ingen_tilmelding`` (just turn up).
4. ``membership``: the cost or the description speaks of membership or signing up
   (``kontingent``, ``medlem``, ``tilmeld``, ``indmeld``): the citizen signs up with the provider.
5. ``turn_up`` otherwise: no decision by anyone else; the citizen gets in touch themselves.

Each answer carries a Danish and an English sentence with how to ask (the offer's contact when
it has one, else the provider or the municipality). Pure: no I/O, no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogue.records import OfferRecord

ACCESS_CODES = ("turn_up", "membership", "visitation", "pool")
SIGN_UP = re.compile(r"\b(kontingent|medlem\w*|tilmeld\w*|indmeld\w*)", re.IGNORECASE)
NO_SIGN_UP = re.compile(r"\b(ingen|ikke|uden)\b[^.]{0,30}\b(tilmeld\w*|medlem\w*)", re.IGNORECASE)


@dataclass(frozen=True)
class Access:
    """Who decides (``code``), the law it rests on, and the sentence in Danish and English."""

    code: str
    da: str
    en: str
    legal_basis: str | None

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.da

    def to_dict(self, language: str = "da") -> dict:
        """The API's ``access`` object (``text`` in the language asked for)."""
        return {"code": self.code, "da": self.da, "en": self.en, "text": self.text(language),
                "legal_basis": self.legal_basis}


def _asks_to_sign_up(offer: OfferRecord) -> bool:
    if SIGN_UP.search(offer.cost):
        return True
    description = NO_SIGN_UP.sub(" ", offer.description)
    return bool(SIGN_UP.search(description))


def access_code(offer: OfferRecord) -> str:
    """The rule above, as a code."""
    if offer.requires_referral:
        return "visitation"
    if offer.capacity in ("waitlist", "full"):
        return "pool"
    if "ingen_tilmelding" in offer.low_threshold:
        return "turn_up"
    return "membership" if _asks_to_sign_up(offer) else "turn_up"


def _who_da(offer: OfferRecord) -> str:
    if offer.contact:
        return f"kontakt {offer.contact}"
    return f"kontakt {offer.provider}" if offer.provider else "kontakt tilbuddet"


def _who_en(offer: OfferRecord) -> str:
    if offer.contact:
        return f"contact {offer.contact}"
    return f"contact {offer.provider}" if offer.provider else "contact the offer"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _visitation(offer: OfferRecord) -> tuple[str, str]:
    law_da = f" efter {offer.legal_basis}" if offer.legal_basis else ""
    law_en = f" under {offer.legal_basis}" if offer.legal_basis else ""
    where_da = f" Tilbuddets kontakt: {offer.contact}." if offer.contact else ""
    where_en = f" The offer's contact: {offer.contact}." if offer.contact else ""
    return (f"Kommunen afgør det: du skal have en visitation{law_da}. Spørg din sagsbehandler "
            f"eller kommunens borgerservice.{where_da}",
            f"The municipality decides: you need an assessment decision (visitation){law_en}. "
            f"Ask your caseworker or the municipality's citizen service.{where_en}")


def _pool(offer: OfferRecord) -> tuple[str, str]:
    now_da, now_en = (("Der er venteliste lige nu", "There is a waiting list now")
                      if offer.capacity == "waitlist" else ("Der er fuldt lige nu", "It is full now"))
    return (f"Der er et begrænset antal pladser, og tilbuddet fordeler dem. {now_da}: "
            f"{_who_da(offer)} for at blive skrevet op.",
            f"There is a limited number of places, and the offer shares them out. {now_en}: "
            f"{_who_en(offer)} to be put on the list.")


def _membership(offer: OfferRecord) -> tuple[str, str]:
    return (f"Du melder dig selv til hos {offer.provider or 'tilbuddet'}; ingen visitation. "
            f"Vil du vide mere først, så {_who_da(offer)}.",
            f"You sign up yourself with {offer.provider or 'the offer'}; no assessment needed. "
            f"To know more first, {_who_en(offer)}.")


def _turn_up(offer: OfferRecord) -> tuple[str, str]:
    if "ingen_tilmelding" in offer.low_threshold:
        return ("Du kan bare møde op: ingen tilmelding og ingen visitation.",
                "You can just turn up: no signing up and no assessment needed.")
    return (f"Du bestemmer selv: ingen visitation. {_first_up(_who_da(offer))}, og aftal, "
            "hvornår du kommer.",
            f"You decide yourself: no assessment needed. {_first_up(_who_en(offer))} and agree "
            "when to come.")


SENTENCES = {"visitation": _visitation, "pool": _pool, "membership": _membership,
             "turn_up": _turn_up}


def access(offer: OfferRecord) -> Access:
    """Who decides whether a citizen may use ``offer``, and how to ask, in Danish and English."""
    code = access_code(offer)
    da, en = SENTENCES[code](offer)
    return Access(code, da, en, offer.legal_basis)
