"""A workbook checked before calamine reads it: a regular file within --max-size, a
zip archive that unpacks within it too, no XML part declaring a DOCTYPE (entity
tricks: billion laughs, external entities; nothing is expanded or fetched), a
well-formed [Content_Types].xml, and each worksheet's used range within
MAX_SHEET_CELLS, with its cell references and shared-string indices well formed.

calamine builds a sheet as one dense grid from A1 to its last cell: a single cell
at XFD1048576 would ask for 17 billion cells and abort the process, so the range is
measured here from the cell references first. Every refusal names the file, and the
sheet part and cell where known; none quotes a cell.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from salesbench.core.errors import BadInput
from salesbench.io.sheets import MAX_SHEET_CELLS

MAX_COLUMNS = 16_384  # XFD, Excel's last column
MAX_SHEET_ROWS = 1_048_576  # Excel's last row

_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# a cell with a value (calamine leaves out cells that only carry a style)
_VALUE = rb'"[^>]*?(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b'
_CELL_COLUMN = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Za-z]{1,3})\d{1,7}' + _VALUE)
_CELL_ROW = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="[A-Za-z]{1,3}(\d{1,7})' + _VALUE)
_CHUNK = 4 << 20
_ANY_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([^"]*)"')
_GOOD_REF = re.compile(rb"[A-Z]{1,3}[1-9]\d{0,6}")
_BAD_SST = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="s"[^>]*?(?<!/)>\s*<(?:\w+:)?v>(?!\s*\d{1,9}\s*<)')


def not_workbook(source: str, why: str) -> BadInput:
    return BadInput(f"{source}: not an XLSX workbook ({why})")


def check_workbook(source: str, path: Path, limit: int) -> None:
    """Refuse what calamine must not be given; return when it may read the file."""
    from salesbench.io.bounded import too_big

    if not path.is_file():
        raise BadInput(f"{source}: not a regular file (an XLSX workbook is read from a file)")
    if path.stat().st_size > limit:
        raise BadInput(too_big(source, limit))
    try:
        archive = zipfile.ZipFile(path)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        raise not_workbook(source, "not a zip archive, or a damaged one") from None
    with archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > limit:
            raise BadInput(
                f"{source}: unpacks to more than the {limit:,} bytes an import reads "
                "(give --max-size to raise it)"
            )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise not_workbook(source, "no [Content_Types].xml")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            data = _part(source, archive, info, limit)
            if _DOCTYPE.search(data):
                raise not_workbook(
                    source, f"{info.filename} declares a DOCTYPE, which no workbook needs"
                )
            if info.filename == "[Content_Types].xml" or info.filename.endswith(".rels"):
                _well_formed(source, info.filename, data)
            if info.filename.startswith("xl/worksheets/"):
                _check_sheet(source, info.filename, data)


def _part(source: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise not_workbook(source, f"{info.filename} cannot be unpacked: {_first(exc)}") from None
    except RuntimeError:  # an encrypted member
        raise not_workbook(source, f"{info.filename} is encrypted") from None
    if len(data) > limit:
        raise BadInput(f"{source}: {info.filename} unpacks to more than {limit:,} bytes")
    return data


def _first(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _well_formed(source: str, name: str, data: bytes) -> None:
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise not_workbook(
            source, f"{name} is not well-formed XML (line {exc.lineno}, column {exc.offset + 1})"
        ) from None


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_sheet(source: str, name: str, data: bytes) -> None:
    for found in _ANY_REF.finditer(data):
        if not _GOOD_REF.fullmatch(found.group(1)):
            raise BadInput(
                f"{source}: {name}: a cell reference that names no cell "
                f"(after {_last_cell(data, found.start())}); the workbook is damaged"
            )
    bad = _BAD_SST.search(data)
    if bad:
        raise BadInput(
            f"{source}: {name}: a text cell (after {_last_cell(data, bad.start())}) whose "
            "shared-string index is not a number; the workbook is damaged"
        )
    rows = cols = start = 0
    while start < len(data):  # a piece at a time, cut between rows: bounded memory
        end = data.find(b"</row>", start + _CHUNK)
        end = len(data) if end < 0 else end
        rows = max([rows, *map(int, set(_CELL_ROW.findall(data, start, end)))])
        cols = max([cols, *map(column_number, set(_CELL_COLUMN.findall(data, start, end)))])
        start = end
    if cols > MAX_COLUMNS or rows > MAX_SHEET_ROWS:
        raise BadInput(
            f"{source}: {name}: a cell at column {cols:,}, row {rows:,}: past XFD1048576, "
            "the last cell of a sheet; the workbook is damaged"
        )
    if rows * cols > MAX_SHEET_CELLS:
        raise BadInput(
            f"{source}: {name}: its used range A1:{column_letters(cols)}{rows} holds "
            f"{rows * cols:,} cells, more than the {MAX_SHEET_CELLS:,} an import reads "
            "(delete the stray cells far from the data, or split the sheet)"
        )


def _last_cell(data: bytes, pos: int) -> str:
    """The last well-formed cell reference before `pos`, to say where to look."""
    before = [m.group(1) for m in _ANY_REF.finditer(data, max(0, pos - 4096), pos)]
    good = [ref for ref in before if _GOOD_REF.fullmatch(ref)]
    return f"cell {good[-1].decode()}" if good else "the start of the sheet"
