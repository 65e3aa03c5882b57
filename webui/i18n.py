"""The pages' language: Danish by default, English when the reader chooses it (remembered).

Every msgid is written in Danish, the source language; ``webui/translations/en`` holds the
English catalogue (``make translations`` extracts, updates and compiles it). A reader chooses
with ``?lang=en`` / ``?lang=da`` (the switch on every page is such a link); the choice is kept
in the ``lang`` cookie. ``Accept-Language`` is not read: a Danish service is Danish until the
reader says otherwise, whatever language the browser happens to be set to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
COOKIE = "lang"
COOKIE_LIFETIME = timedelta(days=365)
TRANSLATIONS = Path(__file__).parent / "translations"


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction where it is defined; it is translated where it is shown."""
    return msgid


def choose_language() -> str:
    """``?lang=`` first, then the remembered ``lang`` cookie, else Danish (also outside a
    request, e.g. a CLI command inside an app context)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the page being rendered (Danish outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def _translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language])


def in_language(language: str, msgid: str, **params) -> str:
    """``msgid`` translated to ``language`` whatever the page's language: for texts the JSON
    contract gives in both languages (``{"da": ..., "en": ...}``)."""
    text = _translations(language).gettext(msgid)
    return text % params if params else text


def localized(pair) -> str:
    """The current language's text of a bilingual pair: an object with ``da`` and ``en``
    attributes (a matcher ``Verdict``, a form error) or a ``{"da", "en"}`` mapping."""
    language = current_language()
    return pair[language] if isinstance(pair, Mapping) else getattr(pair, language)


def language_name(language: str) -> str:
    """A language's name in that language ("Dansk", "English"), from Babel's locale data."""
    return Locale.parse(language).get_display_name(language).capitalize()


def language_url(language: str) -> str:
    """This page in ``language``: the same path and query string with ``lang`` replaced (a
    searched-for text is sent by POST and never part of it)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return f"{quote(request.path)}?{urlencode(args, doseq=True)}"


def remember_choice(response):
    """Keep a ``?lang=`` choice in a cookie; pages depend on that cookie, so say so to caches."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=int(COOKIE_LIFETIME.total_seconds()),
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                            samesite="Lax")
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=choose_language, default_locale=DEFAULT_LANGUAGE,
          default_translation_directories=str(TRANSLATIONS))
    app.after_request(remember_choice)
    app.jinja_env.globals.update(current_language=current_language, localized=localized,
                                 language_name=language_name, language_url=language_url,
                                 languages=LANGUAGES)
