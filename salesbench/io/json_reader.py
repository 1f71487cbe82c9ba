"""JSON (an array of objects) and JSON Lines (one object a line, read a line at a
time); syntax errors name their line and column. Numbers reach the importers as
the text the file writes (`1.50` stays `1.50`, never a float's `1.5`), and a
nested object or list stays JSON text, its numbers as written too."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from salesbench.core.importing import Problem, Sheet
from salesbench.io.encodings import open_text
from salesbench.io.json_limits import Number, check_tree, loads
from salesbench.io.sheets import BadFile, ReadOptions, cell_text


def read_json(source: str, path: Path, options: ReadOptions) -> Sheet:
    notes: list[str] = []
    text = open_text(source, path, options.encoding, notes, options.max_size)
    try:
        sheet = _json(source, text.read())
    finally:
        text.close()
    sheet.notes[:0] = notes
    return sheet


def read_jsonl(source: str, path: Path, options: ReadOptions) -> Sheet:
    notes: list[str] = []
    text = open_text(source, path, options.encoding, notes, options.max_size)
    try:
        sheet = _jsonl(source, text.lines())
    finally:
        text.close()
    sheet.notes[:0] = notes
    return sheet


def _cell(value: Any) -> str:
    if isinstance(value, Number):
        return str.__str__(value)
    if isinstance(value, dict | list):
        return _json_text(value)
    return cell_text(value)


def _json_text(value: Any) -> str:
    """JSON text of a parsed value, its numbers as the file wrote them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json_text(k)}: {_json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json_text(v) for v in value) + "]"
    if isinstance(value, Number):
        return str.__str__(value)
    return json.dumps(value, ensure_ascii=False)


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


def _json(source: str, text: str) -> Sheet:
    decoder = json.JSONDecoder(parse_float=Number, parse_int=Number)
    loads(source, text)  # refused whole, at its place, if it does not parse
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
        check_tree(source, value, line)
        records.append((line, value))
        pos = _skip_ws(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
    return _records_sheet(source, records)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _jsonl(source: str, lines: Iterable[str]) -> Sheet:
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        value = loads(source, line, number)
        if not isinstance(value, dict):
            raise BadFile(Problem(source, number, None, "expected an object", column=1))
        check_tree(source, value, number)
        records.append((number, value))
    return _records_sheet(source, records)
