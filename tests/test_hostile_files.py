# ruff: noqa: E501  (the corpus is a table: one hostile file a line)
"""A corpus of hostile import files, generated here (nothing downloaded): damaged
workbooks, entity tricks, deep JSON, long numbers, lone surrogates, truncated
UTF-16, oversized cells, endless input. Each is refused with exit 2 and one
`salesbench: error:` line naming the file (and its place where known), never a
traceback or "internal error", never quoting the customer data it holds, and
nothing is written. tests/test_fuzz_files.py uses the corpus as its seeds."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import snapshot

SECRET = "Zhang Secretname"  # the customer data no error message may show
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
    '<sheet name="customers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font/>'
    '</fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>'
)
_SST = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="4" uniqueCount="4">'
    f"<si><t>name</t></si><si><t>phone</t></si><si><t>{SECRET}</t></si>"
    "<si><t>13800000000</t></si></sst>"
)
GOOD_CELLS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
)
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def worksheet(cells: str = GOOD_CELLS, doctype: str = "") -> str:
    return f'{_DECL}{doctype}<worksheet xmlns="{NS}"><sheetData>{cells}</sheetData></worksheet>'


def workbook(**parts: str | None) -> bytes:
    """A small XLSX written part by part: `parts` replaces (or, with None, drops)
    the named ones ("[Content_Types].xml", "xl/workbook.xml", ...)."""
    files: dict[str, str | None] = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WB,
        "xl/_rels/workbook.xml.rels": _WB_RELS,
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": _SST,
        "xl/worksheets/sheet1.xml": worksheet(),
    }
    files.update(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            if text is not None:
                archive.writestr(name, text)
    return out.getvalue()


def _cells(second_row: str) -> str:
    return f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{second_row}</row>'


_CHART_WB = _WB.replace('name="customers"', 'name="Chart1"')
_CHART_RELS = _WB_RELS.replace(
    '/worksheet" Target="worksheets/sheet1.xml', '/chartsheet" Target="chartsheets/sheet1.xml'
)

# name -> (file name, bytes, what the one error line says)
XLSX: dict[str, tuple[str, bytes, str]] = {
    "bad sheet XML": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": "<worksheet><she"}), "sheet 'customers' cannot be read"),
    "bad workbook XML": ("b.xlsx", workbook(**{"xl/workbook.xml": "<workbook><sheets><sh"}), "not an XLSX workbook"),
    "bad styles XML": ("b.xlsx", workbook(**{"xl/styles.xml": "<styleSheet><cellXfs"}), "not an XLSX workbook"),
    "bad content types XML": ("b.xlsx", workbook(**{"[Content_Types].xml": "<Types><Over"}), "[Content_Types].xml is not well-formed XML (line 1, column"),
    "no content types": ("b.xlsx", workbook(**{"[Content_Types].xml": None}), "no [Content_Types].xml"),
    "bad rels XML": ("b.xlsx", workbook(**{"_rels/.rels": "<Relationships><R"}), "_rels/.rels is not well-formed XML"),
    "billion laughs in shared strings": ("b.xlsx", workbook(**{"xl/sharedStrings.xml": _SST.replace(_DECL, _DECL + LAUGHS).replace(f"<t>{SECRET}</t>", "<t>&lol9;</t>")}), "xl/sharedStrings.xml declares a DOCTYPE"),
    "billion laughs in the sheet": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c>'), LAUGHS)}), "xl/worksheets/sheet1.xml declares a DOCTYPE"),
    "external entity in shared strings": ("b.xlsx", workbook(**{"xl/sharedStrings.xml": _SST.replace(_DECL, _DECL + XXE).replace(f"<t>{SECRET}</t>", "<t>&xxe;</t>")}), "declares a DOCTYPE"),
    "external entity in the sheet": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c>'), XXE)}), "declares a DOCTYPE"),
    "external entity in content types": ("b.xlsx", workbook(**{"[Content_Types].xml": _CT.replace(_DECL, _DECL + XXE)}), "[Content_Types].xml declares a DOCTYPE"),
    "missing sheet": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": None}), "the sheet 'customers' is listed but missing"),
    "shared-string index past the table": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="A2" t="s"><v>99</v></c>'))}), "sheet 'customers' cannot be read"),
    "negative shared-string index": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="A2" t="s"><v>-1</v></c>'))}), "(after cell A1) whose shared-string index is not a number"),
    "bad cell reference": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="1A" t="s"><v>2</v></c>'))}), "a cell reference that names no cell (after cell A1)"),
    "cell reference past XFD": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="ZZZZZZ99999999999" t="s"><v>2</v></c>'))}), "a cell reference that names no cell"),
    "used range of 17 billion cells": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="XFD1048576" t="s"><v>2</v></c>'))}), "its used range A1:XFD1048576 holds 17,179,869,184 cells"),
    "chart-only workbook": ("b.xlsx", workbook(**{"xl/workbook.xml": _CHART_WB, "xl/_rels/workbook.xml.rels": _CHART_RELS, "xl/worksheets/sheet1.xml": None, "xl/chartsheets/sheet1.xml": f'{_DECL}<chartsheet xmlns="{NS}"/>'}), "b.xlsx:1: the workbook has no worksheet (only charts or macros)"),
    "no sheets": ("b.xlsx", workbook(**{"xl/workbook.xml": _WB.replace('<sheet name="customers" sheetId="1" r:id="rId1"/>', "")}), "b.xlsx:1: the workbook has no sheets"),
    "not a zip": ("b.xlsx", b"PK\x03\x04" + SECRET.encode(), "not an XLSX workbook (not a zip archive, or a damaged one)"),
    "truncated zip": ("b.xlsx", workbook()[:400], "not an XLSX workbook"),
    "empty file": ("b.xlsx", b"", "not an XLSX workbook"),
    "bad boolean cell": ("b.xlsx", workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells('<c r="A2" t="b"><v>7</v></c>'))}), "sheet 'customers' cannot be read"),
}  # fmt: skip

DEEP = 100_000
TEXT: dict[str, tuple[str, bytes, str]] = {
    "100,000-deep JSON": ("d.json", ("[" * DEEP + "]" * DEEP).encode(), "d.json:1:65: nested more than 64 levels deep"),
    "100,000-deep JSON cell": ("d.json", ('[{"name": "' + SECRET + '", "x": ' + "[" * DEEP + "]" * DEEP + "}]").encode(), "nested more than 64 levels deep"),
    "64-deep JSON cell past the limit": ("d.json", ('[{"name": "' + SECRET + '", "x": ' + "[" * 70 + "]" * 70 + "}]").encode(), "d.json:1: x[0]"),
    "100,000-deep JSON line": ("d.jsonl", ('{"name": "x"}\n{"x": ' + "[" * DEEP + "]" * DEEP + "}\n").encode(), "d.jsonl:2:"),
    "5,000-digit number": ("n.json", ('[{"name": "' + SECRET + '", "annual_purchase": ' + "9" * 5000 + "}]").encode(), "n.json:1:"),
    "5,000-digit number in a line": ("n.jsonl", ('{"name": "' + SECRET + '", "annual_purchase": -' + "9" * 5000 + "}\n").encode(), "n.jsonl:1:"),
    "lone surrogate": ("s.json", ('[{"name": "' + SECRET + '\\ud800"}]').encode(), "s.json:1: name: holds a lone UTF-16 surrogate"),
    "lone surrogate in a line": ("s.jsonl", ('{"name": "' + SECRET + '\\udfff"}\n').encode(), "s.jsonl:1: name: holds a lone UTF-16 surrogate"),
    "lone surrogate in a key": ("s.json", ('[{"name\\ud800": "' + SECRET + '"}]').encode(), "s.json:1: holds a lone UTF-16 surrogate"),
    "UTF-16 BOM, then a cut character": ("u.csv", b"\xff\xfe" + f"name,phone\n{SECRET},1\n".encode("utf-16-le") + b"\x41", "u.csv:3:1: byte 0x41 is not UTF-16 text"),
    "UTF-16 BOM, then a lone surrogate": ("u.csv", b"\xff\xfe" + f"name,phone\n{SECRET},1\n".encode("utf-16-le") + b"\x00\xd8", "is not UTF-16 text"),
    "a cell over 1 MB": ("c.csv", f"name,notes,phone\n{SECRET},\"{'x' * 1_100_000}\",1\n".encode(), "c.csv:2: notes: a cell longer than 1,048,576 characters"),
    "a line over 16 MB": ("c.csv", b"name,notes\n" + b"x," * 8_500_000 + b"\n", "c.csv:2: a line longer than 16,777,216 characters"),
    "binary": ("z.csv", b"\x00" * 4096, "z.csv:1:1: byte 0x00: a binary file, not text"),
    "broken quoting": ("q.csv", f'name,phone\n"{SECRET},1\n'.encode(), "q.csv:2: name: broken quoting"),
    "no header row": ("h.csv", f"{SECRET},13800000000,zhang@example.com\nLi Na,139,li@example.com\n".encode(), "h.csv: 1 problem; nothing was imported"),
    "vCard with a cut quoted-printable value": ("v.vcf", b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:Zhang=E5=\r\nEND:VCARD\r\n", "v.vcf:"),
    "vCard CHARSET that is no file encoding": ("v.vcf", b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=unicode_escape:\\ud800\r\nEND:VCARD\r\n", "an unknown CHARSET"),
    "vCard line that makes a regex backtrack": ("v.vcf", b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=x" + b"'=cmd" * 400 + b"\r\nEND:VCARD\r\n", "v.vcf:3: not a vCard line"),
    "iCalendar TZID too long to look up": ("t.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nSUMMARY:" + SECRET.encode() + b"\r\nDUE;TZID=" + b"A" * 300 + b":20261123T093000\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", "t.ics:1: not a readable iCalendar file"),
    "iCalendar with no end": ("t.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:" + SECRET.encode() + b"\r\n", "t.ics:"),
}  # fmt: skip

KIND_OF = {".vcf": "contacts", ".ics": "tasks"}
CORPUS = {**XLSX, **TEXT}


@pytest.fixture
def rep(cli) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def refused(result, filename: str, says: str) -> str:
    """Exit 2, its last line `salesbench: error:` naming the file, no crash sign, no
    customer data; returns the error output."""
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output and "internal error" not in output, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("salesbench: error: "), output
    assert filename in last, output
    assert says in output, output
    assert SECRET not in output and "Secretname" not in output, output
    return output


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_hostile_file_is_refused_naming_its_place(name, rep, cli, db, tmp_path) -> None:
    filename, data, says = CORPUS[name]
    path = tmp_path / filename
    path.write_bytes(data)
    kind = KIND_OF.get(path.suffix, "customers")
    before = snapshot(db)
    refused(cli("import", kind, str(path)), filename, says)
    assert snapshot(db) == before


def test_the_corpus_covers_every_input_path() -> None:
    suffixes = {Path(filename).suffix for filename, _, _ in CORPUS.values()}
    assert suffixes >= {".xlsx", ".json", ".jsonl", ".csv", ".vcf", ".ics"}
    assert len(XLSX) >= 16 and len(CORPUS) >= 40


def test_entities_are_neither_expanded_nor_fetched(tmp_path) -> None:
    """The refusal comes before any XML parser sees the DOCTYPE: a file the entity
    names is never opened (its name is a file that would say so by vanishing)."""
    from salesbench.io.readers import ReadOptions, read_sheet

    bait = tmp_path / "bait.txt"
    bait.write_text("secret")
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{bait.as_uri()}">]>'
    path = tmp_path / "x.xlsx"
    path.write_bytes(
        workbook(**{"xl/worksheets/sheet1.xml": worksheet(_cells("<c r='A2'/>"), doctype)})
    )
    before = os.stat(bait).st_atime_ns
    with pytest.raises(Exception, match="declares a DOCTYPE") as caught:
        read_sheet(path, ReadOptions())
    assert "secret" not in str(caught.value)
    assert os.stat(bait).st_atime_ns == before


def test_a_200_kb_cell_is_read_not_called_broken_quoting(rep, cli, db, tmp_path) -> None:
    from tests.conftest import rows

    path = tmp_path / "long.csv"
    path.write_text(f"name,note\nLong Co,{'y' * 200_000}\n", encoding="utf-8")
    result = cli("import", "customers", str(path))
    # read whole, then held to the rule `customer edit -f` holds a custom field to
    assert result.exit_code == 2, result.output
    assert "quoting" not in result.output and "long.csv:2:2" in result.output
    assert "longer than 2,000 characters" in result.output
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_a_file_without_a_header_row_is_told_by_its_columns(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(f"{SECRET},13800000000,zhang@example.com\n", encoding="utf-8")
    for extra in ([], ["--strict"]):
        output = refused(cli("import", "customers", str(path), *extra), "h.csv", "h.csv")
        assert "h.csv:1: the first line has no known column names (3 columns)" in output
        assert "13800000000" not in output and "zhang@" not in output


@pytest.mark.parametrize("codec", ["punycode", "idna", "unicode_escape", "rot13", "base64", "zlib"])
def test_an_encoding_that_is_no_file_encoding_is_refused_naming_the_option(
    codec, rep, cli, db, tmp_path
) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(f"name\n{SECRET}\n", encoding="utf-8")
    before = snapshot(db)
    result = cli("import", "customers", str(path), "--encoding", codec)
    assert result.exit_code == 2, result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith(f"salesbench: error: --encoding: {codec!r} is not a text encoding of files")
    ), result.output
    assert snapshot(db) == before


def test_an_endless_pipe_stops_at_max_size(rep, cli, db, tmp_path) -> None:
    """A FIFO fed without end: the import reads up to --max-size and stops there
    with the limit named, streaming (never the whole input at once)."""
    fifo = tmp_path / "endless.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with open(fifo, "wb") as out:
                out.write(b"name,phone\n")
                while not stop.is_set():
                    out.write(b"Endless Co,13800000000\n" * 1000)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    before = snapshot(db)
    try:
        result = cli("import", "customers", str(fifo), "--max-size", "256KB")
    finally:
        stop.set()
    writer.join(timeout=60)
    refused(result, "endless.csv", "larger than 256 KB, the most an import reads")
    assert "--max-size" in result.output
    assert snapshot(db) == before


def test_dev_zero_is_refused_at_once(rep, cli, db) -> None:
    before = snapshot(db)
    refused(cli("import", "customers", "/dev/zero", "--format", "csv"), "/dev/zero", "binary")
    refused(cli("import", "customers", "/dev/zero", "--format", "json"), "/dev/zero", "binary")
    refused(cli("import", "customers", "/dev/zero", "--format", "xlsx"), "/dev/zero", "regular")
    assert snapshot(db) == before


def test_max_size_refuses_a_bigger_file_and_lets_a_smaller_one_in(rep, cli, db, tmp_path) -> None:
    from tests.conftest import rows

    path = tmp_path / "firms.csv"
    path.write_text("name\n" + "".join(f"Firm {n}\n" for n in range(2000)), encoding="utf-8")
    refused(cli("import", "customers", str(path), "--max-size", "8KB"), "firms.csv", "8 KB")
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]
    xlsx = tmp_path / "firms.xlsx"
    xlsx.write_bytes(workbook())
    refused(cli("import", "customers", str(xlsx), "--max-size", "100"), "firms.xlsx", "100 bytes")
    assert cli("import", "customers", str(path), "--max-size", "1MB").exit_code == 0
    assert rows(db, "SELECT count(*) FROM customer") == [(2000,)]
    bad = cli("import", "customers", str(path), "--max-size", "lots")
    assert bad.exit_code == 2 and "--max-size: is a size such as 1GB" in bad.output


BUNDLES = {
    "100,000-deep bundle": ("[" * DEEP + "]" * DEEP, "a.json:1:65: nested more than 64"),
    "5,000-digit version": ('{"format": "salesbench-bundle", "version": ' + "9" * 5000 + "}", "a.json:1:44: a number longer"),
    "lone surrogate in a row": ('{"format": "salesbench-bundle", "version": 1, "tables": {"customer": [{"name": "\\ud800"}]}}', "tables.customer[0].name: holds a lone UTF-16"),
    "not UTF-8": ('{"format": "salesbench-bundle", "x": "\xff"}', "is not UTF-8 text"),
}  # fmt: skip


@pytest.mark.empty_db
@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_a_hostile_bundle_is_refused_by_import_all(name, cli, db, tmp_path) -> None:
    text, says = BUNDLES[name]
    path = tmp_path / "a.json"
    path.write_bytes(text.encode("latin-1") if name == "not UTF-8" else text.encode())
    result = cli("import", "all", str(path))
    refused(result, "a.json", says)
    assert cli("import", "all", str(path), "--max-size", "10").exit_code == 2


def test_the_readme_gives_the_corpus_and_the_limits_as_they_are() -> None:
    from salesbench.io import sheets
    from tests.test_fuzz_files import CASES, PATHS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    text = " ".join(readme.split())
    assert f"A corpus of {len(CORPUS) + len(BUNDLES)} hostile files" in text
    assert f"({len(XLSX)} damaged workbooks" in text and f"; {len(TEXT)} text files" in text
    assert f"; {len(BUNDLES)} bundles)" in text
    assert f"imports {CASES:,} generated files per input path" in text
    assert f"{CASES * len(PATHS):,} in all" in text
    assert sheets.MAX_FILE_BYTES == 1 << 30 and "a file of 1 GB" in text
    assert f"{sheets.MAX_ROWS:,} rows" in text and f"nested {sheets.MAX_JSON_DEPTH} deep" in text
    assert f"used range of {sheets.MAX_SHEET_CELLS:,} cells" in text
    assert f"number of {sheets.MAX_NUMBER_CHARS} characters" in text


def test_an_unknown_vcard_version_is_named_only_when_it_is_a_number(rep, cli, db, tmp_path):
    """Found by the fuzz pass: a VERSION value folded over many lines was repeated in
    the message, one line of it per folded line."""
    folded = "\r\n ".join(["=E5=EG=QUOTED-PRINTABLE:" + SECRET] * 8)
    for value, says in (("5.0", "vCard 5.0 is not supported"), (folded, "this vCard VERSION")):
        path = tmp_path / "odd.vcf"
        path.write_bytes(f"BEGIN:VCARD\r\nVERSION:{value}\r\nFN:Ann\r\nEND:VCARD\r\n".encode())
        output = refused(cli("import", "contacts", str(path)), "odd.vcf", says)
        assert len(output.strip().splitlines()) == 1, output
