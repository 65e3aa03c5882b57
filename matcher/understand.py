"""Understanding the citizen's text: spelling repair, needs, interests and wished-for roles.

An intake note is read as a whole, clause by clause: what the citizen dreams of weighs most,
what they did before and what they fear are not interests (``clause_stance``), and a language
they say they speak is a fact for the language rule, never a target group (``spoken_languages``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from matcher.lexicon import interests_lexicon, is_search, needs_lexicon
from matcher.relatives import NEED as RELATIVE_NEED, relatives_with_conditions
from matcher.text import RAW_WORD, fold, lower_words, stopwords
from matcher.wordlist import danish_dictionary, danish_frequency, is_common_word, is_real_word

MIN_REPAIR_LENGTH = 4
REPAIR_CUTOFF = 80.0
REMEMBERED_REPAIRS = 100_000   # words whose repair a catalogue's speller remembers
DANISH_LETTERS = re.compile("[æøå]")
NAME_MATCH = 90.0      # how closely a text must spell an offer's name to name it
ROLE_OF_INTEREST = {"work_job": "job", "helping_others": "frivillig"}
STANCE_WEIGHTS = {"wish": 2.0, "plain": 1.0, "past": 0.0, "fear": 0.0}   # of a clause's interests
SAID_IN = {"jeg": "da", "i": "en"}   # the language a citizen writes "I speak ..." in
CLAUSE_BREAK = re.compile(r"(?<=[.!?;:])\s+|\n+|,?\s+(?:men|but)\s+|,\s*", re.IGNORECASE)


@dataclass(frozen=True)
class AgeGroup:
    """A need that belongs to an age: ruled out outside ``fits``, implied inside ``implied``
    (being old makes senior clubs fit; being young does not make youth counselling fit)."""

    fits: tuple[int, int]
    implied: tuple[int, int] | None = None


AGE_GROUPS = {"unge": AgeGroup(fits=(0, 34)),
              "aeldre": AgeGroup(fits=(60, 200), implied=(67, 200))}


@dataclass(frozen=True)
class Understanding:
    """What the matcher read out of the text, kept for explanations."""

    text: str
    repaired_text: str      # folded words as the catalogue spells them (for lexical signals)
    dense_text: str         # the text with repairs in the catalogue's own spelling, æøå kept
    corrections: dict[str, str] = field(default_factory=dict)
    needs: dict[str, set[str]] = field(default_factory=dict)
    interests: dict[str, set[str]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    barriers: tuple[str, ...] = ()   # read from the text or given as codes (matcher.barriers)
    interest_weights: dict[str, float] = field(default_factory=dict)   # wishes count most
    semantic_needs: dict[str, float] = field(default_factory=dict)
    semantic_interests: dict[str, float] = field(default_factory=dict)


def plain_letters(word: str) -> str:
    """``word`` as typed on a keyboard without æøå ("værested" -> "varested")."""
    return word.translate(str.maketrans("æøå", "aoa"))


class SpellingRepair:
    """Replace misspelt words by the closest word the catalogue uses (rapidfuzz); real Danish
    or English words the catalogue happens not to use are left alone."""

    def __init__(self, surface: dict[str, str]):
        self.known = set(surface)
        self.surface = surface
        self._choices = sorted(w for w in surface if len(w) >= MIN_REPAIR_LENGTH)
        self._plain: dict[str, str] = {}   # "varested" -> "vaerested", the commonest word first
        with_letters = [(f, w) for f, w in surface.items() if DANISH_LETTERS.search(w)]
        for folded, written in sorted(with_letters, key=lambda fw: -danish_frequency(fw[1])):
            self._plain.setdefault(plain_letters(written), folded)
        # the same words come back in search after search, and each unknown one is compared
        # with every catalogue word
        self._repair_of = lru_cache(maxsize=REMEMBERED_REPAIRS)(self._closest)
        danish_dictionary()   # load the dictionary now, not during the first search

    def _without_danish_letters(self, raw: str) -> str | None:
        """The catalogue word ``raw`` would be on a keyboard without æøå, when that word is
        more common than ``raw`` itself ("gald" -> "gæld", but "sol" stays "sol")."""
        folded = self._plain.get(raw)
        if folded is None or danish_frequency(self.surface[folded]) <= danish_frequency(raw):
            return None
        return folded

    def _closest(self, raw: str, plain_keyboard: bool) -> str | None:
        """The catalogue's word for ``raw`` when it looks misspelt, else None."""
        word = fold(raw)
        if len(word) < MIN_REPAIR_LENGTH or word in stopwords():
            return None
        if plain_keyboard and (folded := self._without_danish_letters(raw)):
            return folded   # "kokken" is a word, but "køkken" is the likelier one
        if word in self.known or is_common_word(raw):
            return None
        close = process.extract(word, self._choices, scorer=fuzz.ratio,
                                score_cutoff=REPAIR_CUTOFF, limit=25)
        if not close or is_real_word(raw):   # the dictionary only when there is a rival word
            return None
        # fewest typing slips first (a swap of two letters is one: "tenge" is "tegne", not
        # "teenage"), then the word that starts alike ("tegne", not "penge")
        return max(close, key=lambda c: (-OSA.distance(word, c[0]), c[1],
                                         JaroWinkler.normalized_similarity(word, c[0])))[0]

    def repair(self, text: str) -> tuple[str, str, dict[str, str]]:
        """The text as the catalogue would spell it (folded, and as written with æøå), and
        what was changed."""
        corrections: dict[str, str] = {}
        raw_words = lower_words(text)
        plain_keyboard = not DANISH_LETTERS.search(text.lower())
        out: list[str] = []
        i = 0
        while i < len(raw_words):
            word = fold(raw_words[i])
            joined = word + fold(raw_words[i + 1]) if i + 1 < len(raw_words) else ""
            if joined in self.known and word not in stopwords():   # "fælles spisning"
                corrections[f"{word} {fold(raw_words[i + 1])}"] = joined
                out.append(joined)
                i += 2
                continue
            closest = self._repair_of(raw_words[i], plain_keyboard)
            if closest is not None:
                corrections[word] = closest
            out.append(closest or word)
            i += 1
        return " ".join(out), self._dense_text(text, corrections), corrections

    def _dense_text(self, text: str, corrections: dict[str, str]) -> str:
        """Replace repaired words in place, in the catalogue's spelling ("gaeldsraadgivning"
        and "gælsrådgivning" both become "gældsrådgivning"); everything else stays as typed."""
        def replace(match) -> str:
            typed = match.group(0).lower()
            word = fold(typed)
            if word in corrections:
                return self.surface.get(corrections[word], match.group(0))
            surface = self.surface.get(word)
            if surface is None or surface == typed or is_common_word(typed):
                return match.group(0)
            return surface

        for pair, joined in corrections.items():
            if " " in pair:
                first, second = pair.split(" ")
                text = _join_pair(text, first, second, self.surface.get(joined, joined))
        return RAW_WORD.sub(replace, text)


