"""Whether ``brobygger train --with-outcomes`` switches the ranker: the rule (pure), and the
decision record it leaves in the instance folder (both figures, the split, the outcome rows)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DECISIONS_FOLDER = "ranker-decisions"


@dataclass(frozen=True)
class Figures:
    """What the rule reads from a held-out report."""

    ndcg: float        # nDCG@10 over the held-out queries
    violations: int    # held-out queries with an offer they must exclude in the top 10

    @classmethod
    def of(cls, report: dict) -> "Figures":
        return cls(report["ndcg@10"], sum(1 for q in report["per_query"] if q["violations"]))


@dataclass(frozen=True)
class Verdict:
    switch: bool
    da: str
    en: str

    @property
    def word(self) -> str:
        return "switched" if self.switch else "kept"


def verdict(current: Figures, new: Figures, outcomes: int = 1) -> Verdict:
    """Switch only to a model that learned from some outcome and is not worse: no eligibility
    violation, and an nDCG@10 at least the current one's (equal counts as not worse)."""
    if not outcomes:
        return Verdict(False, "ingen udfald at lære af", "no outcomes to learn from")
    if new.violations:
        return Verdict(False, f"den nye model viser udelukkede tilbud i {new.violations} forespørgsler",
                       f"the new model shows excluded offers for {new.violations} queries")
    if new.ndcg < current.ndcg and not math.isclose(new.ndcg, current.ndcg, abs_tol=1e-9):
        return Verdict(False, f"nDCG@10 ville falde fra {current.ndcg:.4f} til {new.ndcg:.4f}",
                       f"nDCG@10 would drop from {current.ndcg:.4f} to {new.ndcg:.4f}")
    return Verdict(True, f"nDCG@10 {new.ndcg:.4f} mod {current.ndcg:.4f} og ingen overtrædelser",
                   f"nDCG@10 {new.ndcg:.4f} against {current.ndcg:.4f} and no violations")


def _figures(report: dict, recipe: str) -> dict:
    return {"recipe": recipe, "ndcg@10": report["ndcg@10"], "recall@10": report["recall@10"],
            "mrr": report["mrr"], "violations": Figures.of(report).violations,
            "n_queries": report["n_queries"]}


def decision_record(comparison: dict, current_model: dict, outcome_rows: int, samples: int,
                    folds: int, now: datetime) -> dict:
    """The record of one decision: the figures of both models on one split, and the verdict."""
    ruling = verdict(Figures.of(comparison["current"]), Figures.of(comparison["new"]), samples)
    return {
        "date": now.isoformat(timespec="seconds"), "decision": ruling.word,
        "reason": {"da": ruling.da, "en": ruling.en},
        "current": {**current_model, **_figures(comparison["current"], current_model["recipe"])},
        "new": _figures(comparison["new"], "learned + outcomes"),
        "split": {"folds": folds, "kind": "canonical (GroupKFold over query families)",
                  "test_queries": comparison["split"]},
        "outcome_rows": outcome_rows, "outcome_samples": samples,
    }


def write_decision(record: dict, instance_dir: Path) -> Path:
    """Keep the record as JSON in the instance folder, one file per decision."""
    folder = instance_dir / DECISIONS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = record["date"].replace(":", "").replace("-", "")[:15]
    path = folder / f"{stamp}-{record['decision']}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def format_decision(record: dict) -> str:
    """The record as the command prints it, Danish first."""
    word = {"switched": "skiftet til den nye model", "kept": "den nuværende model beholdt"}
    lines = [f"Beslutning / decision: {word[record['decision']]} / {record['decision']}",
             f"  {record['reason']['da']} / {record['reason']['en']}",
             f"  udfald / outcome rows: {record['outcome_rows']} "
             f"(brugt / used: {record['outcome_samples']}), "
             f"{record['split']['folds']} fold, {record['current']['n_queries']} forespørgsler / queries",
             f"  {'':<10}{'nDCG@10':>9}{'recall@10':>11}{'MRR':>7}{'viol.':>7}"]
    for name in ("current", "new"):
        f = record[name]
        lines.append(f"  {name:<10}{f['ndcg@10']:>9.4f}{f['recall@10']:>11.4f}{f['mrr']:>7.4f}"
                     f"{f['violations']:>7}  ({f['recipe']})")
    return "\n".join(lines)
