"""Import planning: map a file's columns to our fields, parse every cell, and decide
per row whether it creates, updates, leaves alone or skips a record.

Pure: the caller reads the file (salesbench.io.readers) and supplies what is
stored as an `Index`; nothing here knows of files or SQL. Every problem names
the file, the line and the column, and all of them are collected before anyone
writes, so a file goes in whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from salesbench.core import fields as f
from salesbench.core import import_own as own
from salesbench.core import reach
from salesbench.core.enums import TaskStatus
from salesbench.core.errors import BadInput
from salesbench.core.import_amounts import Amounts
from salesbench.core.import_presets import FALLBACK, GENERIC, PRESETS, detect_preset, fold_header
from salesbench.core.import_problems import (
    SHOWN_PROBLEMS,
    Problem,
    Sheet,
    no_known_columns,
    problem_report,
    without_value,
)
from salesbench.core.import_values import (
    deal_closing_specs,
    external_id,
    import_date,
    import_datetime,
    uuid_value,
)

__all__ = ["SHOWN_PROBLEMS", "Problem", "Sheet", "problem_report", "without_value"]

KINDS = ("customers", "contacts", "opportunities", "activities", "tasks")
MODES = ("create", "update", "upsert")
ON_CONFLICT = ("skip", "update", "fail")

# The table each kind writes (customers may also write contacts).
TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "activities": "activity",
    "tasks": "task",
}


# ---------------------------------------------------------------- the kinds


TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.SKIPPED)


def _task_status(value: str) -> str:
    return str(f.choice(TaskStatus)(value))  # snoozed only with snoozed_until (import_own)


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
CUSTOMER_CONTACT = ("contact_name", "first_name", "last_name", "title", *reach.POINT_FIELDS)


def field_specs(kind: str, zone: tzinfo, date_format: str | None) -> dict[str, f.FieldSpec]:
    """The parsed fields of a row of `kind` (its model's columns, plus helpers)."""
    day, moment = import_date(date_format), import_datetime(zone, date_format)
    ext = {
        "external_id": f.FieldSpec(external_id),
        # which system external_id is an id of (default: the preset read with)
        "external_source": f.FieldSpec(f.line(32)),
    }
    if kind == "customers":
        specs = dict(f.CUSTOMER_FIELDS)
        specs["paused_until"] = f.FieldSpec(day)
        specs["contact_name"] = f.FieldSpec(f.line(200))
        specs["first_name"] = f.FieldSpec(f.line(100))
        specs["last_name"] = f.FieldSpec(f.line(100))
        specs["title"] = f.CONTACT_FIELDS["title"]
        specs.update(reach.import_specs("billing"))
        return {**specs, **ext}
    if kind == "contacts":
        specs = dict(f.CONTACT_FIELDS)
        specs["name"] = f.FieldSpec(f.line(200))  # or first + last name
        specs["first_name"] = f.FieldSpec(f.line(100))
        specs["last_name"] = f.FieldSpec(f.line(100))
        specs.update(reach.import_specs("other"))
        return {**specs, **ext}
    if kind == "opportunities":
        specs = dict(f.OPPORTUNITY_FIELDS)
        specs.pop("stage_key")  # the `stage` reference, read against the playbook
        specs["expected_close"] = f.FieldSpec(day)
        specs.update(deal_closing_specs(moment))
        return {**specs, **ext}
    if kind == "activities":
        specs = dict(f.ACTIVITY_FIELDS)
        specs["started_at"] = f.FieldSpec(moment, required=True)
        specs["ended_at"] = f.FieldSpec(moment)
        specs["next_step_date"] = f.FieldSpec(day)
        return {**specs, **ext}
    if kind == "tasks":
        return {
            "title": f.FieldSpec(f.line(300), required=True),
            "due_at": f.FieldSpec(moment),
            "status": f.FieldSpec(_task_status),
            "completed_at": f.FieldSpec(moment),
            **ext,
        }
    raise BadInput(f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")


def _ref_specs(kind: str) -> dict[str, f.FieldSpec]:
    specs = {name: f.FieldSpec(f.text(300)) for name in (*REFS[kind], *own.own_refs(kind))}
    specs["id"] = f.FieldSpec(uuid_value)
    for name in ("customer_id", "opportunity_id", "owner_id", "contact_id"):
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


def _preset_field(ours: str, known: set[str], taken: dict[str, str]) -> str | None:
    """A preset's field, or its general one while salesbench has no such field; None
    (a custom field: the column is kept) when that is taken by an earlier column."""
    if ours not in known:
        ours = FALLBACK.get(ours, "")
    return ours if ours in known and ours not in taken else None


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
    known |= set(own.own_specs(kind, UTC, None)) | set(own.own_refs(kind))
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
        if folded not in overrides and folded in tables[1]:
            ours = _preset_field(tables[1][folded], known, taken)
        if ours is None and header in own.ignored(kind):
            result.skipped.append(header)  # our export's; every import writes its own
            continue
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
    if not mapped and required and sheet.header:  # a record, not a header: never echoed
        return result, [no_known_columns(sheet.source, len(sheet.header), required[0])]
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
    custom: dict[str, Any]


class RowParser:
    """Parses a sheet's rows a chunk at a time (so an import need not hold every parsed
    row at once); what concerns whole columns (a money column's separators) is decided
    once, from all of the column's cells, when it is made. Problems collect in
    `problems`."""

    def __init__(
        self,
        kind: str,
        sheet: Sheet,
        columns: ColumnMap,
        *,
        zone: tzinfo,
        date_format: str | None = None,
        decimal: str | None = None,
        amounts: Amounts | None = None,  # settles each amount's currency; its notes say how
    ) -> None:
        specs = {**own.own_specs(kind, zone, date_format), **field_specs(kind, zone, date_format)}
        ref_specs = _ref_specs(kind)
        self.kind, self.sheet, self.columns = kind, sheet, columns
        self.problems: list[Problem] = []
        header = sheet.header
        is_ref = {name for name in ref_specs if name not in specs}
        self.plan: list[tuple[int, str, Callable[[str], Any], bool]] = []
        self.amounts = amounts = amounts or Amounts(None, kind)
        for i, name in columns.fields.items():
            parse = (specs.get(name) or ref_specs[name]).parse
            if parse is f.money:  # read per column: a cell alone cannot tell 2.500 from 2,500
                try:
                    parse = amounts.column(i, name, [cells[i] for _, cells in sheet.rows], decimal)
                except ValueError as exc:
                    self.problems.append(Problem(sheet.source, 1, header[i], str(exc), i + 1))
                    continue  # named once for the column, not once per cell
            if name == "custom" and not own.objects_column([cells[i] for _, cells in sheet.rows]):
                columns.custom[i] = header[i]  # a column of theirs that is called "custom"
                continue
            self.plan.append((i, name, parse, name in is_ref))
        self.required = [n for n, s in specs.items() if s.required and n in columns.fields.values()]
        self.custom_columns = [(i, header[i]) for i in columns.custom]

    def parse(
        self,
        lines: Iterable[tuple[int, list[str]]],
        progress: Callable[[int], None] | None = None,
    ) -> list[Row]:
        """The rows of `lines` that parse; the others' problems join `problems`."""
        problems = self.problems
        source, header, columns = self.sheet.source, self.sheet.header, self.columns
        plan, required, custom_columns = self.plan, self.required, self.custom_columns
        settle = self.amounts.settle
        rows: list[Row] = []
        for count, (line, cells) in enumerate(lines, start=1):
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
                    problems.append(Problem(source, line, header[index], message, index + 1))
                    bad = True
            wrong = None if bad else settle(cells, values)
            if wrong:  # an amount whose currency mark contradicts its row's currency
                problems.append(Problem(source, line, header[wrong[0]], wrong[1], wrong[0] + 1))
            if bad or wrong:
                continue
            for name in required:
                if name not in values:
                    column = next(header[i] for i, n in columns.fields.items() if n == name)
                    problems.append(Problem(source, line, column, "is required"))
                    bad = True
            if bad:
                continue
            try:
                custom = own.settle_row(self.kind, values, refs)
            except ValueError as exc:
                problems.append(Problem(source, line, exc.args[1], exc.args[0]))
                continue
            wrong_cells = own.custom_cells(custom, custom_columns, cells)  # as edit -f
            for i, message in wrong_cells:
                problems.append(Problem(source, line, header[i], message, i + 1))
            if not wrong_cells:
                rows.append(Row(line, values, refs, custom))
            if progress and count % 1000 == 0:
                progress(1000)
        if self.kind == "contacts":
            at = next((i + 1 for i, n in columns.fields.items() if n == "name"), None)
            for row in rows:
                _compose_name(row, "name")
                if not row.values.get("name"):
                    problems.append(Problem(source, row.line, "name", "is required", at))
            rows = [row for row in rows if row.values.get("name")]  # planned only when named
        if self.kind == "customers":
            for row in rows:
                _compose_name(row, "contact_name")
        return rows


def parse_rows(
    kind: str,
    sheet: Sheet,
    columns: ColumnMap,
    *,
    zone: tzinfo,
    date_format: str | None = None,
    decimal: str | None = None,
    progress: Callable[[int], None] | None = None,
    amounts: Amounts | None = None,  # settles each amount's currency; its notes say how
) -> tuple[list[Row], list[Problem]]:
    """Every row of the sheet at once (RowParser reads them a chunk at a time)."""
    parser = RowParser(
        kind, sheet, columns, zone=zone, date_format=date_format, decimal=decimal, amounts=amounts
    )
    rows = parser.parse(sheet.rows, progress)
    return rows, parser.problems


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
