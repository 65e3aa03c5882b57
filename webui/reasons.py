"""The words for the matcher's codes: why an offer was suggested, the drafted first step, the
group titles and a card's facts, in the reader's language.

One renderer for the pages, both JSON APIs and the terminal: each function takes the language,
and every text is a Danish msgid translated through the same catalogue as the rest of the UI
(``webui.i18n.in_language``). Values are the citizen's own words, vocabulary keys (shown by
their label), theme codes (shown by the lexicon's label) or the offer's own facts.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from catalogue.places import town
from catalogue.records import OfferRecord
from catalogue.vocab import label
from matcher.barriers import barrier_table
from matcher.lexicon import interests_lexicon
from matcher.suggestions import Reason, Suggestion, TrialStep
from webui.i18n import N_, in_language

# A bridge that answers the citizen's barrier (``matcher.barriers``), said as what it means for
# them: every bridge code the barrier table names.
BRIDGES = {
    "ledsager": N_("Du kan tage en med første gang"),
    "modtagelse": N_("Der står en og tager imod dig ved døren"),
    "proevegang": N_("Du kan prøve én gang uden at melde dig ind"),
    "uden_dansk": N_("Du behøver ikke tale dansk"),
    "let_dansk": N_("Her bliver der talt let dansk"),
    "gratis": N_("Det koster ikke noget"),
    "transport": N_("Du kan få hjælp til at komme derhen"),
    "anonym": N_("Du behøver ikke sige dit navn"),
    "ingen_tilmelding": N_("Du kan bare møde op, uden tilmelding"),
    "koerestol": N_("Der er adgang uden trapper, også i kørestol"),
}
# What the citizen would be there (``matcher.suggestions.ROLES``): taking part, giving, working.
ROLES = {
    "deltager": N_("Du er med som deltager"),
    "frivillig": N_("Du giver: en rolle som frivillig"),
    "job": N_("Du arbejder: job eller praktik"),
}
# A reason is a template over its values, or (bridge, role) the sentence of its one value.
REASONS = {
    "bridge": BRIDGES,
    "role": ROLES,
    "need": N_("Handler om: %(values)s"),
    "interest": N_("Passer til din interesse: %(values)s"),
    "shared_words": N_("Fælles ord: %(values)s"),
    "like_named": N_("Ligner %(values)s, som du nævnte"),
    "meaning_close": N_("Ligner det, du skrev, i betydning"),
    "age_fits": N_("Din alder (%(values)s) passer"),
    "municipality": N_("For borgere i %(values)s"),
    "free": N_("Gratis"),
    "language": N_("Foregår på %(values)s"),
}
NETWORK_HINTS = {
    "companion_possible": N_("Kan gå med: %(values)s"),
    "knows_someone_there": N_("Kender allerede nogen her: %(values)s"),
}
GROUP_TITLES = {
    "proevehandlinger": N_("Prøvehandlinger: et lille skridt du kan tage nu"),
    "network": N_("Fællesskaber og netværk i civilsamfundet"),
    "services": N_("Kommunale tilbud, job og praktik"),
    "needs_visitation": N_("Kræver visitation fra kommunen"),
}
STEP_ACTIONS = {
    "job_talk": N_("Aftal en prøvedag eller en snak om praktik: %(name)s"),
    "volunteer": N_("Mød op og hør om at være med som frivillig: %(name)s"),
    "try_once": N_("Prøv én gang: %(name)s"),
    "first_time": N_("Deltag første gang: %(name)s"),
}
COMPANIONS = {
    "companion_welcome": N_("Tag en ven, en pårørende eller din kontaktperson med; det er "
                            "velkomment her."),
    "met_at_door": N_("Der står en og tager imod dig; du kan også tage en, du kender, med."),
    "bring_someone": N_("Overvej at tage en, du er tryg ved, med første gang."),
}
# Translators: a CLDR date pattern (Danish 02.02.2026; English "2 Feb 2026").
DATE_PATTERN = N_("dd.MM.yyyy")


def _language_name(code: str, language: str) -> str:
    try:
        name = Locale.parse(code).get_display_name(language)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def interest_label(code: str, language: str) -> str:
    theme = interests_lexicon().themes.get(code)
    if theme is None:
        return code
    return theme.label_en if language == "en" else theme.label_da


def shown_values(reason: Reason, language: str) -> list[str]:
    """A reason's values as a person reads them (labels for keys and codes)."""
    if reason.code == "need":
        return [label("target_groups", v, language) for v in reason.values]
    if reason.code == "interest":
        return [interest_label(v, language) for v in reason.values]
    if reason.code == "language":
        return [_language_name(v, language) for v in reason.values]
    return list(reason.values)


