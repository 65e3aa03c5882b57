"""The staff forms (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[
        DataRequired("Skriv din e-mailadresse / Write your e-mail address"), Length(max=320)])
    password = PasswordField("Adgangskode", validators=[
        DataRequired("Skriv din adgangskode / Write your password"), Length(max=1000)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so that no other site can do it for you."""
