"""What each export format writes, with hostile values: XLSX text that no spreadsheet
runs, vCards whose values cannot become properties, calendars on the right day."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from salesbench.io.export_vcard import split_name, text
from tests.conftest import count_rows, rows

DANGEROUS = ["=1+1", "+86 138 0000 0001", "-2+3", "@SUM(A1)", "\tTAB", '=HYPERLINK("x")']
INJECTION = "ok\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory\nTEL:1;x,y\\"


@pytest.fixture
def team(cli, db):
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")  # Asia/Shanghai
    cli("customer", "add", "华东家具有限公司")
    return cli


def _xlsx_sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_xlsx_writes_formula_like_text_as_string_cells_without_the_guard(
    team, db, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    for n, value in enumerate(DANGEROUS):
        team("customer", "add", f"Co {n}")
        rows(db, "UPDATE customer SET industry = ? WHERE name = ?", value, f"Co {n}")
    rows(db, "UPDATE customer SET size = ? WHERE name = 'Co 0'", "bell\x07and\x01nul")
    out = tmp_path / "c.xlsx"
    assert team("export", "customers", "--out", str(out)).exit_code == 0
    xml = _xlsx_sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml  # not one formula in the saved sheet
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    name, industry = header.index("name"), header.index("industry")
    found = {r[name].value: r[industry] for r in sheet.iter_rows(min_row=2)}
    for n, value in enumerate(DANGEROUS):
        assert found[f"Co {n}"].value == value  # exact: `+86…` keeps its plus, no apostrophe
        assert found[f"Co {n}"].data_type == "s"
    # a control character XML cannot carry is written as OOXML's escape, not a crash
    sizes = {r[name].value: r[header.index("size")].value for r in sheet.iter_rows(min_row=2)}
    assert sizes["Co 0"] == "bell_x0007_and_x0001_nul"


def test_csv_keeps_its_formula_guard(team, db, tmp_path: Path) -> None:
    for n, value in enumerate(DANGEROUS):
        team("customer", "add", f"Co {n}")
        rows(db, "UPDATE customer SET industry = ? WHERE name = ?", value, f"Co {n}")
    out = tmp_path / "c.csv"
    assert team("export", "customers", "--out", str(out)).exit_code == 0
    import csv
    import io

    read = csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline=""))
    industries = {r["name"]: r["industry"] for r in read}
    assert {industries[f"Co {n}"] for n in range(len(DANGEROUS))} == {"'" + v for v in DANGEROUS}


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("王芳", "王", "芳"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("司马相如", "司马", "相如"),
        ("李", "李", ""),
        ("Anna Maria Müller", "Müller", "Anna Maria"),
        ("  Tom   Smith ", "Smith", "Tom"),
        ("Madonna", "", "Madonna"),
        ("   ", "", ""),
    ],
)
def test_names_split_into_family_and_given(name: str, family: str, given: str) -> None:
    assert split_name(name) == (family, given)


def test_vcard_text_escapes_every_separator_and_line_break() -> None:
    assert text("a\\b,c;d\r\ne\rf\ng") == "a\\\\b\\,c\\;d\\ne\\nf\\ng"
    assert "\r" not in text(INJECTION) and "\n" not in text(INJECTION)


def _cards(raw: bytes) -> list[list[str]]:
    """The content lines of each card, unfolded; every physical line checked on the way."""
    physical = raw.split(b"\r\n")
    assert physical[-1] == b""
    assert all(len(line) <= 75 for line in physical)
    assert all(b"\r" not in line and b"\n" not in line for line in physical)
    unfolded = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
    cards: list[list[str]] = []
    for line in unfolded:
        assert re.match(r"^[A-Z][A-Z0-9-]*(;[^:]*)?:", line), line
        if line == "BEGIN:VCARD":
            cards.append([])
        cards[-1].append(line)
    return cards


def test_vcard_writes_n_and_fn_and_no_value_becomes_a_property(team, db, tmp_path: Path) -> None:
    team("contact", "add", "华东家具有限公司", "欧阳娜娜", "--phone", "+86 138 0000 0001")
    team("contact", "add", "华东家具有限公司", "Anna Müller", "--email", "anna@example.de")
    rows(
        db,
        "UPDATE contact SET title = ?, custom = ? WHERE name = 'Anna Müller'",
        INJECTION,
        json.dumps({"note": INJECTION}),
    )
    out = tmp_path / "c.vcf"
    assert team("export", "contacts", "--out", str(out)).exit_code == 0
    cards = _cards(out.read_bytes())
    assert len(cards) == count_rows(db, "contact") == 2
    by_name = {next(p for p in c if p.startswith("FN:")): c for c in cards}
    chinese, western = by_name["FN:欧阳娜娜"], by_name["FN:Anna Müller"]
    assert "N:欧阳;娜娜;;;" in chinese and "N:Müller;Anna;;;" in western
    assert "TEL;VALUE=text;TYPE=voice:+86 138 0000 0001" in chinese
    assert sum(line.startswith("FN:") for c in cards for line in c) == 2  # no FN:Mallory
    assert f"TITLE:{text(INJECTION)}" in western
    custom = next(p for p in western if p.startswith("X-SALESBENCH-CUSTOM:"))
    assert custom == "X-SALESBENCH-CUSTOM:" + text(json.dumps({"note": INJECTION}))
    ids = {r[0] for r in rows(db, "SELECT customer_id FROM contact")}
    assert all(f"X-SALESBENCH-CUSTOMER-ID:{uuid_text(i)}" in c for c in cards for i in ids)


def uuid_text(value: str) -> str:
    import uuid

    return str(uuid.UUID(value))


def test_vcard_of_a_name_that_is_only_spaces_is_still_well_formed(team, db, tmp_path: Path) -> None:
    team("contact", "add", "华东家具有限公司", "Placeholder")
    rows(db, "UPDATE contact SET name = '   '")
    out = tmp_path / "c.vcf"
    assert team("export", "contacts", "--out", str(out)).exit_code == 0
    (card,) = _cards(out.read_bytes())
    assert "FN:   " in card and "N:;;;;" in card
    # and an import says which line holds it, and writes nothing
    csv = tmp_path / "c.csv"
    assert team("export", "contacts", "--out", str(csv)).exit_code == 0
    before = count_rows(db, "contact")
    result = team("import", "contacts", str(csv))
    assert result.exit_code == 2
    assert re.search(r"c\.csv:2(:\d+)?: name: is required", result.output), result.output
    assert "Traceback" not in result.output
    assert count_rows(db, "contact") == before


def _tasks_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "tasks.csv"
    path.write_text("customer,title,due,status\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ics_counts_what_it_wrote_and_writes_day_dues_as_dates(team, db, tmp_path: Path) -> None:
    from icalendar import Calendar

    made = _tasks_file(
        tmp_path,
        [
            "华东家具有限公司,Send the quote,2026-12-03,open",
            "华东家具有限公司,Call back,2026-12-03T15:00:00+08:00,open",
            "华东家具有限公司,Old call,2026-11-02,done",
            "华东家具有限公司,Skipped call,2026-11-03,skipped",
        ],
    )
    assert team("import", "tasks", str(made)).exit_code == 0
    out = tmp_path / "t.ics"
    result = team("export", "tasks", "--out", str(out))
    assert result.exit_code == 0
    assert count_rows(db, "task") == 4
    assert "wrote 2 tasks" in result.output  # the open ones, not every task read
    raw = out.read_bytes().decode("utf-8")
    assert "DUE;VALUE=DATE:20261203\r\n" in raw  # the day, wherever it is read
    assert "DUE:20261203T070000Z\r\n" in raw  # a time, in UTC
    todos = list(Calendar.from_ical(raw).walk("VTODO"))
    assert len(todos) == 2
    stored = {r[0]: r[1] for r in rows(db, "SELECT title, id FROM task")}
    for todo in todos:
        title = str(todo["X-SALESBENCH-TITLE"])
        assert uuid_text(stored[title]) == str(todo["X-SALESBENCH-ID"])
        assert str(todo["X-SALESBENCH-STATUS"]) == "open"
        assert str(todo["X-SALESBENCH-OWNER"]) == "wf@example.com"
        assert re.fullmatch(r"\d{8}T\d{6}Z", todo["DTSTAMP"].to_ical().decode())
    events = tmp_path / "e.ics"
    result = team("export", "tasks", "--out", str(events), "--as-events")
    assert "wrote 2 tasks" in result.output
    calendar = Calendar.from_ical(events.read_bytes())
    day = next(e for e in calendar.walk("VEVENT") if "Send the quote" in str(e["summary"]))
    assert "DTSTART;VALUE=DATE:20261203" in day.to_ical().decode()


def test_ics_day_dues_follow_each_owners_timezone(team, db, tmp_path: Path) -> None:
    assert team("rep", "add", "Anna Müller", "anna@example.de").exit_code == 0
    rows(db, "UPDATE rep SET timezone = 'America/New_York' WHERE email = 'anna@example.de'")
    made = _tasks_file(tmp_path, ["华东家具有限公司,Send the quote,2026-12-03,open"])
    result = team("import", "tasks", str(made), "--rep", "anna@example.de")
    assert result.exit_code == 0, result.output
    rows(db, "UPDATE task SET owner_id = (SELECT id FROM rep WHERE email = 'anna@example.de')")
    ((due,),) = rows(db, "SELECT due_at FROM task")
    assert due.startswith("2026-12-03 05:00")  # midnight in New York
    raw = team("export", "tasks", "--format", "ics").stdout
    assert "DUE;VALUE=DATE:20261203" in raw
    # the same instant for a rep in Shanghai is 13:00 there: a time, not a day
    rows(db, "UPDATE task SET owner_id = (SELECT id FROM rep WHERE email = 'wf@example.com')")
    raw = team("export", "tasks", "--format", "ics").stdout
    assert "DUE:20261203T050000Z" in raw
