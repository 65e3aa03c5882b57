"""Danish text normalisation shared by every lexical signal: fold æøå, tokenise, stem."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import Stemmer

from catalogue.vocab import fold_danish

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
RAW_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("danish")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("matcher").joinpath("data/stopwords_da.txt").read_text("utf-8")
    return frozenset(fold_danish(line) for line in text.splitlines() if line.strip())


def fold(text: str) -> str:
    """Lower case with æ, ø, å written as ae, oe, aa (and é, ü... as plain letters)."""
    return fold_danish(text)


def lower_words(text: str) -> list[str]:
    """Lower-case words as written (æøå kept), for looking words up in a dictionary."""
    return RAW_WORD.findall(text.lower())


def words(text: str) -> list[str]:
    """Folded word tokens, hyphenated compounds split into their parts too."""
    tokens = []
    for token in _WORD.findall(fold(text)):
        tokens.append(token.replace("-", "").replace("'", ""))
        if "-" in token:
            tokens.extend(part for part in token.split("-") if part)
    return tokens


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_terms(text: str) -> list[str]:
    """Stemmed, folded tokens without stopwords: the units of BM25 and lexicon matching."""
    stop = stopwords()
    return [stem(w) for w in words(text) if w not in stop and len(w) > 1]
