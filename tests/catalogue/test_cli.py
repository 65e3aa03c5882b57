"""The ``brobygger`` root group gathers each package's commands, importing a package only
when one of its commands is asked for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from catalogue.cli import COMMAND_MODULES, main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"init-db", "stats", "import", "export", "build-index", "build-theme-vectors",
            "evaluate", "train", "bench", "serve", "search", "load-demo", "create-user",
            "create-token", "revoke-token", "rotate-key", "purge", "send-mail",
            "request-confirmations", "export-outcomes", "check-listings", "loadtest",
            "backup", "restore"}


def test_help_lists_every_packages_commands_once():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines()
              if line.strip()}
    assert listed == COMMANDS
    names = [name for module in COMMAND_MODULES
             for name in __import__(module, fromlist=["commands"]).commands.commands]
    assert len(names) == len(set(names))                 # no command in two packages


def test_a_catalogue_command_imports_neither_webui_nor_evaluation(tmp_path):
    """(``init-db`` does import the staff tables' module: the migrations' metadata.)"""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "BROBYGGER_INSTANCE_DIR": str(tmp_path)}
    assert CliRunner().invoke(main, ["init-db"], env=env).exit_code == 0
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from catalogue.cli import main\n"
        "result = CliRunner().invoke(main, ['stats', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'webui', 'evaluation', 'flask'}))\n")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_packages_below_the_web_layer_never_import_webui_or_evaluation():
    for package in ("catalogue", "ingest", "matcher"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                assert not any(n.split(".")[0] in ("webui", "evaluation") for n in names), path
