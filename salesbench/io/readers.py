"""Reading import files into a header and rows of text, each row with its line number.

One entry per format in FORMATS: its name, the extensions it is guessed from, its
help text and its reader together, so a new format is a module with a reader and
an entry here. Every problem names the file, the line and, where there is one,
the column; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet
from salesbench.io import csv_reader, ics_reader, json_reader, vcard_reader, xlsx_reader
from salesbench.io.sheets import BadFile, ReadOptions, row_problem

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "READERS",
    "BadFile",
    "Format",
    "ReadOptions",
    "format_help",
    "guess_format",
    "read_sheet",
]

Reader = Callable[[str, Path, ReadOptions], Sheet]  # (source, the file, options)


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    help: str
    read: Reader
    kinds: tuple[str, ...] | None = None  # the kinds of record it can hold (None: any)


READERS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format(
            "csv",
            (".csv", ".tsv", ".txt"),
            "CSV: comma, semicolon, tab or | (sniffed); the encoding detected",
            csv_reader.read,
        ),
        Format("json", (".json",), "JSON: an array of objects", json_reader.read_json),
        Format(
            "jsonl", (".jsonl", ".ndjson"), "JSON Lines: one object a line", json_reader.read_jsonl
        ),
        Format("xlsx", (".xlsx", ".xlsm"), "Excel workbook: the first sheet", xlsx_reader.read),
        Format(
            "vcard",
            (".vcf", ".vcard"),
            "vCard 2.1, 3.0 or 4.0: contacts",
            vcard_reader.read,
            ("contacts",),
        ),
        Format("ics", (".ics",), "iCalendar: to-dos (VTODO) as tasks", ics_reader.read, ("tasks",)),
    )
}
FORMATS = tuple(READERS)
EXTENSIONS = {ext: entry.name for entry in READERS.values() for ext in entry.extensions}


def format_help() -> str:
    """The `--format` option's help, from the registry."""
    return ", ".join(READERS) + " (default: from the extension)."


def guess_format(path: Path, given: str | None) -> str:
    """The format `given` (checked), else the one the file's extension names."""
    names = ", ".join(READERS)
    if given:
        named = given.lower()
        if named not in READERS:
            raise BadInput(f"unknown format {given!r} (one of: {names})", field="--format")
        return named
    suffix = path.suffix.lower()
    for entry in READERS.values():
        if suffix in entry.extensions:
            return entry.name
    raise BadInput(
        f"{path.name}: cannot tell the format from the extension; give --format ({names})"
    )


def read_sheet(path: Path, options: ReadOptions) -> Sheet:
    fmt = guess_format(path, options.format)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder, not a file")
    source = str(path)
    try:
        sheet = READERS[fmt].read(source, path, options)
    except RecursionError:  # a reader's own nesting, past what MAX_JSON_DEPTH lets by
        raise BadFile(Problem(source, 1, None, "nested too deeply to read")) from None
    if fmt in ("vcard", "ics"):
        checked(sheet)
    return sheet


def checked(sheet: Sheet) -> None:
    """Refuse a header or cell no importer can use (too long, a lone surrogate), at
    its line and column name, never quoting it. CSV needs no check (strict decoding
    makes no surrogate; the csv module bounds a cell), nor JSON (its reader checks
    every value as it parses), nor XLSX (calamine's text holds no surrogate)."""
    if (problem := row_problem(sheet.source, 1, [], sheet.header)) is not None:
        raise BadFile(problem)
    for line, cells in sheet.rows:
        if (problem := row_problem(sheet.source, line, sheet.header, cells)) is not None:
            raise BadFile(problem)
