"""CSV as people have it: comma, semicolon, tab or pipe (sniffed unless given), quoted
newlines, blank lines, trailing empty columns, CR CR LF line ends; broken quoting
names its line and cell. Read a line at a time, in the encoding io.encodings
chooses; salesbench's own formula guard (`'+86…`) is taken off each cell."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet
from salesbench.io.encodings import Text, open_text
from salesbench.io.sheets import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    BadFile,
    ReadOptions,
    tidy,
    too_many_rows,
    unguard,
)

DELIMITERS = (",", ";", "\t", "|")
SNIFF_LINES = 200


def read(source: str, path: Path, options: ReadOptions) -> Sheet:
    notes: list[str] = []
    text = open_text(source, path, options.encoding, notes, options.max_size)
    try:
        lines = text.lines()
        head = list(itertools.islice(lines, SNIFF_LINES))
        sheet = _csv(source, itertools.chain(head, lines), "".join(head), options, path, text)
    finally:
        text.close()
    sheet.notes[:0] = notes
    return sheet


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the same, largest number of cells."""
    sample = text[:65536]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [
                r
                for _, r in zip(
                    range(50), csv.reader(io.StringIO(sample), delimiter=delimiter), strict=False
                )
                if r
            ]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv(
    source: str, lines: Iterator[str], head: str, options: ReadOptions, path: Path, text: Text
) -> Sheet:
    delimiter = options.delimiter
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(
            delimiter, delimiter
        )
        if len(delimiter) != 1:
            raise BadInput(f"must be one character, got {options.delimiter!r}", field="--delimiter")
    else:
        delimiter = sniff_delimiter(head)
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line_before = 0
    problems: list[Problem] = []
    head_lines = head.count("\n")
    while True:
        start = line_before + 1
        text.apostrophe = False  # set again by reading a line with one
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if str(exc).startswith("field larger than field limit"):
                index = _long_column(_from_line(path, options, start), delimiter)
                name = header[index] if header and index < len(header) else f"cell {index + 1}"
                raise BadFile(
                    Problem(
                        source,
                        start,
                        name,
                        f"a cell longer than {MAX_CELL_CHARS:,} characters, "
                        "the most an import reads in one cell",
                    )
                ) from None
            index = _quote_column(_from_line(path, options, start), delimiter)
            name = header[index] if header and index < len(header) else f"cell {index + 1}"
            raise BadFile(
                Problem(source, start, name, f"broken quoting ({exc}); quotes must pair up")
            ) from None
        line_before = reader.line_num
        if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
            continue  # blank lines, and rows of nothing but delimiters
        if text.apostrophe or line_before <= head_lines:  # only then can a cell be guarded
            cells = [unguard(c) if c[:1] == "'" else c for c in cells]
        if header is None:
            header = [c.strip() for c in cells]
            continue
        rows.append((start, cells))
        if len(rows) > MAX_ROWS:
            raise too_many_rows(source, start)
    if header is None:
        raise BadFile(Problem(source, 1, None, "the file is empty: no header row"))
    return tidy(source, header, rows, problems)


def _from_line(path: Path, options: ReadOptions, line: int) -> str:
    """The file's text from `line` on, a few lines of it (read again: an error path
    only; a pipe cannot be, and gives nothing)."""
    if not path.is_file():
        return ""
    text = open_text(str(path), path, options.encoding, [], options.max_size)
    try:
        return "".join(itertools.islice(text.lines(), line - 1, line + 200))
    except BadInput:
        return ""
    finally:
        text.close()


def _long_column(chunk: str, delimiter: str) -> int:
    """The index of the first cell longer than MAX_CELL_CHARS, from the start of `chunk`
    (quotes decide which delimiters and line breaks are inside a cell)."""
    index, start, in_quote = 0, 0, False
    for i, ch in enumerate(chunk):
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in (delimiter, "\n"):
            if i - start > MAX_CELL_CHARS or ch == "\n":
                break
            index, start = index + 1, i + 1
    return index


def _quote_column(chunk: str, delimiter: str) -> int:
    """The index of the cell whose quoting breaks, reading from the start of `chunk`."""
    index, in_quote, at_start, i = 0, False, True, 0
    opened = 0
    while i < len(chunk):
        ch = chunk[i]
        if in_quote:
            if ch == '"':
                if chunk[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                in_quote = False
                after = chunk[i + 1 : i + 2]
                if after not in (delimiter, "\n", "\r", ""):
                    return index
        elif ch == '"':
            if not at_start:
                return index
            in_quote, opened = True, index
        elif ch == delimiter:
            index += 1
            at_start = True
            i += 1
            continue
        elif ch in "\r\n":
            return index
        at_start = False
        i += 1
    return opened if in_quote else index
