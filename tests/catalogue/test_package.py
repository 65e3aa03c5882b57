"""Our ``catalogue`` package, not the PyPI package of the same name, is the one imported."""

from pathlib import Path

import catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_is_ours():
    assert getattr(catalogue, "IS_BROBYGGER_CATALOGUE", False)
    assert Path(catalogue.__file__).resolve().parent == ROOT / "catalogue"


def test_console_script_imports_ours():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import catalogue; print(catalogue.__file__)"],
                         capture_output=True, text=True, check=True, cwd="/")
    assert Path(out.stdout.strip()).resolve().parent == ROOT / "catalogue"
