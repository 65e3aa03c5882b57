"""Reading that the citizen is a relative (pårørende) from how they tell of someone close:
"hendes lillebror har et misbrug", "min dreng, der er syg i hovedet", "hustruen er i behandling
for kræft". A lexicon cannot list every relative with every condition; this rule combines them.
The word lists are data (``data/relatives.json``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from matcher.lexicon import needs_lexicon
from matcher.text import fold, words

NEED = "paaroerende"


@dataclass(frozen=True)
class RelativeRules:
    possessives: frozenset[str]         # "min", "hendes", "my"
    relatives: frozenset[str]           # "søn", "lillebror" after a possessive
    relatives_definite: frozenset[str]  # "hustruen", "sønnen" on their own
    conditions: frozenset[str]          # need codes that are conditions: misbrug, ...
    condition_words: frozenset[str]     # other words for one: "syg", "dement", "drikker"
    not_after: frozenset[str]           # "hos min mor" is where, not who
    stop_words: frozenset[str]          # the citizen's own "jeg" ends the relative's part
    harmless_drinks: frozenset[str]     # "drikker kaffe" is no condition
    window: int                         # words after the relative that may tell the condition


@lru_cache(maxsize=1)
def relative_rules() -> RelativeRules:
    data = json.loads(resources.files("matcher").joinpath("data/relatives.json").read_text("utf-8"))
    folded = {key: frozenset(fold(w) for w in values) for key, values in data.items()
              if isinstance(values, list) and key != "conditions"}
    return RelativeRules(conditions=frozenset(data["conditions"]), window=int(data["window"]), **folded)


def relatives_with_conditions(text: str, rules: RelativeRules | None = None) -> set[str]:
    """The words that tell of a relative with a condition, sentence by sentence (none if none)."""
    rules = rules or relative_rules()
    found: set[str] = set()
    for sentence in re.split(r"[.!?;:]+", text):
        found |= _in_sentence(words(sentence), rules)
    return found


def _in_sentence(tokens: list[str], rules: RelativeRules) -> set[str]:
    found = set()
    for i, token in enumerate(tokens):
        if token in rules.relatives_definite:
            start = i                                   # "hustruen"
        elif token in rules.relatives and i and tokens[i - 1] in rules.possessives:
            start = i - 1                               # "min søn"
        else:
            continue
        if start and tokens[start - 1] in rules.not_after:
            continue
        after = tokens[i + 1:i + 1 + rules.window]
        after = after[:next((k for k, w in enumerate(after) if w in rules.stop_words), len(after))]
        conditions = [w for k, w in enumerate(after) if w in rules.condition_words
                      and not (k + 1 < len(after) and after[k + 1] in rules.harmless_drinks)]
        conditions += [term for code, terms in needs_lexicon().detect(" ".join(after)).items()
                       if code in rules.conditions for term in terms]
        if conditions:
            found.add(f"{' '.join(tokens[start:i + 1])} … {min(conditions)}")
    return found
