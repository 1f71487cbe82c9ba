"""What every import reader shares: its options, the error for a file that cannot be
read at all, cells as text, and tidying a header and rows into a Sheet."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet


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
