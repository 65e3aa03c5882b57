"""Helpers the templates use to say things plainly, in the reader's language."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, get_day_names
from flask import Flask, current_app
from flask_babel import gettext

from catalogue.access import access
from catalogue.places import means_all_municipalities
from catalogue.records import OfferRecord
from catalogue.schedule import Window, parse_schedule
from catalogue.vocab import label
from webui import reasons
from webui.i18n import current_language
from webui.listing import STATE_LABELS, offer_state


def local_date(value: date | None) -> str:
    # Translators: a CLDR date pattern (Danish 02.02.2026; English "2 Feb 2026").
    return format_date(value, gettext("dd.MM.yyyy"), locale=current_language()) if value else ""


def long_when(value: str | date | None) -> str:
    """A plan's date (or ISO date-time) in long form: "8. december 2026 kl. 10.00" /
    "December 8, 2026 10.00"; text that is no date is shown as it is."""
    if not value:
        return ""
    if isinstance(value, date):
        return format_date(value, "long", locale=current_language())
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = format_date(moment.date(), "long", locale=current_language())
    if "T" not in value and " " not in value.strip():
        return day
    return gettext("%(date)s kl. %(time)s", date=day, time=f"{moment:%H.%M}")


def address_text(offer: OfferRecord) -> str:
    """Address and postcode, without repeating a postcode the address already holds."""
    if offer.postcode and offer.postcode not in offer.address:
        return ", ".join(p for p in (offer.address, offer.postcode) if p)
    return offer.address


def age_text(offer: OfferRecord) -> str:
    return reasons.age_text(offer, current_language()) or gettext("Ingen aldersgrænse")


def municipalities_text(offer: OfferRecord) -> str:
    if not offer.municipalities:
        return gettext("Ikke oplyst")
    if any(means_all_municipalities(m) for m in offer.municipalities):
        return gettext("Alle kommuner")
    return ", ".join(offer.municipalities)


def referral_text(offer: OfferRecord) -> str:
    if offer.requires_referral is None:
        return gettext("Ikke oplyst")
    if offer.requires_referral:
        return gettext("Ja, kræver visitation fra kommunen")
    return gettext("Nej, du kan bare henvende dig")


def _clock(minutes: int | None) -> str:
    return "?" if minutes is None else f"{minutes // 60:02d}.{minutes % 60:02d}"


def window_text(window: Window) -> str:
    """"mandag kl. 09.00-12.00" / "Monday 09.00-12.00" (day names from Babel's locale data)."""
    day = get_day_names("wide", locale=current_language())[window.weekday]
    if window.start is None:
        return day
    return gettext("%(day)s kl. %(start)s-%(end)s", day=day, start=_clock(window.start),
                   end=_clock(window.end))


def schedule_windows(offer: OfferRecord) -> list[str]:
    """The weekly times read from the schedule text, so a coordinator can check the reading."""
    return [window_text(window) for window in parse_schedule(offer.schedule)]


def vocab_label(vocabulary: str, code: str) -> str:
    """A vocabulary code's label in the reader's language (the labels are catalogue data)."""
    return label(vocabulary, code, current_language())


def labels(vocabulary: str, values) -> list[str]:
    return [vocab_label(vocabulary, value) for value in values]


def vocabulary_options(vocabulary: dict) -> list[tuple[str, str]]:
    """A vocabulary's codes and labels in the reader's language, for a <select> or checkboxes."""
    return [(code, names.get(current_language(), code)) for code, names in vocabulary.items()]


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["long_when"] = long_when
    app.jinja_env.globals.update(
        label=vocab_label, labels=labels, vocabulary_options=vocabulary_options,
        address_text=address_text, age_text=age_text,
        municipalities_text=municipalities_text, referral_text=referral_text,
        schedule_windows=schedule_windows, state_labels=STATE_LABELS,
        access_text=lambda offer: access(offer).text(current_language()),
        reason_text=lambda reason: reasons.reason_text(reason, current_language()),
        step_texts=lambda step: reasons.step_texts(step, current_language()),
        card_facts=lambda s: reasons.card_facts(s, current_language()),
        card_notes=reasons.notes,
        group_title=lambda group: reasons.group_title(group, current_language()),
        corrections_text=lambda corrections: reasons.corrections_text(corrections,
                                                                     current_language()),
        state_of=lambda offer: offer_state(
            offer, date.today(), current_app.extensions["brobygger"].settings.stale_after_days))
