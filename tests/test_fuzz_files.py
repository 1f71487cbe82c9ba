"""The fuzz pass over every import input path (`scripts/test -m fuzz`, run by .ci/run
after the suite): CASES generated hostile files each for CSV, TSV, XLSX, JSON, JSON
Lines, vCard, iCalendar and the `import all` bundle, built from the corpus of
tests/test_hostile_files.py and from well-formed files, then cut, flipped and
spliced with hostile pieces. Each is read and imported in-process (a dry run on
one database, which is checked unchanged; a bundle into an empty one, emptied
again), and must be imported or refused as the CLI refuses: a SalesbenchError of
exit 2 (or 4), never another exception (a traceback, "internal error", exit 1)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from salesbench.core.errors import SalesbenchError
from salesbench.store.engine import Store
from salesbench.store.open import open_store
from tests.conftest import NOW
from tests.test_hostile_files import CORPUS, LAUGHS, SECRET, XXE, workbook, worksheet

# files per input path (the README gives it); FUZZ_CASES=300 for a quick local look
CASES = int(os.environ.get("FUZZ_CASES", "10000"))
PATHS = ("csv", "tsv", "xlsx", "json", "jsonl", "vcf", "ics", "bundle")
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    # the same cases on every run, so a CI run cannot turn red on a new seed alone;
    # FUZZ_EXPLORE=1 draws new ones (a failure then prints the case to add as a test)
    derandomize=not os.environ.get("FUZZ_EXPLORE"),
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing file is printed
    suppress_health_check=list(HealthCheck),
)
pytestmark = pytest.mark.fuzz

HEADERS = ["name", "grade", "annual_purchase", "email", "phone", "paused_until", "status",
           "kind", "owner", "number", "external_id", "客户名称", "Annual Revenue", "title",
           "due_at", "customer", "first_name", "last_name", "company"]  # fmt: skip
PIECES = [b"\x00", b'"', b'""', b",", b";", b"\t", b"\r", b"\n", b"\r\r\n", b"\xff\xfe",
          b"\xfe\xff", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xe5\x8f", b"\\ud800", b"\\udc00",
          b"[" * 80, b"{" * 80, b"]", b"}", b"9" * 120, b"-1e999999", b"'=cmd", b"=\r\n",
          b"&lol9;", b"<!DOCTYPE x>", b"<", b"\x1b]52;c;", b"BEGIN:VCARD\r\n", b"END:VTODO\r\n",
          b"x" * 5000, SECRET.encode(), "李娜".encode(), "李娜".encode("gb18030")]  # fmt: skip


def mutate(rnd: random.Random, data: bytes) -> bytes:
    """`data` cut, flipped and spliced with hostile pieces, a few times."""
    for _ in range(rnd.randint(0, 4)):
        at = rnd.randint(0, len(data))
        op = rnd.randrange(5)
        if op == 0:
            data = data[:at]
        elif op == 1 and data:
            i = rnd.randrange(len(data))
            data = data[:i] + bytes([rnd.randrange(256)]) + data[i + 1 :]
        elif op == 2:
            data = data[:at] + rnd.choice(PIECES) * rnd.choice((1, 1, 2, 50)) + data[at:]
        elif op == 3:
            end = min(len(data), at + rnd.randint(1, 64))
            data = data[:at] + data[at:end] * rnd.randint(2, 20) + data[end:]
        else:
            data = data[:at] + data[at + rnd.randint(1, 64) :]
    return data


def text(rnd: random.Random, most: int = 12) -> str:
    alphabet = "abcAZ09 ,;\"'\t\n\r=+-@.年月日李娜\x1b\x7f\u200b\ufeff"
    value = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, most)))
    return rnd.choice([value, value, SECRET, "2026-11-23", "13800000000", "1,234.50", "A"])


def delimited(rnd: random.Random, delimiter: str) -> bytes:
    header = [rnd.choice(HEADERS) for _ in range(rnd.randint(1, 6))]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for _ in range(rnd.randint(0, 6)):
        writer.writerow([text(rnd) for _ in range(rnd.randint(0, 7))])
    encoding = rnd.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252"])
    return out.getvalue().encode(encoding, "replace")


def records(rnd: random.Random) -> list[dict[str, object]]:
    def value(depth: int = 0) -> object:
        kind = rnd.randrange(8 if depth < 3 else 5)
        if kind == 0:
            return None
        if kind == 1:
            return rnd.choice([True, False])
        if kind == 2:
            return rnd.choice([0, -1, 10**30, 1.5, 1e308, rnd.randint(-(10**9), 10**9)])
        if kind in (3, 4):
            return text(rnd)
        if kind == 5:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        return {text(rnd, 4): value(depth + 1) for _ in range(rnd.randint(0, 3))}

    return [
        {rnd.choice([*HEADERS, text(rnd, 5)]): value() for _ in range(rnd.randint(0, 6))}
        for _ in range(rnd.randint(0, 5))
    ]


def json_file(rnd: random.Random) -> bytes:
    return json.dumps(records(rnd), ensure_ascii=rnd.random() < 0.5).encode()


def jsonl_file(rnd: random.Random) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(rnd)).encode()


PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml",
         "_rels/.rels", "xl/_rels/workbook.xml.rels")  # fmt: skip


def xlsx_file(rnd: random.Random) -> bytes:
    def cell(ref: str) -> str:
        kind = rnd.randrange(6)
        if kind == 0:
            return f'<c r="{ref}" t="s"><v>{rnd.choice([0, 1, 2, 3, 4, 99, -1])}</v></c>'
        if kind == 1:
            return f'<c r="{ref}"><v>{rnd.choice(["1", "1.5", "45000", "x", "1e400"])}</v></c>'
        if kind == 2:
            return f'<c r="{ref}" t="b"><v>{rnd.choice(["0", "1", "2"])}</v></c>'
        safe = text(rnd).replace("&", "&amp;").replace("<", "&lt;")
        safe = "".join(ch for ch in safe if ch >= " " or ch in "\t\n\r")
        return f'<c r="{ref}" t="inlineStr"><is><t>{safe}</t></is></c>'

    rows = []
    for r in range(1, rnd.randint(1, 6) + 1):
        cols = "ABCDEFG"[: rnd.randint(1, 7)]
        refs = [f"{c}{r}" for c in cols]
        if rnd.random() < 0.05:
            refs[-1] = rnd.choice(["A0", "1A", "XFD1048576", "AAAA1", "A99999999", ""])
        rows.append(f'<row r="{r}">' + "".join(cell(ref) for ref in refs) + "</row>")
    doctype = rnd.choice(["", "", "", "", LAUGHS, XXE])
    parts: dict[str, str | None] = {"xl/worksheets/sheet1.xml": worksheet("".join(rows), doctype)}
    if rnd.random() < 0.15:
        name = rnd.choice(list(PARTS))
        parts[name] = rnd.choice([None, "", "<x", "<?xml version='1.0'?><a/>"])
    data = workbook(**parts)
    return mutate(rnd, data) if rnd.random() < 0.3 else data


def vcf_file(rnd: random.Random) -> bytes:
    lines = []
    for _ in range(rnd.randint(0, 3)):
        version = rnd.choice(["2.1", "3.0", "4.0"])
        lines += ["BEGIN:VCARD", f"VERSION:{version}"]
        for _ in range(rnd.randint(0, 6)):
            prop = rnd.choice(["FN", "N", "TEL;TYPE=CELL", "EMAIL", "ORG", "ADR;TYPE=WORK",
                               "NOTE", "BDAY", "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8",
                               "TITLE", "URL", "X-CUSTOM"])  # fmt: skip
            lines.append(f"{prop}:{text(rnd).replace(chr(10), ' ').replace(chr(13), ' ')}")
            if rnd.random() < 0.1:
                lines.append(" folded" + text(rnd, 4))
        if rnd.random() < 0.9:
            lines.append("END:VCARD")
    return "\r\n".join(lines).encode(rnd.choice(["utf-8", "utf-16", "gb18030"]), "replace")


def ics_file(rnd: random.Random) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for _ in range(rnd.randint(0, 3)):
        lines.append("BEGIN:VTODO")
        for _ in range(rnd.randint(0, 6)):
            prop = rnd.choice(["SUMMARY", "DUE", "DUE;VALUE=DATE", "DUE;TZID=Asia/Shanghai",
                               "STATUS", "COMPLETED", "UID", "DESCRIPTION",
                               "X-SALESBENCH-CUSTOMER", "X-SALESBENCH-ID"])  # fmt: skip
            value = rnd.choice([text(rnd), "20261123T093000Z", "20261123", "99991231T000000",
                                "COMPLETED", "CANCELLED", "00000000"])  # fmt: skip
            lines.append(f"{prop}:{value.replace(chr(10), ' ').replace(chr(13), ' ')}")
        if rnd.random() < 0.9:
            lines.append("END:VTODO")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode()


def seeded(suffixes: tuple[str, ...]) -> list[bytes]:
    return [data for name, data, _ in CORPUS.values() if Path(name).suffix in suffixes]


MAKERS: dict[str, tuple[str, str, Callable[[random.Random], bytes], tuple[str, ...]]] = {
    # path: (file name, import kind, maker, corpus suffixes it also mutates)
    "csv": ("f.csv", "customers", lambda rnd: delimited(rnd, rnd.choice(",;|")), (".csv",)),
    "tsv": ("f.tsv", "customers", lambda rnd: delimited(rnd, "\t"), (".csv",)),
    "xlsx": ("f.xlsx", "customers", xlsx_file, (".xlsx",)),
    "json": ("f.json", "customers", json_file, (".json",)),
    "jsonl": ("f.jsonl", "customers", jsonl_file, (".jsonl",)),
    "vcf": ("f.vcf", "contacts", vcf_file, (".vcf",)),
    "ics": ("f.ics", "tasks", ics_file, (".ics",)),
}
_SMALL_SEEDS = {path: [s for s in seeded(m[3]) if len(s) < 200_000] for path, m in MAKERS.items()}


def case(path: str, rnd: random.Random) -> bytes:
    """One generated file: a well-formed one, mutated or not, or a corpus file mutated."""
    seeds = _SMALL_SEEDS[path]
    if seeds and rnd.random() < 0.2:
        return mutate(rnd, rnd.choice(seeds))
    data = MAKERS[path][2](rnd)
    return mutate(rnd, data) if rnd.random() < 0.5 else data


def refused_as_the_cli_refuses(run: Callable[[], object]) -> bool:
    """Whether `run` went through; a refusal must be one the CLI shows as exit 2 or 4."""
    from salesbench.cli.common import error_exit_code

    try:
        run()
        return True
    except SalesbenchError as exc:
        code, message = error_exit_code(exc) or (1, "")
        assert code in (2, 4), (code, message)
        assert "internal error" not in message and "\n" not in message.strip(), message
        message.encode("utf-8")  # printable: no lone surrogate reaches the terminal
        return False


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder in memory where there is one (/dev/shm): ten thousand files written
    one after another cost a millisecond each on a disk, microseconds there."""
    shm = Path("/dev/shm")
    base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="salesbench-fuzz-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def team(scratch: Path, new_sqlite_db) -> Iterator[tuple[Store, Path]]:
    """One database with a rep and a customer (tasks need one): every case is a dry
    run on it, so none sees another's writes; it is checked unchanged at the end."""
    path = new_sqlite_db(scratch / "team.db")
    from typer.testing import CliRunner

    from salesbench.cli import app

    env = {"SALESBENCH_DB": str(path), "SALESBENCH_NOW": NOW.isoformat()}
    for args in (["init", "--name", "Wang Fang", "--email", "wf@example.com"],
                 ["customer", "add", "Walk-in", "--kind", "person"]):  # fmt: skip
        assert CliRunner().invoke(app, args, env=env).exit_code == 0
    before = _dump(path)
    store = open_store(str(path))
    yield store, path
    store.close()
    assert _dump(path) == before, "a dry run wrote to the database"


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize("path", sorted(MAKERS))
def test_generated_files_are_imported_or_refused(path, team, scratch) -> None:
    from salesbench.io.readers import ReadOptions, read_sheet
    from salesbench.services.import_options import ImportOptions
    from salesbench.services.imports import import_sheet

    store, _ = team
    filename, kind, _, _ = MAKERS[path]
    target = scratch / filename
    fmt = {"tsv": "csv", "vcf": "vcard"}.get(path, path)
    ran = []

    @FUZZ
    @given(rnd=st.randoms(use_true_random=False))
    def one(rnd: random.Random) -> None:
        target.write_bytes(case(path, rnd))
        options = ImportOptions(kind=kind, dry_run=True, format=fmt, rep="wf@example.com")

        def run() -> None:
            sheet = read_sheet(target, ReadOptions(format=fmt, max_size=1 << 20))
            import_sheet(store, sheet, options, now=NOW)

        refused_as_the_cli_refuses(run)
        ran.append(1)

    one()
    assert len(ran) >= CASES


