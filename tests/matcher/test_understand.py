"""Reading the citizen's words: misspellings, missing æøå, split compounds, needs, interests."""

import pytest

from matcher.lexicon import interests_lexicon, needs_lexicon
from matcher.relatives import relatives_with_conditions
from matcher.understand import SpellingRepair, read_themes, understand, with_age_groups

SURFACE = {w.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"): w for w in [
    "gældsrådgivning", "værested", "angst", "gruppe", "pårørende", "fællesspisning",
    "lektiehjælp", "cykelværksted", "frivillig", "bostøtte", "hjælp"]}
REPAIR = SpellingRepair(SURFACE)


@pytest.mark.parametrize("typed, folded, dense", [
    ("gældsrådgivning", "gaeldsraadgivning", "gældsrådgivning"),
    ("gaeldsraadgivning", "gaeldsraadgivning", "gældsrådgivning"),     # typed without æøå
    ("galdsradgivning", "gaeldsraadgivning", "gældsrådgivning"),       # æ→a, å→a
    ("gælsrådgivning", "gaeldsraadgivning", "gældsrådgivning"),        # a dropped letter
    ("værrested", "vaerested", "værested"),                            # a doubled letter
    ("angs gruppe", "angst gruppe", "angst gruppe"),
    ("fælles spisning", "faellesspisning", "fællesspisning"),          # a split compound
    ("lektie hjælp", "lektiehjaelp", "lektiehjælp"),
    ("Jeg har gæld.", "jeg har gaeld", "Jeg har gæld."),               # nothing to repair
])
def test_repair(typed, folded, dense):
    repaired, dense_text, _ = REPAIR.repair(typed)
    assert repaired == folded
    assert dense_text == dense


@pytest.mark.parametrize("word", ["kjoler", "nøgler", "drenge", "melodier", "kammerat"])
def test_real_words_the_catalogue_lacks_are_left_alone(word):
    _, _, corrections = REPAIR.repair(word)
    assert corrections == {}


@pytest.mark.parametrize("text, need", [
    ("jeg er så ensom", "ensomhed"),
    ("I feel lonely", "ensomhed"),
    ("min søn drikker, og jeg er bekymret", "paaroerende"),
    ("han drikker for meget", "misbrug"),
    ("rykkere og inkasso", "gaeld_oekonomi"),
    ("jeg drømmer om egne nøgler og mit navn på døren", "hjemloeshed"),
    ("jeg vil bare have en dør, jeg selv kan låse", "hjemloeshed"),   # a phrase with a gap
])
def test_needs(text, need):
    assert need in needs_lexicon().detect(text)


@pytest.mark.parametrize("text, interest", [
    ("vil gerne passe høns", "animals"),
    ("jeg savner lugten af savsmuld", "woodwork"),
    ("jeg går og nynner hele tiden", "singing"),
    ("han var fisker og savner havet", "sea_boats"),
    ("hundeluftning", "animals"),                      # a compound's first part
    ("kolonihave", "gardening"),                       # a compound's last part
])
def test_interests(text, interest):
    assert interest in interests_lexicon().detect(text)


@pytest.mark.parametrize("text, absent", [
    ("vi drikker kaffe sammen bagefter", "misbrug"),
    ("Fællesbordet dækker op til spisning", "cars_engines"),
])
def test_everyday_words_do_not_invent_themes(text, absent):
    assert absent not in {**needs_lexicon().detect(text), **interests_lexicon().detect(text)}


def test_wished_roles():
    assert "frivillig" in understand("jeg vil gerne være frivillig og hjælpe andre", REPAIR).roles
    assert "job" in understand("jeg vil have et arbejde og tjene mine egne penge", REPAIR).roles
    assert "job" in understand("job køkken", REPAIR).roles                 # a search box


def test_a_job_mentioned_is_not_a_job_wished():
    note = ("Kvinde, 33 år, sygemeldt med depression fra sit job som kontorassistent. "
            "Hun har to børn, og hendes mand drikker meget.")
    understood = understand(note, REPAIR)
    assert "job" not in understood.roles
    assert {"paaroerende", "misbrug", "psykisk_saarbarhed"} <= set(understood.needs)


