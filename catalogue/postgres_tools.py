"""PostgreSQL's own client programs (``pg_dump``, ``pg_restore``, ``psql``) for an engine:
the one of the right version, and how to point it at the engine's database without putting the
password on a command line."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, text

DEBIAN_BIN_DIRS = "/usr/lib/postgresql/*/bin"


class ToolMissing(Exception):
    """No client program fit for the server; Danish and English, printed without a traceback."""

    def __init__(self, name: str, major: int):
        self.da = (f"Programmet {name} til PostgreSQL {major} eller nyere findes ikke; installér "
                   f"postgresql-client-{major} (Debian) eller læg det i PATH.")
        self.en = (f"No {name} for PostgreSQL {major} or newer was found; install "
                   f"postgresql-client-{major} (Debian) or put it on the PATH.")
        super().__init__(f"{self.da} / {self.en}")


def server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _version(program: Path) -> int | None:
    """The major version a client program reports (``pg_dump (PostgreSQL) 15.4`` -> 15)."""
    try:
        answer = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                                timeout=30).stdout
    except OSError:
        return None
    found = re.search(r"\)\s+(\d+)", answer)
    return int(found.group(1)) if found else None


def find_tool(name: str, major: int) -> Path:
    """The oldest installed ``name`` at least as new as the server: pg_dump refuses a newer
    server, and a client of the server's own version writes the archive that server reads best."""
    candidates = [Path(p) for p in glob.glob(f"{DEBIAN_BIN_DIRS}/{name}")]
    if on_path := shutil.which(name):
        candidates.append(Path(on_path))
    versions = sorted((v, str(p)) for p in candidates if (v := _version(p)) is not None and v >= major)
    if not versions:
        raise ToolMissing(name, major)
    return Path(versions[0][1])


def connection_args(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the engine's database (no password in it) and the
    environment for a child program, carrying the password as ``PGPASSWORD`` if there is one."""
    _args, params = engine.dialect.create_connect_args(engine.url)
    password = params.pop("password", None)
    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if isinstance(v, (str, int))})
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return conninfo, env
