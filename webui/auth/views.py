"""Log in, log out, and the staff member's own page (with its JSON twin)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext
from flask_login import current_user, login_user, logout_user

from webui.auth.web import auth_state, mark_login
from webui.auth.accounts import authenticate, end_sessions, utc_now
from webui.auth.forms import LoginForm, LogoutForm
from webui.runtime import runtime

bp = Blueprint("auth", __name__)

ROLE_LABELS = {"admin": lazy_gettext("Administrator"), "coordinator": lazy_gettext("Koordinator"),
               "guide": lazy_gettext("Vejleder")}


def safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//other.site`` or a full URL) is followed after login;
    a control character (a line break would start a new header: a 500) is never followed."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        return target
    return url_for("auth.account")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    failure = locked = None
    if form.validate_on_submit():
        state = auth_state()
        with state.limiter.limit(state.login_rate_limit):
            result = authenticate(runtime().sessions, form.email.data, form.password.data,
                                  state.clock(), state.policy)
        if result.user is not None:
            session.clear()                      # nothing from before the login carries over
            login_user(result.user)
            mark_login()
            session.permanent = True             # expires after the session lifetime
            return redirect(safe_next(request.args.get("next")))
        locked = result.locked_until
        failure = not locked
    status = 429 if locked else 200
    minutes = int(auth_state().policy.lockout.total_seconds() // 60)
    return render_template("auth/login.html", form=form, failure=failure, locked=locked,
                           lockout_minutes=minutes), status


@bp.post("/logout")
def logout():
    LogoutForm()              # the CSRF token was checked before the view ran
    end_sessions(runtime().sessions, current_user.id, utc_now())
    logout_user()
    session.clear()
    return redirect(url_for("catalogue.offers"))


@bp.get("/personale")
def account():
    return render_template("auth/account.html", user=current_user, role=ROLE_LABELS[current_user.role],
                           logout=LogoutForm())


@bp.get("/api/mig")
def account_json():
    return jsonify({"email": current_user.email, "role": current_user.role,
                    "team": current_user.team})
