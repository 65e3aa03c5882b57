"""Which words of a public search that found nothing good may be counted as a hint for new
offers: pure rules. A short query only, lower case, and never a number, an e-mail address or
a name; the text itself is never kept (``catalogue.search_terms`` stores the counts)."""

from __future__ import annotations

from matcher.suggestions import Suggestions
from matcher.text import RAW_WORD, fold, stopwords
from matcher.wordlist import danish_dictionary

MAX_WORDS = 5          # longer texts are about a person's situation: never counted
MAX_TERM_CHARS = 40
# Reasons that tie a suggestion to what was written. The rest are weak: facts of the offer
# (age, place, free, language), or a meaning only "close" (some offer always is).
STRONG_REASONS = frozenset({"need", "interest", "shared_words", "like_named"})


def found_nothing_good(suggestions: Suggestions) -> bool:
    """No result, or only weak ones: none shares a theme, a word or a name with the query."""
    return not any(reason.code in STRONG_REASONS
                   for item in suggestions.items for reason in item.reasons)


def is_name_like(word: str) -> bool:
    """The Danish dictionary does not know ``word`` in lower case, and either knows it with a
    capital (a first name, surname or place) or the person wrote it with one."""
    dictionary = danish_dictionary()
    lower = word.lower()
    if dictionary.lookup(lower):
        return False
    return word[:1].isupper() or bool(dictionary.lookup(lower.capitalize()))


def countable_terms(text: str) -> list[str]:
    """The lower-case words of a query of at most ``MAX_WORDS`` words that may be counted:
    no stopword, nothing with a digit, no part of an e-mail address, no name. Each once."""
    chunks = text.split()
    if len(chunks) > MAX_WORDS:
        return []
    terms: list[str] = []
    for chunk in chunks:
        if "@" in chunk:
            continue
        for word in RAW_WORD.findall(chunk):
            lower = word.lower()
            if (len(lower) < 2 or len(lower) > MAX_TERM_CHARS or any(c.isdigit() for c in word)
                    or fold(lower) in stopwords() or lower in terms or is_name_like(word)):
                continue
            terms.append(lower)
    return terms
