"""Import planning: map a file's columns to our fields, parse every cell, and decide
per row whether it creates, updates, leaves alone or skips a record.

Pure: the caller reads the file (salesbench.io.readers) and supplies what is
stored as an `Index`; nothing here knows of files or SQL. Every problem names
the file, the line and the column, and all of them are collected before anyone
writes, so a file goes in whole or not at all.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from salesbench.core import fields as f
from salesbench.core.enums import OppStatus, TaskStatus
from salesbench.core.errors import BadInput
from salesbench.core.ids import short_id
from salesbench.core.import_presets import GENERIC, PRESETS, fold_header

KINDS = ("customers", "contacts", "opportunities", "activities", "tasks")
MODES = ("create", "update", "upsert")
ON_CONFLICT = ("skip", "update", "fail")
SHOWN_PROBLEMS = 20

# The table each kind writes (customers may also write contacts).
TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "activities": "activity",
    "tasks": "task",
}


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    field: str | None
    message: str
    column: int | None = None

    def render(self) -> str:
        place = f"{self.source}:{self.line}" + (f":{self.column}" if self.column else "")
        return (
            f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"
        )


def without_value(message: str, raw: str) -> str:
    """A problem with a cell, told without the cell's content: error output ends up in
    terminals, logs and chat, and the file holds customer data. Line and column say
    where to look."""
    message = message.replace(f"unknown value {raw!r}", "unknown value")
    message = message.replace(repr(raw), "the value")
    if len(raw) >= 3:
        message = message.replace(raw, "the value")
    return message


@dataclass
class Sheet:
    """A file as header and rows of text; `problems` found while reading it."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[Problem]


def problem_report(problems: list[Problem]) -> list[str]:
    """At most SHOWN_PROBLEMS lines, then how many more there are."""
    lines = [p.render() for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(problems) - SHOWN_PROBLEMS:,} more problems")
    return lines


# ---------------------------------------------------------------- value parsers


_LOOSE_DATE = re.compile(r"^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$")


def import_date(date_format: str | None) -> f.Parser:
    """ISO dates, `2026/11/23` and `2026年11月23日`; or exactly `date_format` when given."""

    def parse(value: str) -> date:
        value = value.strip()
        if date_format:
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                raise ValueError(f"{value!r} does not match --date-format {date_format}") from None
        loose = _LOOSE_DATE.match(value)
        if loose:
            value = "-".join((loose[1], loose[2].zfill(2), loose[3].zfill(2)))
        elif "T" in value or " " in value:
            value = value.replace("T", " ").split(" ")[0]  # a timestamp where a day is meant
        return f.iso_date(value)

    return parse


def import_datetime(zone: tzinfo, date_format: str | None) -> f.Parser:
    """ISO timestamps; one without an offset, or a bare date, is read in `zone`."""
    day = import_date(date_format)

    def parse(value: str) -> datetime:
        value = value.strip()
        parsed: datetime | None
        try:
            parsed = datetime.fromisoformat(value.replace("/", "-"))
        except ValueError:
            parsed = None
            if date_format:
                with contextlib.suppress(ValueError):
                    parsed = datetime.strptime(value, date_format)
            if parsed is None:
                try:
                    d = day(value)
                except ValueError:
                    raise ValueError(f"{value!r} is not a date and time") from None
                parsed = datetime(d.year, d.month, d.day)
        assert parsed is not None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)

    return parse


def external_id(value: str) -> str:
    value = value.strip()
    if len(value) > 128:
        raise ValueError("is longer than 128 characters")
    return value


def uuid_value(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a UUID") from None


# ---------------------------------------------------------------- the kinds


TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.SKIPPED)


def _task_status(value: str) -> str:
    found = f.choice(TaskStatus)(value)
    if found == TaskStatus.SNOOZED.value:
        raise ValueError("snoozed tasks cannot be imported; import them as open")
    return str(found)


_PARENT = ("customer", "customer_id", "customer_external_id")
_DEAL = ("opportunity_id", "opportunity_external_id")
REFS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "owner"),
    "contacts": ("id", "owner", *_PARENT),
    "opportunities": ("id", "owner", *_PARENT, "stage"),
    "activities": ("id", "owner", *_PARENT, *_DEAL, "contact"),
    "tasks": ("id", "owner", *_PARENT, *_DEAL),
}
# Columns of a customers file that describe its main contact.
CUSTOMER_CONTACT = ("contact_name", "first_name", "last_name", "title", "phone", "email")


