"""``brobygger rotate-key``, ``purge``, ``send-mail``, ``request-confirmations`` and
``export-outcomes``: thin click
commands over ``casework`` (listed in ``catalogue.cli.COMMAND_MODULES``)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from catalogue.db import open_database, session_factory
from catalogue.settings import Settings
from casework.confirmations import request_confirmations
from casework.crypto import KeyProblem, Vault
from casework.desk import Actor, Desk, utc_now
from casework.outbox import deliver
from casework.rights import purge
from casework.rotation import rotate_key
from casework.training import training_rows


def _fail(problem: KeyProblem):
    click.echo(f"{problem.da} / {problem.en}", err=True)
    sys.exit(1)


commands = click.Group()


@commands.command("rotate-key")
@click.pass_obj
def rotate_key_command(settings: Settings) -> None:
    """Krypter alle borgerdata med en ny nøgle / re-encrypt all citizen data under a new key.

    Med en nøglefil dannes den nye nøgle her; med BROBYGGER_CASEWORK_KEY sættes den nye nøgle
    først i listen inden kørslen. Genstart serveren bagefter."""
    sessions = session_factory(open_database(settings))
    try:
        count = rotate_key(settings, sessions)
    except KeyProblem as problem:
        _fail(problem)
    click.echo(f"{count} felter krypteret med den nye nøgle / {count} fields re-encrypted "
               "under the new key. Genstart serveren / restart the server.")


@commands.command("purge")
@click.pass_obj
def purge_command(settings: Settings) -> None:
    """Slet borgere, hvis forløb sluttede for mere end BROBYGGER_RETENTION_DAYS dage siden /
    erase citizens whose course ended longer ago than the retention period."""
    sessions = session_factory(open_database(settings))
    try:
        desk = Desk(sessions, Vault.from_settings(settings), Actor("brobygger purge"),
                    link_days=settings.link_days, retention_days=settings.retention_days)
    except KeyProblem as problem:
        _fail(problem)
    count = purge(desk)
    click.echo(f"{count} borgere slettet (opbevaringstid {settings.retention_days} dage) / "
               f"{count} citizens erased (retention {settings.retention_days} days)")


@commands.command("send-mail")
@click.pass_obj
def send_mail_command(settings: Settings) -> None:
    """Send ventende beskeder i udbakken over SMTP (BROBYGGER_SMTP_HOST/PORT) / deliver the
    outbox's pending messages over SMTP; each is marked sent and its body blanked."""
    sessions = session_factory(open_database(settings))
    try:
        vault = Vault.from_settings(settings)
    except KeyProblem as problem:
        _fail(problem)
    done = deliver(sessions, vault, settings.smtp_host, settings.smtp_port, settings.mail_from,
                   utc_now())
    click.echo(f"{done.sent} sendt, {done.failed} fejlede / {done.sent} sent, {done.failed} "
               f"failed ({settings.smtp_host}:{settings.smtp_port})")
    if done.failed:
        sys.exit(1)


@commands.command("request-confirmations")
@click.pass_obj
def request_confirmations_command(settings: Settings) -> None:
    """Skriv en bekræftelsesanmodning i udbakken til hver udbyder med tilbud, ingen har
    bekræftet i BROBYGGER_STALE_AFTER_DAYS dage / write a confirmation request (a token link
    per listing) to each provider contact whose listings were not confirmed for a year; a
    listing with an open link is left out, so a rerun writes no duplicates."""
    sessions = session_factory(open_database(settings))
    try:
        vault = Vault.from_settings(settings)
    except KeyProblem as problem:
        _fail(problem)
    done = request_confirmations(sessions, vault, utc_now(), date.today(),
                                 settings.stale_after_days, settings.link_days,
                                 settings.public_url or Desk.public_url)
    click.echo(f"{done.messages} beskeder med {done.listings} links i udbakken (send dem med "
               f"brobygger send-mail) / {done.messages} messages with {done.listings} links in "
               "the outbox (deliver them with brobygger send-mail)")


@commands.command("export-outcomes")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_outcomes_command(settings: Settings, output: Path) -> None:
    """Skriv udfald som pseudonymiserede træningsrækker (JSON Lines) / write outcomes as
    pseudonymised training rows: offer traits, themes as codes, result; no names, no free text."""
    sessions = session_factory(open_database(settings))
    try:
        desk = Desk(sessions, Vault.from_settings(settings), Actor("brobygger export-outcomes"))
    except KeyProblem as problem:
        _fail(problem)
    rows = training_rows(desk)
    output.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                      encoding="utf-8")
    click.echo(f"{len(rows)} rækker skrevet til {output} / {len(rows)} rows written")