@pytest.fixture(scope="module")
def bundle_seed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real bundle, small: a rep, two customers with a contact, a deal, a task."""
    from typer.testing import CliRunner

    from salesbench.cli import app

    folder = tmp_path_factory.mktemp("bundle-seed")
    env = {"SALESBENCH_DB": str(folder / "seed.db"), "SALESBENCH_NOW": NOW.isoformat()}
    out = folder / "all.json"
    for args in (
        ["init", "--name", "Wang Fang", "--email", "wf@example.com"],
        ["customer", "add", "Acme Ltd"],
        ["contact", "add", "Acme Ltd", "Li Na", "--phone", "13800000000"],
        ["customer", "add", "Walk-in", "--kind", "person"],
        ["opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5"],
        ["export", "all", "--out", str(out)],
    ):
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 0, (args, result.output)
    return out.read_text(encoding="utf-8")


def test_generated_bundles_are_imported_or_refused(bundle_seed, new_sqlite_db, scratch) -> None:
    from salesbench.io.json_limits import read_utf8
    from salesbench.services.bundle import _tables, import_bundle

    store = open_store(str(new_sqlite_db(scratch / "empty.db")))
    target = scratch / "a.json"
    seed = bundle_seed.encode()
    lines = bundle_seed.splitlines(keepends=True)
    ran = []

    @FUZZ
    @given(rnd=st.randoms(use_true_random=False))
    def one(rnd: random.Random) -> None:
        if rnd.random() < 0.5:  # a few rows of the real bundle, their values replaced
            kept = [line for line in lines if rnd.random() < 0.3 or not line.startswith("      {")]
            data = "".join(kept).replace("},\n    ]", "}\n    ]").encode()
            if rnd.random() < 0.5:
                data = data.replace(b'"', b'"' + rnd.choice(PIECES), rnd.randint(1, 3))
        else:
            data = seed[: rnd.randint(0, 4000)] + seed[-rnd.randint(0, 400) :]
        data = mutate(rnd, data)
        target.write_bytes(data)

        def run() -> None:
            import_bundle(store, read_utf8(target, 1 << 22), str(target))

        if refused_as_the_cli_refuses(run):
            with store.engine.begin() as conn:  # imported: empty again for the next case
                for table in reversed(_tables()):
                    conn.execute(table.delete())
        ran.append(1)

    try:
        one()
    finally:
        store.close()
    assert len(ran) >= CASES
