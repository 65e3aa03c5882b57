"""``brobygger create-user``, ``create-token`` and ``revoke-token``: thin wrappers over
``webui.auth.accounts``, Danish first (gathered by ``catalogue.cli``)."""

from __future__ import annotations

import json
import sys
from importlib import resources

import click

from catalogue.console import sessions_for
from catalogue.settings import Settings
from webui.auth.accounts import (AccountError, create_token, create_user, generate_password,
                                 revoke_token, revoke_tokens_of, set_password, utc_now)
from webui.auth.models import ROLES

commands = click.Group()


def _fail(error: AccountError):
    click.echo(f"{error.da} / {error.en}", err=True)
    sys.exit(1)


@commands.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", default=None, help="Vejlederens team (kommunens indgang).")
@click.option("--password-stdin", is_flag=True,
              help="Læs adgangskoden fra standard input; ellers dannes en og vises én gang.")
@click.pass_obj
def create_user_command(settings: Settings, email: str, role: str, team: str | None,
                        password_stdin: bool) -> None:
    """Opret en personalekonto / create a staff account."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        user, password_used = create_user(sessions_for(settings), email, role, team, password)
    except AccountError as error:
        _fail(error)
    click.echo(f"Konto oprettet / account created: {user.email} ({user.role}"
               f"{', team ' + user.team if user.team else ''})")
    if not password_stdin:
        click.echo(f"Adgangskode (vises kun nu) / password (shown only now): {password_used}")


@commands.command("create-token")
@click.argument("email")
@click.pass_obj
def create_token_command(settings: Settings, email: str) -> None:
    """Lav et nyt API-token; det vises kun nu / print a new API token, shown only now."""
    try:
        click.echo(create_token(sessions_for(settings), email))
    except AccountError as error:
        _fail(error)


@commands.command("revoke-token")
@click.argument("token", required=False)
@click.option("--email", default=None, help="Afslut alle denne kontos tokens.")
@click.pass_obj
def revoke_token_command(settings: Settings, token: str | None, email: str | None) -> None:
    """Afslut et API-token (fra argumentet eller standard input) / end an API token."""
    sessions = sessions_for(settings)
    if email:
        try:
            count = revoke_tokens_of(sessions, email, utc_now())
        except AccountError as error:
            _fail(error)
        click.echo(f"{count} token(s) afsluttet / revoked")
        return
    token = token or sys.stdin.readline().strip()
    if not token or not revoke_token(sessions, token, utc_now()):
        click.echo("Ukendt eller allerede afsluttet token / unknown or already revoked token",
                   err=True)
        sys.exit(1)
    click.echo("Token afsluttet / token revoked")


def demo_accounts(settings: Settings) -> list[tuple[str, str, str]]:
    """Create (or give new passwords to) the demo logins; only ever called in the demo."""
    sessions = sessions_for(settings)
    path = resources.files("webui") / "data" / "demo_accounts.json"
    logins = []
    for spec in json.loads(path.read_text(encoding="utf-8")):
        try:
            _, password = create_user(sessions, spec["email"], spec["role"], spec["team"])
        except AccountError:           # already there: a fresh password, shown again
            password = generate_password()
            set_password(sessions, spec["email"], password)
        logins.append((spec["email"], spec["role"], password))
    return logins