@pytest.mark.parametrize("word", ["kuverter", "travlheden", "skønnere", "lønseddel", "samlever"])
def test_inflections_and_compounds_in_the_danish_dictionary_are_left_alone(word):
    # none of these is common enough for a frequency list; each is close to another word
    _, _, corrections = SpellingRepair({**SURFACE, "vaerter": "værter", "traetheden": "trætheden",
                                        "senere": "senere", "loensedler": "lønsedler",
                                        "samler": "samler"}).repair(word)
    assert corrections == {}


def test_repair_aims_at_the_words_the_matcher_understands():
    # no offer says "tegne", but the interests lexicon does; a swap of two letters is one slip,
    # so "tenge" is "tegne", not "teenage" or "penge"
    lexicon_words = {"tegne": "tegne", "teenage": "teenage", "penge": "penge"}
    repaired, _, corrections = SpellingRepair({**SURFACE, **lexicon_words}).repair("drømmer om at tenge")
    assert corrections == {"tenge": "tegne"}
    assert repaired == "droemmer om at tegne"


def test_a_text_typed_without_aeoeaa_is_read_by_its_plain_letter_twin():
    repaired, dense, _ = REPAIR.repair("varested og hjalp")
    assert repaired == "vaerested og hjaelp"
    assert dense == "værested og hjælp"
    # with æøå elsewhere in the text, the writer had the letters: "varested" stays as written
    assert REPAIR.repair("varested på Nørrebro")[0].startswith("varested")
    # a word in its own right ("kokken", the cook) is still read as the likelier "køkken"
    assert SpellingRepair({**SURFACE, "kokken": "kokken", "koekken": "køkken"}).repair(
        "job kokken")[1] == "job køkken"


@pytest.mark.parametrize("needs, age, expected", [
    ({"unge": {"som ung"}, "psykisk_saarbarhed": {"angst"}}, 55, {"psykisk_saarbarhed"}),
    ({"aeldre": {"pensionist"}}, 45, set()),
    ({"ensomhed": {"ensom"}}, 72, {"ensomhed", "aeldre"}),
    ({"ensomhed": {"ensom"}}, 20, {"ensomhed"}),          # young is no need in itself
    ({"unge": {"ung"}}, 30, {"unge"}),                 # fits, though not implied
    ({"aeldre": {"pensionist"}}, None, {"aeldre"}),    # age unknown: the words decide
])
def test_age_groups_follow_the_citizens_age(needs, age, expected):
    assert set(with_age_groups(needs, age)) == expected


@pytest.mark.parametrize("text, name, lost, kept", [
    ("Jeg er 26. Kan jeg skrive med nogen i Ungechatten?", "ungechatten", "unge", None),
    ("Kan jeg komme i Ung i Balance? Jeg er så ensom", "ung i balance", "unge", "ensomhed"),
])
def test_the_names_of_offers_are_not_the_citizens_needs(text, name, lost, kept):
    assert lost in understand(text, REPAIR, 26).needs             # read from the name alone
    needs = read_themes(understand(text, REPAIR, 26), 26, [name]).needs
    assert lost not in needs
    assert kept is None or kept in needs                          # the rest is still read


@pytest.mark.parametrize("text, relative", [
    ("Hendes lillebror har et misbrug af kokain og ringer om natten", True),
    ("Jeg ligger vågen og bekymrer mig om min dreng, der er syg i hovedet", True),
    ("Hendes mand drikker meget, og hun dækker over det", True),
    ("My son drinks too much and I don't know what to do", True),
    ("Hustruen er i behandling for kræft, og han er bekymret", True),
    ("Jeg bor hos min mor og har angst", False),                 # where she lives, not who is ill
    ("Min mor døde sidste år, og jeg har depression", False),    # the condition is her own
    ("Min kone og jeg drikker for meget", False),
    ("Min mand drikker kaffe med naboen hver morgen", False),
    ("Jeg har depression, og min mand er sød", False),
    ("Min søn flyttede. Jeg har angst", False),                  # another sentence
])
def test_a_relative_with_a_condition_makes_the_citizen_a_relative(text, relative):
    assert bool(relatives_with_conditions(text)) is relative
    if relative:
        assert "paaroerende" in understand(text, REPAIR, 45).needs


def test_a_pasted_run_of_one_letter_is_no_word_and_compounds_are_still_cut():
    from matcher.lexicon import needs_lexicon

    assert needs_lexicon().detect("a" * 100_000) == {}
    assert "hjemloeshed" in needs_lexicon().detect("hjemløshedsrådgivning")   # compounds still cut
