"""What can be wrong with an imported file, said in Danish and English with file, line and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious, when ``warning``) at a place in a file."""

    file: str
    line: int | None
    field: str | None
    da: str
    en: str
    warning: bool = False

    def format(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        what = f" felt/field '{self.field}'" if self.field else ""
        level = "advarsel/warning" if self.warning else "fejl/error"
        return f"{where}:{what} {level}: {self.da} / {self.en}"


class ImportRejected(Exception):
    """Raised when a file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); first: {problems[0].format()}")


class ProblemCollector:
    """Collects problems for one file so readers and the validator report in one voice."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int | None, field: str | None, da: str, en: str) -> None:
        self.problems.append(Problem(self.file, line, field, da, en))

    def warn(self, line: int | None, field: str | None, da: str, en: str) -> None:
        self.problems.append(Problem(self.file, line, field, da, en, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]
