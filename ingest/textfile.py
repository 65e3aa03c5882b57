"""Reading text files as real coordinators send them: BOM, CRLF, a bad byte on line 7000."""

from __future__ import annotations

from pathlib import Path

from ingest.problems import ProblemCollector

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def check_size(path: Path, problems: ProblemCollector, max_bytes: int) -> bool:
    """False (with a problem) when the file is missing, empty or larger than ``max_bytes``."""
    if not path.is_file():
        problems.error(None, None, "Filen findes ikke", "The file does not exist")
        return False
    size = path.stat().st_size
    if size == 0:
        problems.error(None, None, "Filen er tom", "The file is empty")
        return False
    if size > max_bytes:
        mb, limit = size / 1024 / 1024, max_bytes / 1024 / 1024
        problems.error(None, None,
                       f"Filen er for stor ({mb:.1f} MB; grænsen er {limit:.0f} MB). Del den op.",
                       f"The file is too large ({mb:.1f} MB; the limit is {limit:.0f} MB). Split it.")
        return False
    return True


def read_lines(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> list[tuple[int, str]]:
    """Numbered lines of a UTF-8 file (BOM and line ends removed); bad bytes reported by line."""
    if not check_size(path, problems, max_bytes):
        return []
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(data.splitlines(), start=1):  # \n, \r\n or old Mac \r
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            problems.error(number, None,
                           f"Ugyldig UTF-8 ved byte {exc.start} i linjen; gem filen som UTF-8",
                           f"Invalid UTF-8 at byte {exc.start} of the line; save the file as UTF-8")
    if not any(text.strip() for _, text in lines) and not problems.errors:
        problems.error(None, None, "Filen indeholder ingen tilbud", "The file holds no offers")
    return lines