def field_specs(kind: str, zone: tzinfo, date_format: str | None) -> dict[str, f.FieldSpec]:
    """The parsed fields of a row of `kind` (its model's columns, plus helpers)."""
    day, moment = import_date(date_format), import_datetime(zone, date_format)
    ext = {"external_id": f.FieldSpec(external_id)}
    if kind == "customers":
        specs = dict(f.CUSTOMER_FIELDS)
        specs["paused_until"] = f.FieldSpec(day)
        specs["contact_name"] = f.FieldSpec(f.text(200))
        specs["first_name"] = f.FieldSpec(f.text(100))
        specs["last_name"] = f.FieldSpec(f.text(100))
        specs["title"] = f.CONTACT_FIELDS["title"]
        specs["phone"] = f.CONTACT_FIELDS["phone"]
        specs["email"] = f.CONTACT_FIELDS["email"]
        return {**specs, **ext}
    if kind == "contacts":
        specs = dict(f.CONTACT_FIELDS)
        specs["name"] = f.FieldSpec(f.text(200))  # or first + last name
        specs["first_name"] = f.FieldSpec(f.text(100))
        specs["last_name"] = f.FieldSpec(f.text(100))
        return {**specs, **ext}
    if kind == "opportunities":
        specs = dict(f.OPPORTUNITY_FIELDS)
        specs.pop("stage_key")  # the `stage` reference, read against the playbook
        specs["expected_close"] = f.FieldSpec(day)
        return {**specs, **ext}
    if kind == "activities":
        specs = dict(f.ACTIVITY_FIELDS)
        specs["started_at"] = f.FieldSpec(moment, required=True)
        specs["ended_at"] = f.FieldSpec(moment)
        specs["next_step_date"] = f.FieldSpec(day)
        return {**specs, **ext}
    if kind == "tasks":
        return {
            "title": f.FieldSpec(f.text(300), required=True),
            "due_at": f.FieldSpec(moment),
            "status": f.FieldSpec(_task_status),
            "completed_at": f.FieldSpec(moment),
            **ext,
        }
    raise BadInput(f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")


def _ref_specs(kind: str) -> dict[str, f.FieldSpec]:
    specs = {name: f.FieldSpec(f.text(300)) for name in REFS[kind]}
    specs["id"] = f.FieldSpec(uuid_value)
    for name in ("customer_id", "opportunity_id"):
        if name in specs:
            specs[name] = f.FieldSpec(uuid_value)
    return specs


# ---------------------------------------------------------------- column mapping


@dataclass
class ColumnMap:
    fields: dict[int, str]  # column index -> our field (or reference)
    custom: dict[int, str]  # column index -> custom field key
    preset: str | None
    skipped: list[str]


def parse_map(pairs: Iterable[str]) -> dict[str, str]:
    """`--map our_field=Their Header` pairs, keyed by their folded header."""
    result: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise BadInput(f"expected our_field=Their Header, got {pair!r}", field="--map")
        result[fold_header(theirs)] = ours.strip()
    return result


def detect_preset(kind: str, header: list[str]) -> str | None:
    """The preset that recognises more of the headers than our own names do, if any."""
    folded = [fold_header(h) for h in header]
    generic = sum(1 for h in folded if h in GENERIC[kind])
    best, best_count = None, generic
    for name, tables in PRESETS.items():
        table = tables.get(kind, {})
        count = sum(1 for h in folded if h in table or h in GENERIC[kind])
        own = sum(1 for h in folded if h in table)
        if own >= 2 and count > best_count:
            best, best_count = name, count
    return best


def map_columns(
    kind: str,
    sheet: Sheet,
    *,
    preset: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip: Iterable[str] = (),
    strict: bool = False,
) -> tuple[ColumnMap, list[Problem]]:
    known = set(field_specs(kind, UTC, None)) | set(REFS[kind])
    problems: list[Problem] = []
    if preset is not None and preset not in PRESETS:
        raise BadInput(
            f"unknown preset {preset!r} (one of: {', '.join(PRESETS)})", field="--preset"
        )
    if preset is None:
        preset = detect_preset(kind, sheet.header)
    overrides = dict(mapping or {})
    for target in overrides.values():
        if target not in known:
            raise BadInput(
                f"{target!r} is not a field of {kind} (fields: {', '.join(sorted(known))})",
                field="--map",
            )
    skipping = {fold_header(s) for s in skip}
    tables = [overrides, PRESETS.get(preset or "", {}).get(kind, {}), GENERIC[kind]]
    result = ColumnMap({}, {}, preset, [])
    taken: dict[str, str] = {}
    ours: str | None
    for index, header in enumerate(sheet.header):
        folded = fold_header(header)
        if folded in skipping:
            result.skipped.append(header)
            continue
        ours = next((t[folded] for t in tables if folded in t), None)
        if ours is None and folded in {fold_header(k) for k in known}:
            ours = next(k for k in known if fold_header(k) == folded)
        if ours is not None and ours in taken:
            problems.append(
                Problem(
                    sheet.source,
                    1,
                    header,
                    f"is read as {ours}, and so is {taken[ours]!r}; "
                    f"--map the one you mean or --skip the other",
                )
            )
            continue
        if ours is not None:
            result.fields[index] = ours
            taken[ours] = header
        elif strict:
            problems.append(
                Problem(
                    sheet.source,
                    1,
                    header,
                    "unknown column (--map it, --skip it, or drop --strict)",
                )
            )
        else:
            result.custom[index] = header
    mapped = set(result.fields.values())
    required = [n for n, s in field_specs(kind, UTC, None).items() if s.required]
    if kind == "contacts" and "name" not in mapped and not {"first_name", "last_name"} & mapped:
        required.append("name")
    for name in required:
        if name not in mapped:
            problems.append(
                Problem(
                    sheet.source,
                    1,
                    name,
                    f"required column missing (header: {', '.join(sheet.header) or 'empty'}); "
                    f'--map {name}="Their Header"',
                )
            )
    return result, problems


# ---------------------------------------------------------------- rows


@dataclass
class Row:
    line: int
    values: dict[str, Any]  # parsed fields, only those given
    refs: dict[str, str]  # id, owner, customer, ... as written
    custom: dict[str, str]


def parse_rows(
    kind: str,
    sheet: Sheet,
    columns: ColumnMap,
    *,
    zone: tzinfo,
    date_format: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[Problem]]:
    specs = field_specs(kind, zone, date_format)
    ref_specs = _ref_specs(kind)
    problems: list[Problem] = []
    rows: list[Row] = []
    header = sheet.header
    is_ref = {name for name in ref_specs if name not in specs}
    plan = [
        (i, name, (specs.get(name) or ref_specs[name]).parse, name in is_ref)
        for i, name in columns.fields.items()
    ]
    required = [n for n, s in specs.items() if s.required and n in columns.fields.values()]
    custom_columns = [(i, header[i]) for i in columns.custom]
    for count, (line, cells) in enumerate(sheet.rows, start=1):
        values: dict[str, Any] = {}
        refs: dict[str, str] = {}
        bad = False
        for index, name, parse, ref in plan:
            raw = cells[index].strip()
            if not raw:
                continue
            try:
                if ref:
                    refs[name] = parse(raw)
                else:
                    values[name] = parse(raw)
            except ValueError as exc:
                message = without_value(str(exc), raw)
                problems.append(Problem(sheet.source, line, header[index], message, index + 1))
                bad = True
        if bad:
            continue
        for name in required:
            if name not in values:
                column = next(header[i] for i, n in columns.fields.items() if n == name)
                problems.append(Problem(sheet.source, line, column, "is required"))
                bad = True
        if bad:
            continue
        custom = {}
        for i, key in custom_columns:
            cell = cells[i].strip()
            if cell:
                custom[key] = cell
        rows.append(Row(line, values, refs, custom))
        if progress and count % 1000 == 0:
            progress(1000)
    if kind == "contacts":
        for row in rows:
            _compose_name(row, "name")
            if not row.values.get("name"):
                problems.append(Problem(sheet.source, row.line, "name", "is required"))
    if kind == "customers":
        for row in rows:
            _compose_name(row, "contact_name")
    return rows, problems


def _compose_name(row: Row, target: str) -> None:
    first, last = row.values.pop("first_name", None), row.values.pop("last_name", None)
    if row.values.get(target) or not (first or last):
        return
    if _is_cjk(first or "") or _is_cjk(last or ""):
        row.values[target] = f"{last or ''}{first or ''}"  # 王芳: family name first
    else:
        row.values[target] = " ".join(p for p in (first, last) if p)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---------------------------------------------------------------- identity


_COMPANY_SUFFIXES = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司|"
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|gmbh|plc|sa|ag)\b)",
)
_NOT_WORD = re.compile(r"[\W_]+")


