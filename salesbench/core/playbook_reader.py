"""The parts of reading a playbook's TOML that every section shares: problems with
their place, finding a value's line and column, and typed reads of values.

tomllib gives values without positions, so each problem carries the path of
the value (("stages", 2, "tasks", 0, "due")) and `Locator` finds that path's
line and column in the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from salesbench.core.durations import Duration, parse_duration
from salesbench.core.errors import BadInput
from salesbench.core.playbook import Chain, FieldDef

Path_ = tuple[str | int, ...]

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}:{self.column}: {self.message}"


class PlaybookInvalid(BadInput):
    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        first = problems[0].format(filename)
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more)


class Locator:
    """Maps a value's path to (line, column) in TOML written with [[tables]] or inline."""

    def __init__(self, text: str) -> None:
        self.text = text

    # Built on the first problem to place: a valid playbook (every one the queue loads)
    # never needs them, and the scan was a tenth of the workbench's first paint.
    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def headers(self) -> list[tuple[int, bool, str]]:
        """(line index, is_array, name) of every [table] and [[array]] header."""
        found = []
        for i, line in enumerate(self.lines):
            m = HEADER.match(line)
            if m and not line.lstrip().startswith(("#",)) and "=" not in line.split("]")[0]:
                found.append((i, m.group(1) == "[[", m.group(2).replace('"', "").strip()))
        return found

    def _block_end(self, start: int, name: str, limit: int) -> int:
        for i, _array, other in self.headers:
            if start < i < limit and not (other.startswith(name + ".")):
                return i
        return limit

    def locate(self, path: Path_) -> tuple[int, int]:
        lo, hi, prefix = 0, len(self.lines), ""
        own_end = self._first_header_after(lo, hi)
        i = 0
        while i < len(path):
            key = path[i]
            if isinstance(key, int):
                i += 1
                continue
            name = f"{prefix}.{key}" if prefix else key
            nxt = path[i + 1] if i + 1 < len(path) else None
            if isinstance(nxt, int):
                matches = [h for h in self.headers if h[1] and h[2] == name and lo <= h[0] < hi]
                if nxt < len(matches):
                    start = matches[nxt][0]
                    lo, hi = start, self._block_end(start, name, hi)
                    prefix, own_end = name, self._first_header_after(start, hi)
                    i += 2
                    continue
            elif nxt is not None:
                tables = [h for h in self.headers if not h[1] and h[2] == name and lo <= h[0] < hi]
                if tables:
                    start = tables[0][0]
                    lo, hi = start, self._block_end(start, name, hi)
                    prefix, own_end = name, self._first_header_after(start, hi)
                    i += 1
                    continue
            return self._key_line(key, lo, own_end)
        return lo + 1, 1

    def _first_header_after(self, start: int, limit: int) -> int:
        for i, _array, _name in self.headers:
            if start < i < limit:
                return i
        return limit

    def _key_line(self, key: str, lo: int, hi: int) -> tuple[int, int]:
        pattern = re.compile(rf"^(\s*)\"?{re.escape(key)}\"?\s*=")
        for i in range(lo, min(hi, len(self.lines))):
            m = pattern.match(self.lines[i])
            if m:
                return i + 1, len(m.group(1)) + 1
        for i in range(lo, min(hi, len(self.lines))):  # a key inside an inline table
            col = self.lines[i].find(f"{key} =")
            if col < 0:
                col = self.lines[i].find(f"{key}=")
            if col >= 0:
                return i + 1, col + 1
        return lo + 1, 1


class Reader:
    """Pulls typed values out of the parsed TOML, collecting problems instead of raising."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str) -> None:
        line, column = self.locator.locate(path)
        self.problems.append(Problem(line, column, message))

    def table(self, data: Any, path: Path_, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.problem(path, f"{path_name(path)} must be a table")
            return {}
        for key in sorted(set(data) - allowed):
            self.problem(
                (*path, key),
                f"unknown key {key!r} in {path_name(path) or 'the file'} "
                f"(allowed: {', '.join(sorted(allowed))})",
            )
        return data

    def list_of_tables(self, data: dict[str, Any], key: str, path: Path_) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem((*path, key), f"{key} must be an array of tables ([[{key}]])")
            return []
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: Path_,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, f"{path_name(path) or 'the file'} needs {key!r}")
            return default
        if not isinstance(value, str):
            self.problem((*path, key), f"{key} must be a string")
            return default
        if required and not value.strip():
            self.problem((*path, key), f"{key} must not be empty")
        return value

    def ident(self, data: dict[str, Any], key: str, path: Path_) -> str:
        value = self.text(data, key, path, required=True)
        if value and not KEY.match(value):
            self.problem(
                (*path, key), f"{key} {value!r} must be lower-case letters, digits, '_' or '-'"
            )
        return value

    def strings(self, data: dict[str, Any], key: str, path: Path_) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem((*path, key), f"{key} must be a list of strings")
            return ()
        return tuple(value)

    def boolean(self, data: dict[str, Any], key: str, path: Path_, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), f"{key} must be true or false")
            return default
        return value

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: Path_,
        *,
        lo: float,
        hi: float,
        integer: bool = False,
    ) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (integer and not isinstance(value, int))
        ):
            self.problem((*path, key), f"{key} must be a {'whole ' if integer else ''}number")
            return None
        if not lo <= value <= hi:
            self.problem((*path, key), f"{key} must be between {lo:g} and {hi:g}, got {value}")
            return None
        return value

    def duration(self, data: dict[str, Any], key: str, path: Path_) -> Duration | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem((*path, key), f'{key} must be a duration string such as "P3D"')
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.problem((*path, key), f"{key}: {exc}")
            return None


def path_name(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def unique_keys(reader: Reader, items: list[tuple[str, Path_]], what: str) -> None:
    seen: dict[str, Path_] = {}
    for key, path in items:
        if not key:
            continue
        if key in seen:
            line, _ = reader.locator.locate(seen[key])
            reader.problem(path, f"duplicate {what} key {key!r} (first defined on line {line})")
        else:
            seen[key] = path


def references(
    reader: Reader,
    data: dict[str, Any],
    path: Path_,
    owner: str,
    field_keys: set[str],
    script_keys: set[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A task's or rule's `complete_when` fields and `scripts`, each checked to exist."""
    complete_when = reader.strings(data, "complete_when", path)
    for name in complete_when:
        if name not in field_keys:
            reader.problem(
                (*path, "complete_when"), f"{owner}: complete_when names an unknown field {name!r}"
            )
    scripts = reader.strings(data, "scripts", path)
    for name in scripts:
        if name not in script_keys:
            reader.problem((*path, "scripts"), f"{owner}: no script {name!r}")
    return complete_when, scripts


