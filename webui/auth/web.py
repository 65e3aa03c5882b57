"""Staff log-in: Flask-Login sessions for the pages, bearer tokens for the API, Flask-WTF CSRF
on every form, Flask-Limiter on the login form and a lockout kept in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from catalogue.settings import Settings
from webui.auth.accounts import LockoutPolicy, load_user, user_for_token, utc_now
from webui.runtime import runtime

SESSION_COOKIE = "__Host-brobygger"   # __Host-: only over HTTPS, only for this host, path /
DEMO_SESSION_COOKIE = "brobygger-demo"


@dataclass
class AuthState:
    """The app's log-in machinery (``app.extensions["brobygger_auth"]``); tests replace ``clock``."""

    policy: LockoutPolicy
    limiter: Limiter
    csrf: CSRFProtect
    login_rate_limit: str
    clock: Callable[[], datetime] = field(default=utc_now)


def auth_state() -> AuthState:
    return current_app.extensions["brobygger_auth"]


def is_api_request() -> bool:
    """The API authenticates by bearer token only, so it needs no CSRF token; pages by cookie."""
    return request.path.startswith("/api/")


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _configure(app: Flask, settings: Settings) -> None:
    # Only the demo (plain http://127.0.0.1, where some browsers drop Secure cookies) goes
    # without the Secure flag and the __Host- prefix; everywhere else the cookie is HTTPS-only.
    secure = not settings.demo
    app.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE if secure else DEMO_SESSION_COOKIE,
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_minutes),
        REMEMBER_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,                 # checked in ``check_csrf`` below
        WTF_CSRF_TIME_LIMIT=settings.session_minutes * 60,
        # The search page sends no Referer (Referrer-Policy: no-referrer), so the token and
        # SameSite cookies guard the forms, not a Referer check.
        WTF_CSRF_SSL_STRICT=False,
    )


def init_app(app: Flask, settings: Settings) -> None:
    _configure(app, settings)
    login = LoginManager(app)
    login.session_protection = "basic"

    @login.user_loader
    def _from_session(account_id: str):
        return None if is_api_request() else load_user(runtime().sessions, account_id,
                                                       logged_in_at())

    @login.request_loader
    def _from_bearer(_request):
        token = bearer_token() if is_api_request() else None
        return user_for_token(runtime().sessions, token) if token else None

    csrf = CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri=settings.rate_limit_storage,
                      key_prefix="brobygger")
    app.extensions["brobygger_auth"] = AuthState(
        LockoutPolicy(settings.login_max_failures, timedelta(minutes=settings.lockout_minutes)),
        limiter, csrf, settings.login_rate_limit)


LOGGED_IN_AT = "logged_in_at"


def mark_login() -> None:
    """Stamp the new session with its login time (a later logout ends it, wherever copied)."""
    session[LOGGED_IN_AT] = utc_now().isoformat()


def logged_in_at() -> datetime | None:
    try:
        return datetime.fromisoformat(session.get(LOGGED_IN_AT) or "")
    except (TypeError, ValueError):
        return None


def check_csrf() -> None:
    """Every form POST outside the API must carry the session's CSRF token (400 otherwise)."""
    if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and not is_api_request():
        auth_state().csrf.protect()