def barrier_label(code: str, language: str) -> str:
    """A barrier in the citizen's own plain words ("Jeg har ingen at gå med")."""
    barrier = barrier_table().get(code)
    if barrier is None:
        return code
    return barrier.label_en if language == "en" else barrier.label_da


def reason_text(reason: Reason, language: str) -> str:
    """One reason in ``language`` ("Fælles ord: strik" / "Words in common: strik")."""
    if isinstance(words := REASONS[reason.code], dict):
        return in_language(language, words[reason.values[0]])
    values = shown_values(reason, language)
    return in_language(language, REASONS[reason.code], values=", ".join(values))


def reason_dict(reason: Reason, language: str) -> dict:
    """The API's shape: ``{"code", "values", "text"}``."""
    return {"code": reason.code, "values": list(reason.values),
            "text": reason_text(reason, language)}


def hint_text(code: str, values, language: str) -> str:
    """A network hint ("Kan gå med: søster"); a person without a written relation is "en fra
    netværket". The guide's page passes names, the API relations."""
    someone = in_language(language, N_("en fra netværket"))
    return in_language(language, NETWORK_HINTS[code],
                       values=", ".join(v or someone for v in values))


def hint_dict(hint, language: str) -> dict:
    """The API's shape: ``{"code", "people", "values", "text"}`` (ids and relations, no names)."""
    return {"code": hint.code, "people": list(hint.people), "values": list(hint.values),
            "text": hint_text(hint.code, hint.values, language)}


def group_title(group: str, language: str) -> str:
    return in_language(language, GROUP_TITLES[group])


def local_date(value, language: str) -> str:
    return format_date(value, in_language(language, DATE_PATTERN), locale=language)


def step_texts(step: TrialStep, language: str) -> dict[str, str]:
    """The drafted first step's what, where, when, who joins and follow-up, as sentences."""
    if step.next_session is not None:
        when = in_language(language, N_("%(date)s kl. %(time)s"),
                           date=local_date(step.next_session, language),
                           time=f"{step.next_session:%H.%M}")
    else:
        when = step.schedule or in_language(language, N_("Efter aftale"))
    return {
        "what": in_language(language, STEP_ACTIONS[step.action], name=step.offer_name),
        "where": step.where or in_language(language, N_("Online eller telefon")),
        "when": when,
        "who_joins": in_language(language, COMPANIONS[step.companion]),
        "follow_up": in_language(language, N_("Opfølgning %(date)s: hvordan gik det, og hvad er "
                                              "næste skridt?"),
                                 date=local_date(step.follow_up, language)),
    }


def age_text(offer: OfferRecord, language: str) -> str | None:
    """The offer's age limit ("18–30 år", "Fra 18 år"), None when it has none."""
    low, high = offer.min_age, offer.max_age
    if low is not None and high is not None:
        return in_language(language, N_("%(low)s–%(high)s år"), low=low, high=high)
    if low is not None:
        return in_language(language, N_("Fra %(low)s år"), low=low)
    if high is not None:
        return in_language(language, N_("Til og med %(high)s år"), high=high)
    return None


def distance_text(km: float, language: str) -> str:
    """"ca. 2,4 km væk" / "about 2.4 km away" (whole kilometres from 10 km)."""
    km = max(km, 0.1)   # the catalogue places a postcode where its offers are
    rounded = format_decimal(round(km, 1) if km < 10 else round(km), "#,##0.#", locale=language)
    return in_language(language, N_("ca. %(km)s km væk"), km=rounded)


def card_facts(s: Suggestion, language: str) -> list[str]:
    """What a card says besides the reasons and the badges (visitation, waiting list): the
    town, how far, the age limit."""
    facts = []
    if place := town(s.offer):
        facts.append(place)
    if s.distance_km is not None:
        facts.append(distance_text(s.distance_km, language))
    if ages := age_text(s.offer, language):   # "18–30 år" / "Aged 18–30"
        facts.append(ages)
    return facts


def notes(s: Suggestion) -> list:
    """The rules a card warns about (failed verdicts), leaving out the distance the card's
    facts already give."""
    return [v for v in s.rules if not v.passed
            and not (v.rule == "distance" and s.distance_km is not None)]


def corrections_text(corrections: dict[str, str], language: str) -> str:
    """The spelling note: the citizen's words as typed and the real words they were read as."""
    pairs = ", ".join(f"»{typed}« → »{real}«" for typed, real in corrections.items())
    return f"{in_language(language, N_('Læst som:'))} {pairs}"
