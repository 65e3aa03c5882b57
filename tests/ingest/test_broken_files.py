"""Every broken file is rejected by ``brobygger import`` with its line, field and a Danish and an
English message, and the database file is left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ingest.helpers import BROKEN, Cli

FIFTY_MB = "fifty_megabytes.jsonl"
DEEP_JSONL, DEEP_HSDS = "deeply_nested.jsonl", "deeply_nested_hsds.json"
GENERATED = {FIFTY_MB, DEEP_JSONL, DEEP_HSDS}


def write_big_jsonl(path: Path, size: int = 50 * 1024 * 1024) -> Path:
    """A valid JSON Lines catalogue of at least ``size`` bytes (too big to commit)."""
    line = json.dumps({"id": "{}", "name": "Gågruppe", "kind": "association",
                       "description": "Vi går en tur. " * 60}, ensure_ascii=False) + "\n"
    count = size // len(line.encode()) + 1
    with path.open("w", encoding="utf-8") as out:
        out.writelines(line.replace("{}", f"big-{n}", 1) for n in range(count))
    return path


CASES = [  # file, line, field, Danish, English
    ("wrong_type_min_age.jsonl", 3, "min_age", "Skal være et helt tal eller tomt, ikke 'tyve'",
     "Must be a whole number or empty, not 'tyve'"),
    ("unknown_target_group.jsonl", 2, "target_groups", "Ukendt værdi 'rumvæsner'",
     "Unknown value 'rumvæsner'"),
    ("unknown_accessibility.jsonl", 2, "accessibility", "Ukendt værdi 'elevator'",
     "Unknown value 'elevator'"),
    ("bad_date.jsonl", 2, "valid_to", "Skal være en dato som ÅÅÅÅ-MM-DD, ikke '2026-02-30'",
     "Must be a date like YYYY-MM-DD, not '2026-02-30'"),
    ("date_wrong_format.jsonl", 3, "valid_to", "Skal være en dato som ÅÅÅÅ-MM-DD, ikke "
     "'23/11/2026'", "Must be a date like YYYY-MM-DD, not '23/11/2026'"),
    ("duplicate_id.jsonl", 4, "id", "Id 't2' står allerede på linje 2",
     "Id 't2' already appears on line 2"),
    ("missing_description.jsonl", 2, "description", "Feltet skal udfyldes",
     "The field is required"),
    ("empty_name.jsonl", 3, "name", "Feltet skal udfyldes", "The field is required"),
    ("invalid_utf8.jsonl", 3, None, "Ugyldig UTF-8", "Invalid UTF-8"),
    ("truncated_json.jsonl", 3, None, "Ugyldig JSON (kolonne 22): tekst uden afsluttende",
     "Invalid JSON (column 22): Unterminated string"),
    ("json_array.jsonl", 2, None, "Linjen skal være et JSON-objekt",
     "The line must be a JSON object"),
    ("empty.jsonl", None, None, "Filen er tom", "The file is empty"),
    ("only_blank_lines.jsonl", None, None, "Filen indeholder ingen tilbud",
     "The file holds no offers"),
    (FIFTY_MB, None, None, "MB; grænsen er 25 MB). Del den op.",
     "MB; the limit is 25 MB). Split it."),
    ("unknown_kind.jsonl", 2, "kind", "Ukendt værdi 'firma'", "Unknown value 'firma'"),
    ("lat_without_lon.jsonl", 2, "lon", "lat og lon skal begge udfyldes eller begge være tomme",
     "lat and lon must both be given or both be empty"),
    ("min_age_over_max_age.jsonl", 2, "max_age", "max_age (18) er mindre end min_age (30)",
     "max_age (18) is below min_age (30)"),
    ("bad_language.jsonl", 2, "languages", "'dansk' er ikke en ISO 639-1-kode",
     "'dansk' is not an ISO 639-1 code"),
    ("referral_maybe.jsonl", 2, "requires_referral", "Skal være true eller false, ikke 'maybe'",
     "Must be true or false, not 'maybe'"),
    ("missing_column.csv", 1, "description", "Kolonnen 'description' mangler",
     "The column 'description' is missing"),
    ("bad_decimal.csv", 3, "lat", "Skal være et tal eller tomt, ikke '56,15,623'",
     "Must be a number or empty, not '56,15,623'"),
    ("wrong_type_after_multiline_cell.csv", 4, "min_age", "Skal være et helt tal eller tomt",
     "Must be a whole number or empty"),
    ("unclosed_quote.csv", 3, None, "CSV kan ikke læses: et anførselstegn (\") bliver aldrig "
     "lukket", 'Cannot read the CSV: a quote (") is never closed'),
    ("text_file.xlsx", None, None, "Filen er ikke en gyldig Excel-fil (.xlsx)",
     "The file is not a valid Excel workbook (.xlsx)"),
    ("nul_byte.jsonl", 2, "name", "Teksten indeholder et ugyldigt tegn (U+0000) ved tegn 3",
     "The text holds an invalid character (U+0000) at character 3"),
    ("id_with_tab.jsonl", 2, "id", "Et id skal stå på én linje uden tabulatorer",
     "An id must be a single line without tabs"),
    ("lone_surrogate.jsonl", 2, "description", "ugyldigt tegn (U+D83D) ved tegn 13",
     "invalid character (U+D83D) at character 13"),
    ("control_character.csv", 3, "description", "ugyldigt tegn (U+0007) ved tegn 7",
     "invalid character (U+0007) at character 7"),
    ("control_character_in_list.jsonl", 1, "categories", "ugyldigt tegn (U+001B) ved tegn 3",
     "invalid character (U+001B) at character 3"),
    (DEEP_JSONL, 2, None, "JSON'en er indlejret for dybt", "The JSON is nested too deeply"),
    (DEEP_HSDS, None, None, "JSON'en er indlejret for dybt", "The JSON is nested too deeply"),
    ("hsds_bad_minimum_age.json", 2, "min_age", "Skal være et helt tal eller tomt, ikke 'tyve'",
     "Must be a whole number or empty, not 'tyve'"),
]


def generate(path: Path) -> Path:
    """The broken files too big to commit: 50 MB, or JSON nested 100,000 levels deep."""
    if path.name == FIFTY_MB:
        return write_big_jsonl(path)
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"id": "ok", "name": "Gågruppe", "kind": "association",
                       "description": "Vi går en tur."}, ensure_ascii=False)
    path.write_text(f"{good}\n{deep}\n" if path.name == DEEP_JSONL else deep, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, line, field, danish, english", CASES, ids=[c[0] for c in CASES])
def test_broken_file_is_rejected_and_nothing_changes(cli: Cli, tmp_path: Path, name: str,
                                                     line: int | None, field: str | None,
                                                     danish: str, english: str):
    path = generate(tmp_path / name) if name in GENERATED else BROKEN / name
    before = cli.digest()

    result = cli("import", path)

    assert result.exit_code == 1
    place = name + (f":{line}" if line else "") + ":" + (f" felt/field '{field}'" if field else "")
    assert f"{place} fejl/error: " in result.output
    assert danish in result.output and english in result.output
    assert "Import afvist" in result.output and "Import rejected" in result.output
    assert cli.digest() == before


def test_every_broken_file_is_a_case():
    assert {path.name for path in BROKEN.iterdir()} == {c[0] for c in CASES} - GENERATED


@pytest.mark.parametrize("source", ["kbh/frivillige", "x" * 101, "kilde\x00", " "])
def test_an_unusable_source_name_is_rejected_and_nothing_changes(cli: Cli, catalogue_file: Path,
                                                                 source: str):
    before = cli.digest()
    result = cli("import", catalogue_file, "--source", source)
    assert result.exit_code == 1
    assert "felt/field 'source'" in result.output and "højst 100 tegn uden '/'" in result.output
    assert cli.digest() == before
