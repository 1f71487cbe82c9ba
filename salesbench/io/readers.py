"""Reading import files into a header and rows of text, each row with its line number.

CSV as people have it (UTF-8 with or without a byte-order mark, GB18030 as Excel
writes it in China, comma, semicolon or tab, quoted newlines, blank lines,
trailing empty columns), JSON arrays, JSON Lines, XLSX and vCard 3.0/4.0. Every
problem names the file, the line and, where there is one, the column; nothing
here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet

FORMATS = ("csv", "json", "jsonl", "xlsx", "vcard")
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
DELIMITERS = (",", ";", "\t", "|")


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
    notes: list[str] = field(default_factory=list)


def guess_format(path: Path, given: str | None) -> str:
    if given:
        fmt = given.lower()
        if fmt not in FORMATS:
            raise BadInput(
                f"unknown format {given!r} (one of: {', '.join(FORMATS)})", field="--format"
            )
        return fmt
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
    if fmt == "xlsx":
        return _xlsx(source, data, options)
    text = decode(source, data, options)
    if fmt == "csv":
        return _csv(source, text, options)
    if fmt == "json":
        return _json(source, text)
    if fmt == "jsonl":
        return _jsonl(source, text)
    return _vcard(source, text)


# ---------------------------------------------------------------- text and encodings


def decode(source: str, data: bytes, options: ReadOptions) -> str:
    """The file's text: the given encoding, else UTF-8 (BOM or not), else GB18030."""
    if options.encoding:
        try:
            return data.decode(options.encoding).removeprefix("\ufeff")
        except LookupError:
            raise BadInput(f"unknown encoding {options.encoding!r}", field="--encoding") from None
        except UnicodeDecodeError as exc:
            raise BadFile(_decode_problem(source, data, exc, options.encoding)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        options.notes.append("read as UTF-16")
        return data.decode("utf-16").removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise BadFile(_decode_problem(source, data, utf8_error, "UTF-8 or GB18030")) from None
        options.notes.append("read as GB18030 (not UTF-8); give --encoding if that is wrong")
        return text


def _decode_problem(source: str, data: bytes, exc: UnicodeDecodeError, tried: str) -> Problem:
    start = exc.start
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    return Problem(
        source,
        line,
        None,
        f"byte 0x{data[start]:02X} is not {tried} text (wrong encoding? give --encoding)",
        column=column,
    )


# ---------------------------------------------------------------- CSV


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


def _csv(source: str, text: str, options: ReadOptions) -> Sheet:
    delimiter = options.delimiter
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(
            delimiter, delimiter
        )
        if len(delimiter) != 1:
            raise BadInput(f"must be one character, got {options.delimiter!r}", field="--delimiter")
    else:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line_before = 0
    problems: list[Problem] = []
    while True:
        start = line_before + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            index = _quote_column(text, start, delimiter)
            name = header[index] if header and index < len(header) else f"cell {index + 1}"
            raise BadFile(
                Problem(source, start, name, f"broken quoting ({exc}); quotes must pair up")
            ) from None
        line_before = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines, and rows of nothing but delimiters
        if header is None:
            header = [c.strip() for c in cells]
            continue
        rows.append((start, cells))
    if header is None:
        raise BadFile(Problem(source, 1, None, "the file is empty: no header row"))
    return _tidy(source, header, rows, problems)


def _quote_column(text: str, line: int, delimiter: str) -> int:
    """The index of the cell whose quoting breaks, reading from the record at `line`."""
    lines = text.splitlines(keepends=True)
    chunk = "".join(lines[line - 1 :])
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


def _tidy(
    source: str, header: list[str], rows: list[tuple[int, list[str]]], problems: list[Problem]
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
    return Sheet(source, header, tidy, problems)


# ---------------------------------------------------------------- JSON and JSON Lines


def _cell(value: Any) -> str:
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


def _records_sheet(source: str, records: list[tuple[int, dict[str, Any]]]) -> Sheet:
    header: list[str] = []
    known: set[str] = set()
    for _, record in records:
        for key in record:
            if key not in known:
                known.add(key)
                header.append(key)
    rows = [(line, [_cell(record.get(k)) for k in header]) for line, record in records]
    return Sheet(source, header, rows, [])


def _json_error(source: str, exc: json.JSONDecodeError, line: int | None = None) -> BadFile:
    """A JSON syntax error; `line` for JSON Lines, where each line is a document."""
    where = exc.lineno if line is None else line
    return BadFile(Problem(source, where, None, f"not valid JSON: {exc.msg}", column=exc.colno))


def _json(source: str, text: str) -> Sheet:
    decoder = json.JSONDecoder()
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(source, exc) from None
    pos = _skip_ws(text, 0)
    if text[pos : pos + 1] != "[":
        raise BadFile(Problem(source, 1, None, "expected a JSON array of objects", column=1))
    records: list[tuple[int, dict[str, Any]]] = []
    pos = _skip_ws(text, pos + 1)
    while text[pos : pos + 1] not in ("]", ""):
        line = text.count("\n", 0, pos) + 1
        value, pos = decoder.raw_decode(text, pos)
        if not isinstance(value, dict):
            column = pos - text.rfind("\n", 0, pos)
            raise BadFile(Problem(source, line, None, "expected an object", column=column))
        records.append((line, value))
        pos = _skip_ws(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
    return _records_sheet(source, records)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _jsonl(source: str, text: str) -> Sheet:
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _json_error(source, exc, number) from None
        if not isinstance(value, dict):
            raise BadFile(Problem(source, number, None, "expected an object", column=1))
        records.append((number, value))
    return _records_sheet(source, records)


# ---------------------------------------------------------------- XLSX


def _xlsx(source: str, data: bytes, options: ReadOptions) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadInput(f"{source}: not an XLSX workbook ({exc})") from None
    try:
        if options.sheet:
            if options.sheet not in book.sheetnames:
                raise BadInput(
                    f"no sheet {options.sheet!r} (sheets: {', '.join(book.sheetnames)})",
                    field="--sheet",
                )
            ws = book[options.sheet]
        else:
            ws = book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell(v).strip() if isinstance(v, str) else _cell(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                header = cells
            else:
                rows.append((number, cells))
    finally:
        book.close()
    if header is None:
        raise BadFile(Problem(source, 1, None, "the sheet is empty: no header row"))
    return _tidy(source, header, rows, [])


# ---------------------------------------------------------------- vCard

VCARD_COLUMNS = [
    "id",
    "external_id",
    "name",
    "first_name",
    "last_name",
    "customer",
    "title",
    "phone",
    "email",
    "decision_role",
    "note",
]


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical content lines with the number of the physical line each starts on."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], number
    if current:
        yield start, "".join(current)


def _vcard(source: str, text: str) -> Sheet:
    import uuid

    rows: list[tuple[int, list[str]]] = []
    card: dict[str, str] | None = None
    opened = 0
    for number, line in _unfold(text):
        if not line.strip():
            continue
        name_part, sep, value = line.partition(":")
        if not sep:
            raise BadFile(Problem(source, number, None, "not a vCard line (NAME:value expected)"))
        name, *params = name_part.split(";")
        name = name.rsplit(".", 1)[-1].upper()  # Apple's "item1.EMAIL" groups
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                raise BadFile(Problem(source, opened, None, "this card has no END:VCARD"))
            card, opened = {}, number
            continue
        if card is None:
            raise BadFile(Problem(source, number, None, f"{name} outside BEGIN:VCARD … END:VCARD"))
        if name == "END":
            rows.append((opened, [card.get(c, "") for c in VCARD_COLUMNS]))
            card = None
            continue
        upper_params = [p.upper() for p in params]
        if name == "VERSION" and value.strip() not in ("3.0", "4.0"):
            raise BadFile(
                Problem(
                    source, number, None, f"vCard {value.strip()} is not supported (3.0 or 4.0)"
                )
            )
        if any(p.startswith("ENCODING=QUOTED-PRINTABLE") for p in upper_params):
            raise BadFile(
                Problem(source, number, None, "quoted-printable (vCard 2.1) is not supported")
            )
        if name == "FN":
            card["name"] = _unescape(value).strip()
        elif name == "N":
            parts = [_unescape(p).strip() for p in _split_unescaped(value, ";")] + ["", ""]
            card.setdefault("last_name", parts[0])
            card.setdefault("first_name", parts[1])
        elif name == "ORG":
            card.setdefault("customer", _unescape(_split_unescaped(value, ";")[0]).strip())
        elif name == "TITLE":
            card.setdefault("title", _unescape(value).strip())
        elif name == "ROLE":
            card.setdefault("decision_role", _unescape(value).strip())
        elif name == "TEL":
            phone = _unescape(value).strip().removeprefix("tel:").replace("-", " ")
            preferred = any("PREF" in p or "CELL" in p for p in upper_params)
            if "phone" not in card or (preferred and not card.get("_phone_pref")):
                card["phone"] = phone
                card["_phone_pref"] = "1" if preferred else ""
        elif name == "EMAIL":
            card.setdefault("email", _unescape(value).strip().removeprefix("mailto:"))
        elif name == "NOTE":
            card.setdefault("note", _unescape(value).strip())
        elif name == "UID":
            uid = value.strip().removeprefix("urn:uuid:")
            try:
                card["id"] = str(uuid.UUID(uid))
            except ValueError:
                card["external_id"] = uid
    if card is not None:
        raise BadFile(Problem(source, opened, None, "this card has no END:VCARD"))
    return Sheet(source, list(VCARD_COLUMNS), rows, [])
