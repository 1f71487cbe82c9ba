"""Exports open cleanly in the programs people use, and carry no formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import count_rows, rows

pytestmark = pytest.mark.both_backends

DANGEROUS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def world(cli, db):
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "华东家具有限公司", "--annual-purchase", "1500000")
    for n in range(len(DANGEROUS)):
        cli("customer", "add", f"Co {n}")
    for n, value in enumerate(DANGEROUS):  # raw, as an import could bring them (the CLI
        rows(db, "UPDATE customer SET industry = ? WHERE name = ?", value, f"Co {n}")  # trims)
    cli(
        "contact",
        "add",
        "华东家具有限公司",
        "李雷",
        "--title",
        "采购总监, Purchasing; " + "very long title " * 8,
        "--phone",
        "+86 138 0000 0000",
        "--email",
        "lilei@example.cn",
        "--role",
        "decision_maker",
    )
    cli("contact", "add", "Co 0", "Anna Müller")
    cli("opp", "add", "华东家具有限公司", "Sofa", "--playbook", "retail-5", "--amount", "980000")
    return cli


def test_csv_neutralises_every_formula_start(world, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    assert world("export", "customers", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    industries = {r["name"]: r["industry"] for r in rows if r["name"].startswith("Co ")}
    assert industries == {f"Co {n}": "'" + v for n, v in enumerate(DANGEROUS)}
    first = next(r for r in rows if r["name"] == "华东家具有限公司")
    assert first["annual_purchase"] == "1500000.00" and first["grade"] == "A"
    assert first["owner_email"] == "wf@example.com"


def test_excel_flag_writes_a_byte_order_mark(world, tmp_path: Path) -> None:
    plain, excel = tmp_path / "p.csv", tmp_path / "e.csv"
    world("export", "customers", "--out", str(plain))
    world("export", "customers", "--out", str(excel), "--excel")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "华东家具有限公司" in excel.read_text(encoding="utf-8-sig")


def test_json_and_jsonl_match_the_database(world, db) -> None:
    data = json.loads(world("export", "opportunities", "--format", "json").stdout)
    assert len(data) == count_rows(db, "opportunity") == 1
    assert data[0]["amount"] == 980000.0 and data[0]["customer_name"] == "华东家具有限公司"
    lines = world("export", "tasks", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == count_rows(db, "task") == 4
    assert {json.loads(line)["customer_name"] for line in lines} == {"华东家具有限公司"}


def test_xlsx_opens_with_frozen_headers_and_number_formats(world, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "c.xlsx"
    assert world("export", "customers", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "kind", "name"] and sheet.freeze_panes == "A2"
    col = header.index("annual_purchase") + 1
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "华东家具有限公司")
    assert row[col - 1].value == 1500000.0 and row[col - 1].number_format == "#,##0.00"
    industries = {
        r[2].value: r[header.index("industry")].value
        for r in sheet.iter_rows(min_row=2)
        if str(r[2].value).startswith("Co ")
    }
    # text exactly as stored (a CR as OOXML's _x000D_, which XML would turn into LF),
    # in string cells, which no spreadsheet runs: no apostrophe is needed
    assert industries == {f"Co {n}": v.replace("\r", "_x000D_") for n, v in enumerate(DANGEROUS)}
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]


def test_vcard_with_several_contacts_folded_and_non_ascii(world, tmp_path: Path) -> None:
    out = tmp_path / "c.vcf"
    assert world("export", "contacts", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode("utf-8")
    assert text.count("BEGIN:VCARD") == 2 and text.count("VERSION:4.0") == 2
    unfolded = text.replace("\r\n ", "")
    assert "FN:李雷" in unfolded and "ORG:华东家具有限公司" in unfolded
    assert "TITLE:采购总监\\, Purchasing\\; very long title" in unfolded
    assert "FN:Anna Müller" in unfolded
    assert "TEL;VALUE=text;TYPE=voice:+86 138 0000 0000" in unfolded


def test_ics_parses_and_matches_the_queue(world, db) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(world("export", "tasks", "--format", "ics").stdout_bytes)
    todos = [c for c in calendar.walk("VTODO")]
    queue = json.loads(world("queue", "--json").output)
    shown = {t["id"]: t for s in queue["sections"] for g in s["groups"] for t in g["tasks"]}
    assert len(todos) == count_rows(db, "task") == len(shown) == 4
    for todo in todos:
        task_id = str(todo["uid"]).removesuffix("@salesbench")
        assert todo["due"].dt.isoformat() == shown[task_id]["due_at"]
        assert str(todo["summary"]).startswith(shown[task_id]["title"])
    events = Calendar.from_ical(
        world("export", "tasks", "--format", "ics", "--as-events").stdout_bytes
    )
    assert len(list(events.walk("VEVENT"))) == 4


def test_filters_and_bad_arguments(world, db) -> None:
    assert (
        len(
            json.loads(
                world("export", "customers", "--format", "json", "--since", "2026-11-24").stdout
            )
        )
        == 0
    )
    assert (
        len(
            json.loads(
                world("export", "customers", "--format", "json", "--rep", "wf@example.com").stdout
            )
        )
        == 7
    )
    assert world("export", "widgets").exit_code == 2
    assert world("export", "customers", "--format", "pdf").exit_code == 2
    assert world("export", "customers", "--format", "vcard").exit_code == 2
    assert world("export", "customers", "--since", "yesterday").exit_code == 2
    assert count_rows(db, "customer") == 7


def test_export_says_one_record_in_the_singular(cli, tmp_path) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme").exit_code == 0
    result = cli("export", "customers", "-o", str(tmp_path / "c.csv"))
    assert result.exit_code == 0, result.output
    assert "wrote 1 customer to" in result.output
