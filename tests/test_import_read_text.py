"""Reading text files: encodings detected (and refused when two read differently),
CR CR LF line ends, the export's formula guard taken off, files read a line at a
time, the format registry, and hostile files refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesbench.io import readers
from salesbench.io.readers import READERS, ReadOptions, guess_format, read_sheet
from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def test_cp1252_is_read_as_cp1252_never_as_gb18030_mojibake(rep, cli, db) -> None:
    path = FIXTURES / "read-cp1252-credito.csv"
    path.read_bytes().decode("gb18030")  # the trap: these bytes pair up as GB18030 too
    result = cli("import", "customers", str(path))
    assert result.exit_code == 0, result.output
    assert "read as cp1252 (detected)" in result.output
    assert sorted(rows(db, "SELECT name, industry FROM customer")) == [
        ("Banco de Crédito", "Finanzas"),
        ("Cafés Zürich", "Gastronomie"),
        ("Müller Logistik", "Logistik"),
    ]


def test_a_latin1_file_once_refused_now_comes_in_right(rep, cli, db) -> None:
    # wrong-encoding.csv was refused as "not UTF-8 or GB18030"; it is plain cp1252
    result = cli("import", "customers", str(FIXTURES / "wrong-encoding.csv"))
    assert result.exit_code == 0, result.output
    assert sorted(rows(db, "SELECT name FROM customer")) == [("Café Müller",), ("Good Co",)]


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("read-utf32.csv", "read as UTF-32 (byte-order mark)"),
        ("read-utf16le-nobom.csv", "read as UTF-16 (detected)"),
    ],
)
def test_utf32_and_utf16_without_a_mark(rep, cli, db, name, note) -> None:
    result = cli("import", "customers", str(FIXTURES / name))
    assert result.exit_code == 0, result.output
    assert note in result.output
    assert sorted(rows(db, "SELECT name, industry FROM customer")) == [
        ("Åsa Möbler", "Möbler"),
        ("北方建材", "建材"),
    ]


def test_two_encodings_reading_differently_are_refused_naming_both(rep, cli, db) -> None:
    path = str(FIXTURES / "read-ambiguous.csv")
    before = snapshot(db)
    result = cli("import", "customers", path)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "GB18030" in lines[0] and "Big5" in lines[0] and "--encoding" in lines[0]
    assert snapshot(db) == before
    chosen = cli("import", "customers", path, "--encoding", "big5")
    assert chosen.exit_code == 0, chosen.output
    assert rows(db, "SELECT name FROM customer") == [("中文",)]


def test_iphone_cr_cr_lf_is_one_line_break_and_the_formula_guard_comes_off(rep, cli, db) -> None:
    result = cli("import", "customers", str(FIXTURES / "read-iphone-crcrlf.csv"))
    assert result.exit_code == 0, result.output
    got = dict(rows(db, "SELECT name, industry FROM customer"))
    assert got["华东家具有限公司"] == "'Tis the season"  # an apostrophe of its own stays
    assert got["Acme Trading Co."] == "=SUM(A1)"  # the export's guard comes off
    assert json.loads(rows(db, "SELECT custom FROM customer WHERE name = 'Sam Ltd'")[0][0]) == {
        "notes": "first line\r\nsecond line"
    }
    phones = dict(rows(db, "SELECT name, phone FROM contact"))
    assert phones["李雷"] == "+86 138 0000 0001"
    assert phones["Jane Doe"] == "+1 415 555 0100"
    assert len(phones) == 3


def test_cr_cr_lf_line_numbers_are_not_doubled(rep, cli, db) -> None:
    before = snapshot(db)
    result = cli("import", "customers", str(FIXTURES / "read-iphone-bad-date.csv"))
    assert result.exit_code == 2
    assert "read-iphone-bad-date.csv:4:2: paused_until:" in result.output
    assert snapshot(db) == before


def test_csv_and_jsonl_are_read_a_line_at_a_time(monkeypatch, tmp_path) -> None:
    def whole(*_: object, **__: object) -> bytes:
        raise AssertionError("read the whole file")

    monkeypatch.setattr(Path, "read_bytes", whole)
    monkeypatch.setattr(Path, "read_text", whole)
    csv_path = tmp_path / "big.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write("name,industry\n")
        for n in range(5000):
            out.write(f"Firm {n},Trade\n")
    sheet = read_sheet(csv_path, ReadOptions())
    assert len(sheet.rows) == 5000 and sheet.rows[-1] == (5001, ["Firm 4999", "Trade"])
    jsonl = tmp_path / "big.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for n in range(3000):
            out.write(json.dumps({"name": f"Firm {n}"}) + "\n")
    assert len(read_sheet(jsonl, ReadOptions()).rows) == 3000


def test_a_bad_byte_past_the_sample_is_named_by_line(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"Firm {n},Trade\n" for n in range(80000))  # past the 1 MiB sample
    path.write_bytes(("name,industry\n" + body).encode() + b"Caf\xe9 Late,food\n")
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    assert "late.csv:80002:4: byte 0xE9 is not UTF-8 text" in result.output
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_the_registry_holds_each_format_whole(cli, monkeypatch, tmp_path) -> None:
    assert set(READERS) == {"csv", "json", "jsonl", "xlsx", "vcard", "ics"}
    for name, entry in READERS.items():
        assert entry.name == name and entry.help and entry.extensions
        for ext in entry.extensions:
            assert guess_format(Path("file" + ext.upper()), None) == name
    help_text = cli("import", "tasks", "--help").output
    assert all(name in help_text for name in READERS)
    # a new format is one entry: its extension, help and reader together
    sheet = readers.Sheet("x", ["name"], [(2, ["From TOML"])], [])
    entry = readers.Format("toml", (".toml",), "TOML tables", lambda source, path, options: sheet)
    monkeypatch.setitem(READERS, "toml", entry)
    path = tmp_path / "firms.toml"
    path.write_text("", encoding="utf-8")
    assert read_sheet(path, ReadOptions()) is sheet


HOSTILE = [
    ("read-empty.csv", "customers", "read-empty.csv:1: the file is empty"),
    ("read-binary.csv", "customers", "read-binary.csv:1:1: byte 0x00: a binary file, not text"),
    ("read-truncated-qp.vcf", "contacts", "read-truncated-qp.vcf:3: FN: the quoted-printable"),
    ("read-cut-qp.vcf", "contacts", "read-cut-qp.vcf:4: FN: the quoted-printable value is cut"),
    ("read-no-end.vcf", "contacts", "read-no-end.vcf:1: this card has no END:VCARD"),
    ("read-no-vtodo.ics", "tasks", "read-no-vtodo.ics:1: no to-dos (VTODO)"),
]


@pytest.mark.parametrize(("name", "kind", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_in_one_line(rep, cli, db, name, kind, message) -> None:
    before = snapshot(db)
    result = cli("import", kind, str(FIXTURES / name))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before
