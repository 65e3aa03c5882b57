"""``brobygger loadtest``: a short real run against ``serve`` on PostgreSQL, and the checks
that decide whether a change was lost or a target missed."""

from __future__ import annotations

from catalogue.settings import load_settings
from evaluation.loadtest import (LoadShape, lost_edits, lost_steps, markdown, run_load_test,
                                 verdicts, write_load_report)


def test_an_edit_missing_from_the_final_text_is_lost():
    accepted = [{"offer": "a", "marker": "[L1]"}, {"offer": "a", "marker": "[L2]"},
                {"offer": "b", "marker": "[L3]"}]
    final = {"a": "Kom og vær med [L1]", "b": "Gåtur [L3]"}
    assert lost_edits(accepted, final) == [{"offer": "a", "marker": "[L2]"}]
    assert lost_edits(accepted, {**final, "a": "Kom og vær med [L1] [L2]"}) == []


def test_a_step_missing_from_the_plan_is_lost():
    accepted = [{"citizen": "c1", "step": "s1"}, {"citizen": "c1", "step": "s2"}]
    assert lost_steps(accepted, {"c1": {"s1"}}) == [{"citizen": "c1", "step": "s2"}]
    assert lost_steps(accepted, {"c1": {"s1", "s2", "s3"}}) == []


def test_targets_fail_on_one_error_a_lost_change_or_slow_searches():
    fast = {"all": {"failures": 0}, "search": {"p95_ms": 120.0}, "search api": {"p95_ms": 90.0}}
    assert all(verdicts(fast, 0).values())
    assert not verdicts({**fast, "all": {"failures": 1}}, 0)["errors"]
    assert not verdicts(fast, 1)["lost_changes"]
    assert not verdicts({**fast, "search api": {"p95_ms": 301.0}}, 0)["search_p95_ms"]


def test_a_short_run_serves_every_kind_of_visitor_and_loses_nothing(postgres_server, tmp_path):
    report = run_load_test(load_settings({}), LoadShape(users=8, seconds=12, workers=2),
                           postgres_server.new_database())
    kinds = report["kinds"]
    assert kinds["all"]["requests"] > 20
    assert kinds["search"]["requests"] and kinds["search api"]["requests"]
    assert kinds["live suggestions"]["requests"] and report["accepted"]["conversations"]
    assert report["failures"] == [] and kinds["all"]["failures"] == 0
    assert report["lost_changes"] == 0
    json_path, md_path = write_load_report(report, tmp_path)
    assert json_path.exists() and "| search |" in md_path.read_text() == markdown(report)
