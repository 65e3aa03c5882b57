"""The staff forms (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[
        DataRequired(lazy_gettext("Skriv din e-mailadresse")), Length(max=320)])
    password = PasswordField(lazy_gettext("Adgangskode"), validators=[
        DataRequired(lazy_gettext("Skriv din adgangskode")), Length(max=1000)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so that no other site can do it for you."""
