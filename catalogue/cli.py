"""The ``brobygger`` command: a root group gathering the commands each package owns.

Each module in ``COMMAND_MODULES`` holds a ``click.Group`` named ``commands`` with that
package's commands. The root imports those modules by name, in order, only until it finds the
command asked for (``--help`` imports them all), so the catalogue never imports ``webui`` or
``evaluation`` to run ``stats``, and no package imports another just to reach the command line.
A new package with commands adds one line here.
"""

from __future__ import annotations

from importlib import import_module

import click

from catalogue.db import DatabaseNotReady
from catalogue.logs import configure_logging
from catalogue.settings import load_settings

COMMAND_MODULES = (
    "catalogue.commands",     # init-db, stats, backup, restore
    "ingest.commands",        # import, export
    "matcher.commands",       # build-index, build-theme-vectors
    "evaluation.commands",    # evaluate, train, bench
    "webui.commands",         # serve, search, load-demo
    "webui.auth.commands",    # create-user, create-token, revoke-token
    "casework.commands",      # rotate-key, purge
)


def package_groups():
    """Each package's ``commands`` group, imported when first asked for."""
    for name in COMMAND_MODULES:
        yield import_module(name).commands


class Cli(click.Group):
    """Finds commands in the packages' groups; a database that ``init-db`` has not made ready
    stops any command with the Danish and English reason and exit code 1, without a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({name for group in package_groups() for name in group.list_commands(ctx)})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        for group in package_groups():
            command = group.get_command(ctx, name)
            if command is not None:
                return command
        return None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DatabaseNotReady as not_ready:
            click.echo(f"{not_ready.da} / {not_ready.en}", err=True)
            ctx.exit(1)


@click.group(cls=Cli)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Brobygger: find tilbud, foreninger og job der passer til borgerens drømme og mål."""
    configure_logging("WARNING")      # a command says what it did itself; logs are for problems
    ctx.obj = load_settings()


if __name__ == "__main__":
    main()
