"""``brobygger train --with-outcomes``: outcome rows become judged examples in the matcher's own
trait tokens; the rule switches only to a model that is not worse; on seeded outcome scenarios
the command keeps the current model when outcomes mislead and switches when they help, and
records either decision with both figures."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from evaluation.decision import Figures, verdict
from evaluation.outcomes import outcome_grade, outcome_samples
from ingest.jsonl import write_jsonl
from matcher.affinity import offer_tokens
from matcher.rank import LinearScorer
from tests.fixtures import small_catalogue

OFFERS = {offer.id: offer for offer in small_catalogue()}
CITIZEN = {"age": 25, "municipality": "Aarhus", "has_referral": False, "languages": ["da"]}
QUERIES = [  # (id, twin, text, relevant)
    ("q1", None, "jeg føler mig alene og vil gerne møde nogen",
     {"aarhus-ungefaellesskab": 3, "aalborg-strikkeklub": 1}),
    ("q2", "q1", "jeg føler mig allene og vil gerne møde nogen",
     {"aarhus-ungefaellesskab": 3, "aalborg-strikkeklub": 1}),
    ("q3", None, "jeg vil gerne i arbejde igen", {"odense-cafe-vaeksthuset": 3}),
    ("q4", None, "min mor er syg og jeg passer hende hver dag", {"sommerhoejskole-paaroerende": 3}),
    ("q5", None, "jeg har mistet min far og er meget ked af det", {"sorggruppe": 3}),
    ("q6", None, "jeg kan godt lide at strikke og hækle", {"aalborg-strikkeklub": 3}),
    ("q7", None, "jeg har det svært psykisk og har angst",
     {"aarhus-ungefaellesskab": 3, "aarhus-bostoette-85": 2}),
]
SUITS = {"ensomhed": "aarhus-ungefaellesskab", "psykisk_saarbarhed": "aarhus-ungefaellesskab",
         "paaroerende": "sommerhoejskole-paaroerende"}
MISFITS = {"ensomhed": "esbjerg-sprogcafe", "psykisk_saarbarhed": "odense-cafe-vaeksthuset",
           "paaroerende": "aalborg-strikkeklub"}


def outcome(offer_id: str, need: str, reached: bool, times: int) -> list[dict]:
    """``times`` rows as ``export-outcomes`` writes them: a step done, or not done."""
    offer = OFFERS[offer_id]
    row = {"example": "x", "source": "step", "offer_id": f"test:{offer_id}",
           "offer": {"kind": offer.kind, "target_groups": list(offer.target_groups),
                     "low_threshold": list(offer.low_threshold), "roles": list(offer.roles),
                     "categories": list(offer.categories),
                     "requires_referral": bool(offer.requires_referral)},
           "themes": {"form": "story", "needs": [need], "interests": [], "barriers": []},
           "result": "done" if reached else "not_done", "reached": reached}
    return [row] * times


def scenario(told_right: list[str], told_wrong: list[str], times: int) -> list[dict]:
    """Citizens with the needs ``told_right`` reached the offer that suits them and not a
    misfit; for ``told_wrong`` the other way round."""
    rows = []
    for need in told_right:
        rows += outcome(SUITS[need], need, True, times) + outcome(MISFITS[need], need, False, times)
    for need in told_wrong:
        rows += outcome(MISFITS[need], need, True, times) + outcome(SUITS[need], need, False, times)
    return rows


@pytest.mark.parametrize("row, grade", [
    ({"result": "done", "reached": True}, 3), ({"result": "ended", "reached": True}, 3),
    ({"result": "partly", "reached": True}, 2), ({"result": "checkin", "reached": True}, 2),
    ({"result": "accepted", "reached": True}, 1), ({"result": "declined", "reached": False}, 0),
    ({"result": "not_done", "reached": False}, 0), ({"result": None, "reached": None}, None)])
def test_grades_of_results(row, grade):
    assert outcome_grade(row) == grade


def test_outcome_rows_speak_the_matchers_trait_tokens():
    [(query, traits, grade)] = outcome_samples(outcome("aarhus-gaagruppe", "ensomhed", True, 1))
    assert traits == offer_tokens(OFFERS["aarhus-gaagruppe"], frozenset(), frozenset())
    assert query == {"form:story", "need:ensomhed"} and grade == 3
    gone = outcome("aarhus-gaagruppe", "ensomhed", True, 1)[0] | {"offer": {"kind": None}}
    assert outcome_samples([gone]) == []          # the offer no longer exists


@pytest.mark.parametrize("current, new, switch", [
    (Figures(0.70, 0), Figures(0.71, 0), True),
    (Figures(0.70, 0), Figures(0.70, 0), True),     # equal is not worse
    (Figures(0.70, 0), Figures(0.69, 0), False),
    (Figures(0.70, 1), Figures(0.75, 1), False),    # any eligibility violation keeps the current
    (Figures(0.70, 0), Figures(0.90, 2), False)])
def test_switch_only_to_a_model_that_is_not_worse(current, new, switch):
    ruling = verdict(current, new)
    assert ruling.switch is switch and ruling.da and ruling.en


def test_without_outcomes_there_is_nothing_to_switch_to():
    assert not verdict(Figures(0.70, 0), Figures(0.70, 0), outcomes=0).switch


def write_queries(path: Path) -> None:
    path.write_text("\n".join(json.dumps(
        {"id": i, "twin": twin, "text": text, "citizen": CITIZEN, "relevant": relevant,
         "must_exclude": []}, ensure_ascii=False) for i, twin, text, relevant in QUERIES), "utf-8")


@pytest.fixture
def files(tmp_path):
    write_jsonl(small_catalogue(), tmp_path / "offers.jsonl")
    write_queries(tmp_path / "queries.jsonl")
    return tmp_path


def train_with(files, rows: list[dict]) -> tuple[dict, str]:
    """Run the command on ``rows``; the decision record it wrote, and what it printed."""
    path = files / "outcomes.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = CliRunner().invoke(main, [
        "train", "--catalogue", str(files / "offers.jsonl"), "--queries", str(files / "queries.jsonl"),
        "--today", "2026-11-23", "--folds", "3", "--outcomes", str(path)],
        env={"BROBYGGER_INSTANCE_DIR": str(files / "instance")})
    assert result.exit_code == 0, result.output
    [record] = sorted((files / "instance" / "ranker-decisions").glob("*.json"))
    decision = json.loads(record.read_text("utf-8"))
    record.unlink()
    return decision, result.output


def follows_the_figures(decision: dict) -> bool:
    """The recorded verdict is the rule applied to the recorded figures."""
    current, new = decision["current"], decision["new"]
    not_worse = new["ndcg@10"] >= current["ndcg@10"] and new["violations"] == 0 \
        and decision["outcome_samples"] > 0
    return decision["decision"] == ("switched" if not_worse else "kept")


def test_misleading_outcomes_keep_the_current_model(files):
    decision, printed = train_with(files, scenario(["paaroerende"],
                                                   ["ensomhed", "psykisk_saarbarhed"], 20))
    assert follows_the_figures(decision)
    assert decision["new"]["ndcg@10"] < decision["current"]["ndcg@10"]
    assert decision["decision"] == "kept" and "model_written" not in decision
    assert not (files / "instance" / "ranker.json").exists()
    assert decision["outcome_rows"] == 120 and decision["current"]["recipe"] == "learned"
    assert sorted(sum(decision["split"]["test_queries"], [])) == [q[0] for q in QUERIES]
    assert decision["split"]["folds"] == 3
    assert "den nuværende model beholdt / kept" in printed
    assert f"{decision['current']['ndcg@10']:.4f}" in printed and f"{decision['new']['ndcg@10']:.4f}" in printed


def test_helpful_outcomes_switch_and_the_matcher_loads_the_new_model(files):
    decision, printed = train_with(files, scenario(list(SUITS), [], 5))
    assert follows_the_figures(decision)
    assert decision["new"]["ndcg@10"] >= decision["current"]["ndcg@10"]
    assert decision["decision"] == "switched" and "skiftet til den nye model" in printed
    model = LinearScorer.from_json(files / "instance" / "ranker.json")
    assert model.trained_on["outcome_rows"] == 30 and model.trained_on["decision"] == decision["date"]
    assert model.affinity.judged == model.trained_on["rows"] + 30     # the outcomes beside the queries

    # the next run compares against the model it switched to, with the same split
    again, _ = train_with(files, scenario(list(SUITS), [], 5))
    assert again["split"] == decision["split"] and follows_the_figures(again)


def test_a_broken_outcome_file_names_its_line(files):
    path = files / "outcomes.jsonl"
    path.write_text(json.dumps(outcome("sorggruppe", "ensomhed", True, 1)[0]) + "\n{not json\n", "utf-8")
    result = CliRunner().invoke(main, [
        "train", "--catalogue", str(files / "offers.jsonl"), "--queries", str(files / "queries.jsonl"),
        "--outcomes", str(path)], env={"BROBYGGER_INSTANCE_DIR": str(files / "instance")})
    assert result.exit_code == 1
    assert "linje / line 2" in result.output and "ikke gyldig JSON" in result.output
    assert not (files / "instance" / "ranker-decisions").exists()


def test_no_outcomes_keep_the_model_and_say_why(files):
    decision, printed = train_with(files, [])
    assert decision["decision"] == "kept" and decision["outcome_rows"] == 0
    assert "ingen udfald at lære af / no outcomes to learn from" in printed


def test_without_a_database_the_command_says_how_to_make_one(files):
    result = CliRunner().invoke(main, [
        "train", "--with-outcomes", "--catalogue", str(files / "offers.jsonl"),
        "--queries", str(files / "queries.jsonl")],
        env={"BROBYGGER_INSTANCE_DIR": str(files / "instance"), "BROBYGGER_DATABASE_URL": ""})
    assert result.exit_code == 1 and "brobygger init-db" in result.output
    assert "Indekserer" not in result.output          # stopped before any work
