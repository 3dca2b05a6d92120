"""A problem found in the source files, reported as one line a supplier can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path of the source file, as given to the command
    record: str  # "supplier <id>", "offering <id>", "licence <id>" or "-" for the whole file
    field: str  # dotted path of the field in the record ("pricing.currency"), or "-"
    rule: str  # short name of the rule, e.g. "required", "open-source-needs-repository"
    message: str  # what is wrong and what to do, in plain words
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.record}: {self.field}: {self.message} [{self.rule}]"


class SourceErrors(Exception):
    """Raised when source files have problems; carries all of them."""

    def __init__(self, problems: list[Problem], stage: str = "sources") -> None:
        super().__init__(f"{len(problems)} problem(s) in the source files")
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.record, p.field))
        # "sources": found while reading the files, so the rule checks (SHACL) did not run
        # yet; "rules": found by the rule checks.
        self.stage = stage
