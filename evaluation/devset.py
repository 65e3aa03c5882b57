"""The bundled development query set over the demo catalogue."""

from datetime import date
from importlib import resources
from pathlib import Path

# The dev set's labels (expired offers, age limits) are written against this "today".
DEV_SET_TODAY = date(2026, 11, 23)


def dev_queries_path() -> Path:
    return Path(str(resources.files("evaluation") / "data" / "dev_queries.jsonl"))
