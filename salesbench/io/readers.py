"""Reading import files into a header and rows of text, each row with its line number.

CSV as people have it (UTF-8 with or without a byte-order mark, GB18030 as Excel
writes it in China, comma, semicolon or tab, quoted newlines, blank lines,
trailing empty columns), JSON arrays, JSON Lines, XLSX and vCard 3.0/4.0. Every
problem names the file, the line and, where there is one, the column; nothing
here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from salesbench.core.errors import BadInput
from salesbench.core.importing import Sheet
from salesbench.io import csv_reader, json_reader, vcard_reader, xlsx_reader
from salesbench.io.sheets import BadFile, ReadOptions, decode

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "READERS",
    "BadFile",
    "ReadOptions",
    "decode",
    "guess_format",
    "read_sheet",
]

Reader = Callable[[str, bytes, ReadOptions], Sheet]  # (source, the file's bytes, options)

# One reader per format; a new format is a module with a reader and a line here.
READERS: dict[str, Reader] = {
    "csv": csv_reader.read,
    "json": json_reader.read_json,
    "jsonl": json_reader.read_jsonl,
    "xlsx": xlsx_reader.read,
    "vcard": vcard_reader.read,
}
FORMATS = tuple(READERS)
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".vcf": "vcard",
    ".vcard": "vcard",
}


def guess_format(path: Path, given: str | None) -> str:
    if given:
        named = given.lower()
        if named not in FORMATS:
            raise BadInput(
                f"unknown format {given!r} (one of: {', '.join(FORMATS)})", field="--format"
            )
        return named
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(
            f"{path.name}: cannot tell the format from the extension; give --format "
            f"({', '.join(FORMATS)})"
        )
    return fmt


def read_sheet(path: Path, options: ReadOptions) -> Sheet:
    fmt = guess_format(path, options.format)
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a file") from None
    return READERS[fmt](source, data, options)
