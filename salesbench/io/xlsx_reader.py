"""XLSX workbooks: the first sheet, or the one --sheet names.

Read with calamine, which reads every row there is (a workbook's `<dimension>`
record may be stale: openpyxl's read-only mode trusts it and stops short). Typed
cells reach the importers as exact text: whole numbers without `.0`, other
numbers by their shortest repr, dates as YYYY-MM-DD and date-times in ISO form.
Text cells are taken as they are: a spreadsheet cell holding text is never run
as a formula, so there is no formula guard to take off.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet
from salesbench.io.sheets import MAX_ROWS, BadFile, ReadOptions, cell_text, tidy, too_many_rows
from salesbench.io.xlsx_parts import check_workbook


def read(source: str, path: Path, options: ReadOptions) -> Sheet:
    check_workbook(source, path, options.max_size)
    try:
        return _read(source, path, options)
    except BaseException as exc:  # calamine's Rust panics are BaseExceptions
        if type(exc).__name__ != "PanicException":
            raise
        raise BadInput(f"{source}: the workbook cannot be read ({_reason(exc)})") from None


def _read(source: str, path: Path, options: ReadOptions) -> Sheet:
    from python_calamine import (
        CalamineError,
        CalamineWorkbook,
        SheetTypeEnum,
        WorksheetNotFound,
    )

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise BadInput(f"{source}: not an XLSX workbook ({_reason(exc)})") from None
    with book:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if book.sheet_names and not names:
            raise BadFile(
                Problem(source, 1, None, "the workbook has no worksheet (only charts or macros)")
            )
        if options.sheet and options.sheet not in names:
            raise BadInput(
                f"no sheet {options.sheet!r} (sheets: {', '.join(names)})", field="--sheet"
            )
        if not names:
            raise BadFile(Problem(source, 1, None, "the workbook has no sheets"))
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        try:
            sheet = book.get_sheet_by_name(options.sheet or names[0])
            # a row at a time from row 1; calamine leaves out the columns before the
            # first one used: put them back, so a column number is the sheet's own
            lead = [""] * (sheet.start[1] if sheet.start else 0)
            for number, row in enumerate(sheet.iter_rows(), start=1):
                cells = lead + [_text(v) for v in row]
                if not any(cells):
                    continue
                if header is None:
                    header = cells
                else:
                    rows.append((number, cells))
                    if len(rows) > MAX_ROWS:
                        raise too_many_rows(source, number)
        except WorksheetNotFound:
            shown = options.sheet or names[0]
            raise BadInput(
                f"{source}: the sheet {shown!r} is listed but missing; the workbook is damaged"
            ) from None
        except CalamineError as exc:
            shown = options.sheet or names[0]
            raise BadInput(
                f"{source}: the sheet {shown!r} cannot be read ({_reason(exc)})"
            ) from None
    if header is None:
        raise BadFile(Problem(source, 1, None, "the sheet is empty: no header row"))
    return tidy(source, header, rows, [])


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return cell_text(value)