def _join_pair(text: str, first: str, second: str, joined: str) -> str:
    """Write a split compound ("fælles spisning") as one word in ``text``."""
    def replace(match) -> str:
        words = match.group(0).split()
        return joined if [fold(w) for w in words] == [first, second] else match.group(0)

    return re.sub(r"[^\W_]+\s+[^\W_]+", replace, text)


@lru_cache(maxsize=1)
def wish_words() -> tuple[str, ...]:
    text = resources.files("matcher").joinpath("data/wish_words.txt").read_text("utf-8")
    return tuple(fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _whole_words(markers: Sequence[str]) -> re.Pattern[str]:
    """Any of ``markers`` (folded) as whole words: one pass over a clause instead of one each."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in markers) + r")\b")


@lru_cache(maxsize=1)
def _wish_pattern() -> re.Pattern[str]:
    return _whole_words(wish_words())


@lru_cache(maxsize=1)
def _stance_patterns() -> dict[str, re.Pattern[str]]:
    """Marker words of fears and of the past (``data/stances.json``) as whole-word patterns."""
    data = json.loads(resources.files("matcher").joinpath("data/stances.json").read_text("utf-8"))
    return {stance: _whole_words([fold(w) for w in markers])
            for stance, markers in data.items() if not stance.startswith("_")}


def clauses(text: str) -> list[str]:
    """The text cut into clauses: sentences, comma-separated parts, and either side of "men"."""
    return [c for c in (part.strip() for part in CLAUSE_BREAK.split(text)) if c]


def clause_stance(clause: str) -> str:
    """How a clause speaks of what it names: "wish" (a wish word: "drømmer om", "vil gerne"),
    else "fear" ("bange for", "tør ikke"), else "past" ("tidligere", "used to"), else "plain"."""
    folded = fold(clause)
    if _wish_pattern().search(folded):
        return "wish"
    for stance in ("fear", "past"):
        if _stance_patterns()[stance].search(folded):
            return stance
    return "plain"


# Words a text keeps when it is condensed for the encoder (``dense_text``): without its
# negation "har ikke lyst til store grupper" would say the opposite.
KEPT_FUNCTION_WORDS = frozenset({"ikke", "ingen", "intet", "ingenting", "aldrig", "uden",
                                 "not", "no", "never", "without"})
# The words of a note's form rather than of its content ("Borgeren er 52 år"), folded: the
# encoder does not read them (``without_filler``); the rules read the age from the citizen.
NOTE_FILLER = frozenset({"borgeren", "borger", "borgerens", "citizen", "aar", "aarig", "aarige",
                         "years", "year"})
_NUMBER = re.compile(r"\d[\d.,:/%-]*(?:-?aarige?)?")   # "52", "2019", "18-24", "52-årig"
_EDGE_PUNCTUATION = ".,;:!?()[]\"'«»–-"


def dense_order(text: str) -> str:
    """An intake note with the clauses that say what the citizen wants first, the rest as
    written. A search (one plain clause) stays as typed."""
    if is_search(text):
        return text
    parts = clauses(text)
    wishes = [clause_stance(c) == "wish" for c in parts]
    return " ".join([c for c, wish in zip(parts, wishes) if wish]
                    + [c for c, wish in zip(parts, wishes) if not wish])


def _bare(word: str) -> str:
    return fold(word.strip(_EDGE_PUNCTUATION))


def without_filler(text: str) -> str:
    """A note without the words of its form (``NOTE_FILLER``) and its numbers (ages, years):
    they tell the encoder nothing of what the citizen needs or wants. Unchanged when nothing
    else is said."""
    kept = [w for w in text.split()
            if (bare := _bare(w)) not in NOTE_FILLER and not _NUMBER.fullmatch(bare)]
    return " ".join(kept) if kept else text


@lru_cache(maxsize=1)
def _dropped_words() -> frozenset[str]:
    return stopwords() - {fold(w) for w in KEPT_FUNCTION_WORDS}


def condensed(text: str) -> str:
    """``text`` without its function words (the stop words), its negations kept."""
    dropped = _dropped_words()
    return " ".join(w for w in text.split() if _bare(w) not in dropped)


def dense_text(text: str, fits: Callable[[str], bool]) -> str:
    """What the encoder is given to read of a search text. It reads only the start of a text
    (``matcher.encoder.QUERY_TOKENS``), so an intake note puts what the citizen wants first
    (``dense_order``) without the words of its form (``without_filler``), and a note longer
    than the window (``fits``) leaves out its function words so the window holds more of what
    was said. A search stays as typed."""
    if is_search(text):
        return text
    ordered = without_filler(dense_order(text))
    return ordered if fits(ordered) else condensed(ordered)


def interest_weights(text: str, found: dict[str, set[str]]) -> dict[str, float]:
    """Each of the ``found`` interests weighted by the strongest clause of ``text`` naming it
    (``STANCE_WEIGHTS``): a dream counts double, a former job or a fear not at all. Interests
    no clause names (read from the repaired spelling) count once; a search is one plain clause."""
    if is_search(text):
        return dict.fromkeys(found, STANCE_WEIGHTS["plain"])
    weights: dict[str, float] = {}
    for clause in clauses(text):
        weight = STANCE_WEIGHTS[clause_stance(clause)]
        for code in interests_lexicon().detect(clause).keys() & found.keys():
            weights[code] = max(weights.get(code, 0.0), weight)
    return {code: weights.get(code, STANCE_WEIGHTS["plain"]) for code in found}


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Language name as written and folded -> ISO 639-1 code (``data/languages.json``)."""
    data = json.loads(resources.files("matcher").joinpath("data/languages.json").read_text("utf-8"))
    return {form: code for code, names in data.items() if not code.startswith("_")
            for name in names for form in (name, fold(name))}


@lru_cache(maxsize=1)
def _speaking_pattern() -> re.Pattern[str]:
    """ "jeg taler (kun) arabisk og kurdisk", "I speak Arabic", "Borgeren taler somali": who
    speaks, then the languages."""
    name = "(?:" + "|".join(re.escape(n) for n in sorted(_language_names(), key=len, reverse=True)) + ")"
    modest = r"(?:(?:kun|lidt|godt|flydende|only|a little|some|fluent)\s+)*"
    return re.compile(rf"\b(jeg|i|han|hun|borger|borgeren|he|she)\s+"
                      rf"(?:taler|kan tale|speaks?|can speak)\s+{modest}"
                      rf"({name}(?:\s*(?:,|og|and|&)\s*{modest}{name})*)\b", re.IGNORECASE)


def spoken_languages(text: str) -> tuple[tuple[str, ...], str]:
    """The languages the citizen speaks by their own or their guide's words, and the one they
    say it in themselves ("jeg taler arabisk" -> da, ar; "Borgeren taler arabisk" -> ar), with
    the text those words cut out (unless nothing else is said): a language is a fact for the
    language rule, never evidence of a need or a target group."""
    found: list[str] = []
    for match in _speaking_pattern().finditer(text):
        if said_in := SAID_IN.get(match.group(1).lower()):
            found.append(said_in)
        found += [code for w in lower_words(match.group(2)) if (code := _language_names().get(w))]
    rest = _speaking_pattern().sub(" ", text).strip()
    return tuple(dict.fromkeys(found)), rest if lower_words(rest) else text


def wish_sentences(text: str, short: int = 6) -> str:
    """The sentences that say what the citizen wants (all of a short search text)."""
    if len(lower_words(text)) <= short:
        return text
    sentences = re.split(r"(?<=[.!?;])\s+|\n+", text)
    return " ".join(s for s in sentences if _wish_pattern().search(fold(s)))


def with_age_groups(needs: dict[str, set[str]], age: int | None) -> dict[str, set[str]]:
    """Age-group needs squared with the citizen's known age: a 55-year-old who was anxious "som
    ung" is not young now, and a citizen of 70 belongs with older adults whatever the words."""
    if age is None:
        return needs
    adjusted = {code: terms for code, terms in needs.items()
                if code not in AGE_GROUPS or AGE_GROUPS[code].fits[0] <= age <= AGE_GROUPS[code].fits[1]}
    for code, group in AGE_GROUPS.items():
        if group.implied and group.implied[0] <= age <= group.implied[1]:
            adjusted.setdefault(code, {f"{age} år"})
    return adjusted


def without_names(text: str, names: Sequence[str]) -> str:
    """``text`` folded, with each of ``names`` (folded offer names) cut out where it stands, so
    the name "Ungechatten" does not make a 26-year-old's words read as "unge"."""
    folded = fold(text)
    for name in names:
        span = fuzz.partial_ratio_alignment(name, folded)
        if span is not None and span.score >= NAME_MATCH:
            folded = f"{folded[:span.dest_start]} {folded[span.dest_end:]}"
    return folded


def read_themes(understanding: Understanding, age: int | None, names: Sequence[str] = ()
                ) -> Understanding:
    """Needs, interests and roles read from the text and its repaired twin, leaving out the
    offer ``names`` it mentions, with the age groups the citizen's ``age`` rules in or out."""
    text, repaired = understanding.text, understanding.repaired_text
    search = is_search(text)
    own_words = without_names(text, names)
    both = f"{own_words}\n{without_names(repaired, names)}"
    needs = with_age_groups(needs_lexicon().detect(both, search), age)
    if relatives := relatives_with_conditions(own_words):
        needs.setdefault(RELATIVE_NEED, set()).update(relatives)
    found = interests_lexicon().detect(both, search)
    weights = {code: w for code, w in interest_weights(text, found).items() if w > 0}
    interests = {code: terms for code, terms in found.items() if code in weights}
    wished = interests_lexicon().detect(without_names(wish_sentences(text), names), search)
    roles = frozenset(role for code, role in ROLE_OF_INTEREST.items() if code in wished)
    return dataclasses.replace(understanding, needs=needs, interests=interests, roles=roles,
                               interest_weights=weights)


def spell(text: str, repair: SpellingRepair) -> Understanding:
    """The text with its spelling repaired, before any theme is read: enough to start
    encoding ``dense_text`` while the themes are read."""
    repaired, dense_text, corrections = repair.repair(text)
    return Understanding(text, repaired, dense_text, corrections)


def understand(text: str, repair: SpellingRepair, age: int | None = None) -> Understanding:
    """Repair the spelling, then read needs, interests and roles (see ``read_themes``)."""
    return read_themes(spell(text, repair), age)