def chains(reader: Reader, data: dict[str, Any], path: Path_) -> tuple[Chain, ...]:
    chains: list[Chain] = []
    for mode in ("trigger", "suggest"):
        spec = data.get(mode)
        if spec is None:
            continue
        specs = spec if isinstance(spec, list) else [spec]
        for item in specs:
            entry = reader.table(item, (*path, mode), {"task", "after"})
            task = reader.text(entry, "task", (*path, mode), required=True)
            after = reader.duration(entry, "after", (*path, mode)) or parse_duration("P0D")
            if task:
                chains.append(Chain(task, after, mode))
    return tuple(chains)


MAX_DEPTH = 16  # arrays and tables inside one another; the bundled playbooks use 3


_TOKENS = re.compile(r"\"\"\"|'''|\\.|[\"'#\[\]{}\n]", re.DOTALL)


def too_deep(text: str) -> Problem | None:
    """The first bracket of `text` that nests arrays or inline tables deeper than
    MAX_DEPTH, found before the TOML parser, which recurses once per level. Brackets
    in strings and comments do not count."""
    depth, quote, comment = 0, "", False  # quote: the open string's delimiter
    for m in _TOKENS.finditer(text):
        tok = m.group()
        if comment:
            comment = tok != "\n"
        elif quote:
            if tok == "\n":
                quote = quote if len(quote) == 3 else ""  # the parser reports the rest
            elif tok[0] == "\\" and quote[0] == "'":  # no escapes in literal strings
                if text.startswith(quote, m.start() + 1):
                    quote = ""
            elif tok == quote or (len(quote) == 1 and tok == quote * 3):
                quote = ""
        elif tok == "#":
            comment = True
        elif tok in ('"', "'", '"""', "'''"):
            quote = tok
        elif tok in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                return Problem(line, column, f"nested deeper than {MAX_DEPTH} levels")
        elif tok in "]}":
            depth = max(depth - 1, 0)
    return None


def nesting(data: Any) -> int:
    """`deepest`'s depth without its path (needed only for a playbook refused)."""
    best = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        best = max(best, depth + 1 if children else depth)
        stack += [(v, depth + 1) for v in children if isinstance(v, (dict, list))]
    return best


def deepest(data: Any) -> tuple[int, Path_]:
    """How deep the parsed tables and arrays go (dotted keys nest without brackets), and
    the path to the deepest value."""
    best: tuple[int, Path_] = (0, ())
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > best[0]:
            best = (len(path), path)
        if isinstance(value, dict):
            stack += [(v, (*path, k)) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, (*path, k)) for k, v in enumerate(value)]
    return best


def read_choices(
    reader: Reader, data: dict[str, Any], path: Path_
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A field's `choices`: keys (`["sofa", "bed"]`) or `{ key, label }` tables, whose
    label is what scripts and forms show in the playbook's language. Returns (keys, labels);
    labels is empty when the choices are plain keys."""
    raw = data.get("choices", [])
    if not isinstance(raw, list) or not all(isinstance(v, str | dict) for v in raw):
        reader.problem(
            (*path, "choices"), "choices must be a list of keys or { key, label } tables"
        )
        return (), ()
    if all(isinstance(v, str) for v in raw):
        return tuple(raw), ()
    keys: list[str] = []
    labels: list[str] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            keys.append(item)
            labels.append(item)
            continue
        table = reader.table(item, (*path, "choices", i), {"key", "label"})
        key = reader.text(table, "key", (*path, "choices", i), required=True)
        keys.append(key)
        labels.append(reader.text(table, "label", (*path, "choices", i)) or key)
    return tuple(keys), tuple(labels)


def read_requires(
    reader: Reader, data: dict[str, Any], path: Path_, key: str, fields: list[FieldDef]
) -> tuple[str, ...]:
    """A script's `requires`: the fields whose facts it states; each must be declared."""
    requires = reader.strings(data, "requires", path)
    known = {f.key for f in fields}
    for name in requires:
        if name not in known:
            reader.problem(
                (*path, "requires"), f"script {key!r}: requires names no field: {name!r}"
            )
    return requires
