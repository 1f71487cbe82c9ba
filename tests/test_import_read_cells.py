"""Cells reaching the importers as exact text: XLSX read past a stale dimension
record, typed XLSX cells, JSON numbers as written, Excel serial dates, and date
problems that say which --date-format would read them."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from salesbench.core.import_values import import_date, import_datetime
from salesbench.io.readers import ReadOptions, read_sheet
from tests.conftest import rows, snapshot


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def _workbook(path: Path, rows_: list[list[object]], stale_ref: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows_:
        sheet.append(row)
    book.save(path)
    if stale_ref:  # what some exporters leave behind: a <dimension> that stops short
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        xml, n = re.subn(r'<dimension ref="[^"]*"', f'<dimension ref="{stale_ref}"', xml)
        assert n == 1
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def test_a_stale_dimension_record_does_not_truncate_the_sheet(rep, cli, db, tmp_path) -> None:
    path = _workbook(
        tmp_path / "stale.xlsx",
        [["name", "industry"], *[[f"Firm {n}", "Trade"] for n in range(1, 7)]],
        stale_ref="A1:B2",
    )
    result = cli("import", "customers", str(path))
    assert result.exit_code == 0, result.output
    assert sorted(r[0] for r in rows(db, "SELECT name FROM customer")) == [
        f"Firm {n}" for n in range(1, 7)
    ]


def test_typed_xlsx_cells_reach_the_parser_as_exact_text(rep, cli, db, tmp_path) -> None:
    path = _workbook(
        tmp_path / "typed.xlsx",
        [
            ["name", "annual_purchase", "paused_until", "industry", "score", "seen"],
            [
                "Int Co",
                35000,
                date(2026, 12, 3),
                "'=not a formula",
                0.25,
                datetime(2026, 1, 2, 9, 30),
            ],
        ],
    )
    sheet = read_sheet(path, ReadOptions())
    assert sheet.rows == [
        (2, ["Int Co", "35000", "2026-12-03", "'=not a formula", "0.25", "2026-01-02T09:30:00"])
    ]
    assert cli("import", "customers", str(path)).exit_code == 0
    got = rows(db, "SELECT annual_purchase, paused_until, industry FROM customer")
    # an XLSX text cell is never run as a formula: its apostrophe is its own
    assert got == [(3500000, "2026-12-03", "'=not a formula")]


def test_json_numbers_come_as_written_and_nested_objects_stay_json(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "firms.json"
    path.write_text(
        '[{"name": "Exact Co", "annual_purchase": 1234.50, "external_id": 1.0,'
        ' "profile": {"score": 1.50, "tags": ["a", 2.0]}}]',
        encoding="utf-8",
    )
    sheet = read_sheet(path, ReadOptions())
    assert sheet.rows == [
        (1, ["Exact Co", "1234.50", "1.0", '{"score": 1.50, "tags": ["a", 2.0]}'])
    ]
    lines = tmp_path / "firms.jsonl"
    lines.write_text('{"name": "Line Co", "annual_purchase": 99.90}\n', encoding="utf-8")
    assert read_sheet(lines, ReadOptions()).rows == [(1, ["Line Co", "99.90"])]
    assert cli("import", "customers", str(path)).exit_code == 0
    name, amount, external, custom = rows(
        db, "SELECT name, annual_purchase, external_id, custom FROM customer"
    )[0]
    assert (name, amount, external) == ("Exact Co", 123450, "1.0")
    assert json.loads(custom) == {"profile": '{"score": 1.50, "tags": ["a", 2.0]}'}


def test_excel_serial_dates_in_date_and_datetime_fields() -> None:
    day = import_date(None)
    assert day("45658") == date(2025, 1, 1)
    assert day("45658.0") == date(2025, 1, 1)
    with pytest.raises(ValueError):
        day("45658.5")  # a time of day where a day is meant
    with pytest.raises(ValueError):
        day("1500")  # a number, not a serial date
    moment = import_datetime(UTC, None)
    assert moment("45658") == datetime(2025, 1, 1, tzinfo=UTC)
    assert moment("45658.75") == datetime(2025, 1, 1, 18, 0, tzinfo=UTC)
    assert import_date("%d/%m/%Y")("45658") == date(2025, 1, 1)


def test_serial_dates_import_in_the_reps_zone(rep, cli, db, tmp_path) -> None:
    firms = tmp_path / "firms.csv"
    firms.write_text("name,paused_until\nSerial Co,45658\n", encoding="utf-8")
    assert cli("import", "customers", str(firms)).exit_code == 0
    assert rows(db, "SELECT paused_until FROM customer") == [("2025-01-01",)]
    tasks = tmp_path / "tasks.csv"
    tasks.write_text("customer,title,due\nSerial Co,Call,45658.5\n", encoding="utf-8")
    assert cli("import", "tasks", str(tasks)).exit_code == 0
    # noon in Asia/Shanghai is 04:00 UTC
    assert rows(db, "SELECT due_at FROM task") == [("2025-01-01 04:00:00.000000",)]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("01/02/2026", "ambiguous: --date-format %d/%m/%Y or %m/%d/%Y"),
        ("13.02.2026", "--date-format %d.%m.%Y reads it"),
        ("02/13/26", "--date-format %m/%d/%y reads it"),
    ],
)
def test_date_problems_say_which_date_format_reads_them(
    rep, cli, db, tmp_path, value, hint
) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(f"name,paused_until\nDate Co,{value}\n", encoding="utf-8")
    before = snapshot(db)
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    assert "firms.csv:2:2: paused_until: the value is not a date: " in result.output
    assert hint in result.output
    assert snapshot(db) == before
    fmt = hint.split("--date-format ")[1].split(" ")[0]
    assert cli("import", "customers", str(path), "--date-format", fmt).exit_code == 0
    assert rows(db, "SELECT paused_until FROM customer") != [(None,)]


def test_xlsx_problems_name_the_sheets_own_row(rep, cli, db, tmp_path) -> None:
    path = _workbook(
        tmp_path / "offset.xlsx",
        [
            [],
            [],
            [None, "name", "paused_until"],
            [None, "A Co", "2026-01-01"],
            [None, "B Co", "soon"],
        ],
    )
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    assert "offset.xlsx:5:3: paused_until: the value is not a date" in result.output
