"""What an import read and what is wrong with it: the file as header and rows of
text, each problem with its file, line and column, and the report of them that
tells the same problem on many rows once."""

from __future__ import annotations

from dataclasses import dataclass, field

SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    field: str | None
    message: str
    column: int | None = None

    def render(self) -> str:
        place = f"{self.source}:{self.line}" + (f":{self.column}" if self.column else "")
        return (
            f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"
        )


def without_value(message: str, raw: str) -> str:
    """A problem with a cell, told without the cell's content: error output ends up in
    terminals, logs and chat, and the file holds customer data. Line and column say
    where to look."""
    message = message.replace(f"unknown value {raw!r}", "unknown value")
    message = message.replace(repr(raw), "the value")
    if len(raw) >= 3:
        message = message.replace(raw, "the value")
    return message


def no_known_columns(source: str, width: int, required: str) -> Problem:
    """A first line none of whose names is a known column: likely a record, not a
    header. Told by its number of columns, never by its cells (customer data)."""
    return Problem(
        source,
        1,
        None,
        f"the first line has no known column names ({width} column{'s' * (width != 1)}); "
        "is the header row missing? add one (e.g. name,phone,email) "
        f'or --map {required}="Their Header"',
    )


@dataclass
class Sheet:
    """A file as header and rows of text; `problems` found while reading it."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # for the summary: "read as cp1252 (detected)"


def problem_report(problems: list[Problem]) -> list[str]:
    """One line per problem, the same problem on many rows once (where it first occurs,
    with how many rows and which), at most SHOWN_PROBLEMS lines, then how many more."""
    groups: dict[tuple[str | None, int | None, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.field, problem.column, problem.message), []).append(problem)
    lines = []
    for group in list(groups.values())[:SHOWN_PROBLEMS]:
        line = group[0].render()
        if len(group) > 1:
            line += f" ({len(group):,} rows: lines {_line_list([p.line for p in group])})"
        lines.append(line)
    if len(groups) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(groups) - SHOWN_PROBLEMS:,} more problems")
    return lines


def _line_list(numbers: list[int], shown: int = 6) -> str:
    """`2-26`, or `3, 5, 9` or `3, 5, 9, 12, 14, 20 … 80` for line numbers in order."""
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{numbers[0]}-{numbers[-1]}"
    if len(numbers) <= shown:
        return ", ".join(map(str, numbers))
    return ", ".join(map(str, numbers[:shown])) + f" … {numbers[-1]}"
