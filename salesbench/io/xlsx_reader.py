"""XLSX workbooks: the first sheet, or the one --sheet names; values as shown."""

from __future__ import annotations

import io

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem, Sheet
from salesbench.io.sheets import BadFile, ReadOptions, cell_text, tidy


def read(source: str, data: bytes, options: ReadOptions) -> Sheet:
    return _xlsx(source, data, options)


def _xlsx(source: str, data: bytes, options: ReadOptions) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadInput(f"{source}: not an XLSX workbook ({exc})") from None
    try:
        if options.sheet and options.sheet not in book.sheetnames:
            raise BadInput(
                f"no sheet {options.sheet!r} (sheets: {', '.join(book.sheetnames)})",
                field="--sheet",
            )
        ws = book[options.sheet] if options.sheet else book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v).strip() if isinstance(v, str) else cell_text(v) for v in values]
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
    return tidy(source, header, rows, [])
