"""``brobygger bench --guide``: the invented conversation is a valid one at every stage, and one
short run times the suggestions and writes its report."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from casework.rules import citizen_input, conversation_input
from catalogue.settings import Settings
from evaluation import guidebench


def test_every_stage_is_a_conversation_a_guide_could_save():
    script = json.loads(guidebench.CONVERSATION.read_text(encoding="utf-8"))
    citizen_input(script["citizen"], datetime.now(timezone.utc))
    stages = [conversation_input(stage) for stage in script["stages"]]
    assert len(stages) >= 5 and stages[-1].network
    assert all(len(a.dreams or "") <= len(b.dreams or "") for a, b in zip(stages, stages[1:]))


@pytest.mark.slow
def test_one_short_run_writes_the_report(tmp_path, monkeypatch):
    script = json.loads(guidebench.CONVERSATION.read_text(encoding="utf-8"))
    short = tmp_path / "conversation.json"
    short.write_text(json.dumps({**script, "stages": script["stages"][-2:]}), encoding="utf-8")
    monkeypatch.setattr(guidebench, "CONVERSATION", short)
    report = guidebench.run_guide_bench(Settings(instance_dir=tmp_path / "unused"), rounds=1)
    assert report["suggestions"]["requests"] == 2 and report["suggestions"]["p50_ms"] > 0
    assert report["network_hints_shown"] > 0        # the sister could go along somewhere
    json_path, md_path = guidebench.write_guide_bench(report, tmp_path / "out", note="Test")
    assert json.loads(json_path.read_text())["note"] == "Test"
    assert "| suggestions |" in md_path.read_text()