def norm_name(value: str) -> str:
    """A company or person name as compared for duplicates."""
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).casefold()
    text = _COMPANY_SUFFIXES.sub(" ", text)
    return _NOT_WORD.sub("", text)


def norm_phone(value: str) -> str:
    """Digits only, without China's country code, so +86 138 0000 0000 == 13800000000."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def norm_email(value: str) -> str:
    return value.strip().casefold()


# Keys in the order they are tried; a match on a weak key where identifying
# fields disagree is a possible duplicate, never merged silently.
STRONG = ("id", "external_id", "email")
KEY_ORDER = ("id", "external_id", "email", "phone", "natural")


@dataclass
class Known:
    """A stored record (or one planned earlier in the same file), as matching sees it."""

    id: uuid.UUID
    label: str
    values: dict[str, Any]  # stored column values, for comparing and for before-images
    identity: dict[str, set[str]]  # key -> normalised values, e.g. {"email": {...}}
    line: int | None = None  # set for records planned from this file


@dataclass
class Index:
    by_key: dict[str, dict[str, list[Known]]] = field(
        default_factory=lambda: {k: {} for k in KEY_ORDER}
    )

    def add(self, known: Known) -> None:
        for key, values in known.identity.items():
            for value in values:
                if value:
                    self.by_key[key].setdefault(value, []).append(known)

    def find(self, identity: Mapping[str, set[str]]) -> tuple[Known, str] | None:
        for key, values in identity.items() if len(identity) == 1 else self._ordered(identity):
            table = self.by_key[key]
            for value in values if len(values) == 1 else sorted(values):
                hits = table.get(value)
                if hits:
                    return hits[0], key
        return None

    @staticmethod
    def _ordered(identity: Mapping[str, set[str]]) -> list[tuple[str, set[str]]]:
        return [(key, identity[key]) for key in KEY_ORDER if identity.get(key)]


def disagreement(known: Known, identity: Mapping[str, set[str]], key: str) -> str | None:
    """Why a weak match may be another record: an identifying value that differs."""
    if key in STRONG:
        return None
    for other in ("external_id", "email", "phone", "natural"):
        if other == key:
            continue
        mine, theirs = identity.get(other) or set(), known.identity.get(other) or set()
        if mine and theirs and not (mine & theirs):
            label = {"natural": "name"}.get(other, other.replace("_", " "))
            return f"same {'name' if key == 'natural' else key}, different {label}"
    return None


@dataclass
class Decision:
    verb: str  # create | update | unchanged | skip | duplicate | conflict
    known: Known | None = None
    key: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def decide(
    index: Index,
    identity: Mapping[str, set[str]],
    new_values: Mapping[str, Any],
    *,
    mode: str,
    on_conflict: str,
    updatable: Collection[str] | None = None,
) -> Decision:
    """What to do with one row, given what is stored and planned so far.

    `updatable` limits which of `new_values` an update may change."""
    found = index.find(identity)
    if found is None:
        if mode == "update":
            return Decision("skip", reason="no matching record (--mode update only updates)")
        return Decision("create")
    known, key = found
    doubt = disagreement(known, identity, key)
    if doubt:
        return Decision(
            "duplicate", known, key, reason=f"possible duplicate of {describe(known)}: {doubt}"
        )
    if known.line is not None:
        return Decision("skip", known, key, reason=f"repeats line {known.line} ({key})")
    if mode == "create":
        if on_conflict == "fail":
            return Decision(
                "conflict", known, key, reason=f"{describe(known)} exists (matched by {key})"
            )
        if on_conflict == "skip":
            return Decision(
                "skip", known, key, reason=f"{describe(known)} exists (matched by {key})"
            )
    if updatable is not None:
        new_values = {k: v for k, v in new_values.items() if k in updatable}
    changes = changed_values(known.values, new_values)
    if not changes:
        return Decision("unchanged", known, key)
    return Decision("update", known, key, changes)


def describe(known: Known) -> str:
    return f"{short_id(known.id)} ({known.label})"


def changed_values(stored: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The given values that differ from the stored ones; custom fields merge key by key."""
    changes: dict[str, Any] = {}
    for name, value in new.items():
        if name == "custom":
            merged = {**(stored.get("custom") or {}), **value}
            if merged != (stored.get("custom") or {}):
                changes["custom"] = merged
        elif stored.get(name) != value:
            changes[name] = value
    return changes


# ---------------------------------------------------------------- opportunities


_WON = {"won", "closedwon", "closed won", "赢单", "成交", "已成交"}
_LOST = {"lost", "closedlost", "closed lost", "输单", "丢单", "已丢单"}


def interpret_stage(
    raw: str, stages: list[tuple[str, str]] | None
) -> tuple[str | None, str | None]:
    """A stage as another CRM writes it: (our stage key, status it implies).

    "Closed Won"/"Closed Lost" close the deal; a stage of the playbook (by key or
    name) places it; anything else is an error with a playbook, and kept as a
    custom field without one.
    """
    folded = raw.strip().casefold()
    squashed = fold_header(raw)
    if folded in _WON or squashed in _WON:
        return None, OppStatus.WON.value
    if folded in _LOST or squashed in _LOST:
        return None, OppStatus.LOST.value
    if stages is None:
        return None, None
    for key, name in stages:
        if squashed in (fold_header(key), fold_header(name)):
            return key, None
    known = ", ".join(k for k, _ in stages)
    raise ValueError(
        f"no stage {raw.strip()!r} in the playbook (stages: {known}; or Closed Won/Lost)"
    )
