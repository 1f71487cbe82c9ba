"""JSON parsed within limits: nesting (MAX_JSON_DEPTH), the length of a number as
written (MAX_NUMBER_CHARS), no lone UTF-16 surrogates (`"\\ud800"` is valid JSON but
no text a database stores). Each refusal names the file, line and column, and
never quotes the file. Used by the JSON and JSON Lines readers and by `import all`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem
from salesbench.io.sheets import (
    MAX_JSON_DEPTH,
    MAX_NUMBER_CHARS,
    BadFile,
    cell_problem,
)


class Number(str):
    """A JSON number as the file writes it."""


class _LongNumber(ValueError):
    pass


def _number(text: str) -> Number:
    if len(text) > MAX_NUMBER_CHARS:
        raise _LongNumber(text)
    return Number(text)


def json_error(source: str, exc: json.JSONDecodeError, line: int | None = None) -> BadFile:
    """A JSON syntax error; `line` for JSON Lines, where each line is a document."""
    where = exc.lineno if line is None else line
    return BadFile(Problem(source, where, None, f"not valid JSON: {exc.msg}", column=exc.colno))


def loads(source: str, text: str, line: int | None = None, *, numbers: bool = True) -> Any:
    """`text` parsed, numbers as the text they are written as (`numbers`), else as
    Python's int and float; `line` is the line the text starts on (JSON Lines)."""
    try:
        if numbers:
            value = json.loads(text, parse_float=_number, parse_int=_number)
        else:
            value = json.loads(text, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise json_error(source, exc, line) from None
    except RecursionError:
        at, column = _deep_place(text)
        raise BadFile(Problem(source, at + (line or 1) - 1, None, _deep(), column)) from None
    except _LongNumber:
        at, column = _long_number_place(text)
        raise BadFile(
            Problem(
                source,
                at + (line or 1) - 1,
                None,
                f"a number longer than {MAX_NUMBER_CHARS} characters",
                column,
            )
        ) from None
    return value


def _int(text: str) -> int:
    return int(_number(text))


def _float(text: str) -> float:
    return float(_number(text))


def _deep() -> str:
    return f"nested more than {MAX_JSON_DEPTH} levels deep, the most an import reads"


def check_tree(source: str, value: Any, line: int = 1, where: str = "") -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and unusable text (a lone surrogate,
    a string past MAX_CELL_CHARS) anywhere in a parsed value; `where` names the part
    (as `tables.customer[3].name`)."""
    stack: list[tuple[Any, int, str]] = [(value, 1, where)]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_JSON_DEPTH:
                raise BadFile(Problem(source, line, path or None, _deep()))
            for key, inner in item.items():
                _check_text(source, key, line, path)
                if isinstance(inner, dict | list):
                    stack.append((inner, depth + 1, f"{path}.{_part(key)}" if path else key))
                elif isinstance(inner, str):
                    _check_text(source, inner, line, f"{path}.{_part(key)}" if path else key)
        elif isinstance(item, list):
            if depth > MAX_JSON_DEPTH:
                raise BadFile(Problem(source, line, path or None, _deep()))
            for index, inner in enumerate(item):
                if isinstance(inner, dict | list):
                    stack.append((inner, depth + 1, f"{path}[{index}]"))
                elif isinstance(inner, str):
                    _check_text(source, inner, line, f"{path}[{index}]")
        elif isinstance(item, str):
            _check_text(source, item, line, path)


def _part(key: str) -> str:
    return key if cell_problem(key) is None else "(a key)"


def _check_text(source: str, text: str, line: int, path: str) -> None:
    if text.isascii() and len(text) < 4096:
        return
    problem = cell_problem(text)
    if problem is not None:
        raise BadFile(Problem(source, line, path or None, problem))


def _deep_place(text: str) -> tuple[int, int]:
    """The line and column where nesting first passes MAX_JSON_DEPTH (an error path)."""
    depth, in_string, escaped = 0, False, False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return _place(text, i)
        elif ch in "]}":
            depth -= 1
    return 1, 1


_LONG_NUMBER = re.compile(r"-?\d[\d.eE+-]{" + str(MAX_NUMBER_CHARS) + ",}")


def _long_number_place(text: str) -> tuple[int, int]:
    found = _LONG_NUMBER.search(text)
    return _place(text, found.start()) if found else (1, 1)


def _place(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def read_utf8(path: Path, limit: int) -> str:
    """A UTF-8 file's text, refused past `limit` bytes or at its first byte that is not
    UTF-8 (named by line and column)."""
    from salesbench.io.bounded import open_binary, too_big
    from salesbench.io.encodings import byte_problem

    with open_binary(path) as raw:
        data = raw.read(limit + 1)
    if len(data) > limit:
        raise BadInput(too_big(str(path), limit))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(byte_problem(str(path), data, exc.start, "UTF-8")) from None
