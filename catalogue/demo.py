"""The bundled demo catalogue: fictional Danish offers in Aarhus, Odense, Aalborg and Esbjerg."""

from importlib import resources
from pathlib import Path


def demo_catalogue_path() -> Path:
    return Path(str(resources.files("catalogue") / "data" / "demo_catalogue.jsonl"))
