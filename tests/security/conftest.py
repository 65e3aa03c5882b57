"""The payload report: how many payloads each surface was sent, written to the file named by
``BROBYGGER_PAYLOAD_REPORT`` (``make payloads`` writes docs/payloads.json)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

REPORT = os.environ.get("BROBYGGER_PAYLOAD_REPORT")
EVERYTHING = os.environ.get("BROBYGGER_PAYLOADS") == "all"   # every payload in every field


@pytest.fixture(scope="session")
def payload_report():
    """A counter of payloads sent, by surface (``forms``, ``api``, ``imports``, ...)."""
    tried: Counter = Counter()
    yield tried
    if REPORT and tried:
        from tests.security.payloads import by_category, load

        lists = {name: len(group) for name, group in by_category(load()).items()}
        Path(REPORT).write_text(json.dumps({
            "every_payload_in_every_field": EVERYTHING, "payload_lists": lists,
            "forms_found": tried.pop("forms_found", 0),
            "payloads_tried": dict(sorted(tried.items())), "total": sum(tried.values())},
            indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
