"""What every import reader shares: its options and limits, the error for a file that
cannot be read at all, cells as text, and tidying a header and rows into a Sheet."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet

# ---------------------------------------------------------------- limits
#
# What an import reads at most, each refused with a clear line rather than memory or
# time running out: the file (--max-size raises it), a cell, the nesting of a JSON
# value, the digits of a JSON number, the cells of a workbook's used range.
MAX_FILE_BYTES = 1 << 30  # 1 GB
MAX_CELL_CHARS = 1 << 20  # 1 MB of text in one cell
MAX_LINE_CHARS = 16 << 20  # a physical line of text (a row may span several)
MAX_JSON_DEPTH = 64  # arrays and objects inside each other
MAX_NUMBER_CHARS = 100  # a JSON number as written
MAX_SHEET_CELLS = 10_000_000  # an XLSX sheet's used range, rows times columns
MAX_ROWS = 1_000_000  # rows of one file: each is held until the import is planned


def too_many_rows(source: str, line: int) -> BadInput:
    return BadInput(
        f"{source}:{line}: more than {MAX_ROWS:,} rows, the most one import reads: split the file"
    )


_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d{1,15})\s*([kmgt]?)b?\s*", re.IGNORECASE)


def parse_size(text: str, option: str = "--max-size") -> int:
    """`1GB`, `500MB`, `64KB` or a number of bytes (units of 1024)."""
    found = _SIZE.fullmatch(text)
    if not found:
        raise BadInput(f"is a size such as 1GB, 500MB or 64KB (got {text!r})", field=option)
    size = int(found.group(1)) * _UNITS[found.group(2).lower()]
    if size < 1:
        raise BadInput(f"must be at least 1 byte (got {text!r})", field=option)
    return size


def size_text(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor:,} {unit}"
    return f"{size:,} bytes"


_SURROGATE = re.compile("[\ud800-\udfff]")


def cell_problem(value: str) -> str | None:
    """What makes a cell's text unusable, if anything: its length, a lone surrogate
    (JSON can write one; no database stores it). Never the value itself."""
    if len(value) > MAX_CELL_CHARS:
        return f"a cell of {len(value):,} characters; at most {MAX_CELL_CHARS:,}"
    if not value.isascii() and _SURROGATE.search(value):
        return "holds a lone UTF-16 surrogate (such as \\ud800), which is not text"
    return None


def row_problem(source: str, line: int, header: list[str], cells: list[str]) -> Problem | None:
    """The first unusable cell of a row, named by its column (cheap for good rows)."""
    joined = "".join(cells)
    if len(joined) <= MAX_CELL_CHARS and (joined.isascii() or not _SURROGATE.search(joined)):
        return None
    for index, value in enumerate(cells):
        if (problem := cell_problem(value)) is not None:
            name = f"column {index + 1}"
            if index < len(header) and cell_problem(header[index]) is None:
                name = header[index]
            return Problem(source, line, name, problem)
    return None


class BadFile(BadInput):
    """A file that cannot be read at all (syntax, encoding): one problem, one place."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.render())


@dataclass
class ReadOptions:
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    max_size: int = MAX_FILE_BYTES
    notes: list[str] = field(default_factory=list)  # unused: readers note on the Sheet


# ---------------------------------------------------------------- cells and rows


def cell_text(value: Any) -> str:
    """A JSON or spreadsheet value as the text the importers parse."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# The formula guard salesbench's CSV export writes (io/cells.neutralise): an
# apostrophe before a cell that starts with one of these.
_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def unguard(value: str) -> str:
    """A CSV cell without the formula guard (`'+86 138…` is `+86 138…`); an apostrophe
    before anything else is the cell's own."""
    return value[1:] if value.startswith(_GUARDED) else value


def tidy(
    source: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: list[Problem],
    notes: list[str] | None = None,
) -> Sheet:
    """Drop trailing empty columns; refuse duplicate headers and surplus cells."""
    width = len(header)
    while (
        width
        and not header[width - 1]
        and all(len(r) < width or not r[width - 1].strip() for _, r in rows)
    ):
        width -= 1
    header = header[:width]
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            header[i] = name = f"column {i + 1}"
        folded = name.casefold()
        if folded in seen:
            problems.append(Problem(source, 1, name, "appears twice in the header"))
        seen[folded] = i
    tidy: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if len(cells) > width:
            if any(c.strip() for c in cells[width:]):
                problems.append(
                    Problem(
                        source,
                        line,
                        None,
                        f"has {len(cells)} cells but the header has {width} "
                        "(an unquoted delimiter inside a value?)",
                    )
                )
                continue
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        tidy.append((line, cells))
    return Sheet(source, header, tidy, problems, notes or [])
