"""JSON (an array of objects) and JSON Lines (one object a line); syntax errors name
their line and column."""

from __future__ import annotations

import json
from typing import Any

from salesbench.core.importing import Problem, Sheet
from salesbench.io.sheets import BadFile, ReadOptions, cell_text, decode


def read_json(source: str, data: bytes, options: ReadOptions) -> Sheet:
    return _json(source, decode(source, data, options))


def read_jsonl(source: str, data: bytes, options: ReadOptions) -> Sheet:
    return _jsonl(source, decode(source, data, options))


def _records_sheet(source: str, records: list[tuple[int, dict[str, Any]]]) -> Sheet:
    header: list[str] = []
    known: set[str] = set()
    for _, record in records:
        for key in record:
            if key not in known:
                known.add(key)
                header.append(key)
    rows = [(line, [cell_text(record.get(k)) for k in header]) for line, record in records]
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
