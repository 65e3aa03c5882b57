"""Helpers the templates use to say things in plain Danish."""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app

from catalogue.records import OfferRecord
from catalogue.schedule import parse_schedule
from catalogue.vocab import label
from webui.listing import STATE_LABELS, offer_state


def da_date(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def address_text(offer: OfferRecord) -> str:
    """Address and postcode, without repeating a postcode the address already holds."""
    if offer.postcode and offer.postcode not in offer.address:
        return ", ".join(p for p in (offer.address, offer.postcode) if p)
    return offer.address


def age_text(offer: OfferRecord) -> str:
    low, high = offer.min_age, offer.max_age
    if low is not None and high is not None:
        return f"{low}–{high} år"
    if low is not None:
        return f"Fra {low} år"
    if high is not None:
        return f"Til og med {high} år"
    return "Ingen aldersgrænse"


def municipalities_text(offer: OfferRecord) -> str:
    if not offer.municipalities:
        return "Ikke oplyst"
    if any(m.strip().lower() == "alle" for m in offer.municipalities):
        return "Alle kommuner"
    return ", ".join(offer.municipalities)


def referral_text(offer: OfferRecord) -> str:
    if offer.requires_referral is None:
        return "Ikke oplyst"
    return "Ja, kræver visitation fra kommunen" if offer.requires_referral else "Nej, du kan bare henvende dig"


def schedule_windows(offer: OfferRecord) -> list[str]:
    """The weekly times read from the schedule text, so a coordinator can check the reading."""
    return [window.label_da() for window in parse_schedule(offer.schedule)]


def labels(vocabulary: str, values) -> list[str]:
    return [label(vocabulary, value) for value in values]


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["da_date"] = da_date
    app.jinja_env.globals.update(
        label=label, labels=labels, address_text=address_text, age_text=age_text,
        municipalities_text=municipalities_text, referral_text=referral_text,
        schedule_windows=schedule_windows, state_labels=STATE_LABELS,
        state_of=lambda offer: offer_state(
            offer, date.today(), current_app.extensions["brobygger"].settings.stale_after_days))
