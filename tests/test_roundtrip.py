"""`export KIND` then `import KIND` into an empty database (with the same reps) gives
back the same rows, column for column, in every format; on the demo data."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from tests.conftest import NOW

REP = "rep1@demo.salesbench.dev"
ORDER = ("customers", "contacts", "opportunities", "activities", "tasks")
TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "activities": "activity",
    "tasks": "task",
}
# updated_at is the import's stamp by design (undo tells its rows by it), and
# import_batch_id names the batch that brought the row in.
NOT_COMPARED = {"updated_at", "import_batch_id"}


def table_rows(db: Path, table: str) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        found = conn.execute(f'SELECT * FROM "{table}"').fetchall()
    columns = found[0].keys() if found else []
    return {r["id"]: {k: r[k] for k in columns if k not in NOT_COMPARED} for r in found}


def differences(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], skip: set[str]
) -> list[str]:
    """Every column that differs, as `id column: before != after` (at most 20)."""
    found = []
    for missing in sorted(before.keys() - after.keys())[:5]:
        found.append(f"{missing}: not imported")
    for extra in sorted(after.keys() - before.keys())[:5]:
        found.append(f"{extra}: not in the export")
    for key in sorted(before.keys() & after.keys()):
        for column, value in before[key].items():
            if column == "custom":  # a JSON object: the order of its keys is no difference
                value, now = json.loads(value), json.loads(after[key][column])
            else:
                now = after[key][column]
            if column not in skip and now != value:
                found.append(f"{key} {column}: {value!r} != {after[key][column]!r}")
    return found[:20]


# The tables a kind's rows point at: copied as they are, so each kind is tried alone.
PARENTS = {
    "customers": (),
    "contacts": ("customer",),
    "opportunities": ("customer",),
    "activities": ("customer", "contact", "opportunity"),
    "tasks": ("customer", "opportunity", "complaint"),
}
HOSTILE_CUSTOM = {
    "json text": '{"nested": [1, 2], "q": "\\"quoted\\""}',
    "custom": "a field that is called custom",
    "tab": "before\tafter",
    "formula": '=HYPERLINK("http://x.example")',
    "phone": "+86 138 0000 0001",
    "number": 12.5,
    "lines": "one\r\ntwo",
}


def copy_rows(source: Path, target: Path, tables: tuple[str, ...]) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        for table in tables:
            found = src.execute(f'SELECT * FROM "{table}"').fetchall()
            if found:
                marks = ",".join("?" * len(found[0]))
                dst.executemany(f'INSERT INTO "{table}" VALUES ({marks})', found)


class World:
    """The demo in one database, with hostile values; the same reps in another."""

    def __init__(self, root: Path, new_db: Callable[[Path], Path], customers: int) -> None:
        self.root = root
        self.source = new_db(root / "demo.db")
        self.target = new_db(root / "target.db")
        store = open_store(str(self.source))
        generate(store, customers=customers, seed=5, reps=3, now=NOW)
        store.close()
        self.spoil()
        copy_rows(self.source, self.target, ("rep",))
        self.runner = CliRunner()

    def spoil(self) -> None:
        """Values that break naive writers and readers, on a record of every kind."""
        custom = json.dumps(HOSTILE_CUSTOM)
        with sqlite3.connect(self.source) as conn:
            for table in TABLES.values():
                first = conn.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()
                conn.execute(f"UPDATE {table} SET custom = ? WHERE id = ?", (custom, first[0]))
                conn.execute(
                    f"UPDATE {table} SET external_id = ?, external_source = ? WHERE id = ?",
                    (f"0015g00000{table}", "salesforce", first[0]),
                )
            conn.execute(
                "UPDATE customer SET industry = ?, currency = ?, annual_purchase = ? "
                "WHERE id = (SELECT min(id) FROM customer)",
                ("Retail\tand wholesale", "USD", 1234567),
            )
            conn.execute(
                "UPDATE contact SET title = ? WHERE id = (SELECT min(id) FROM contact)",
                ('Buyer; purchasing, \\ and "quotes"',),
            )
            conn.execute(
                "UPDATE opportunity SET currency = 'EUR' "
                "WHERE id = (SELECT max(id) FROM opportunity)"
            )
            conn.execute(
                "UPDATE activity SET summary = ? WHERE id = (SELECT min(id) FROM activity)",
                ('line one\r\nline two\twith a tab, a comma; and "quotes"',),
            )

    def run(self, *args: str) -> Any:
        return self.runner.invoke(
            app, list(args), env={"SALESBENCH_NOW": NOW.isoformat()}, catch_exceptions=False
        )

    def export(self, kind: str, fmt: str) -> Path:
        extension = {"vcard": "vcf"}.get(fmt, fmt)
        out = self.root / f"{kind}.{extension}"
        result = self.run("export", kind, "--out", str(out), "--db", str(self.source))
        assert result.exit_code == 0, result.output
        return out

    def load(self, kind: str, path: Path) -> None:
        result = self.run("import", kind, str(path), "--db", str(self.target), "--rep", REP)
        assert result.exit_code == 0, result.output

    def round_trip(self, kind: str, fmt: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Export `kind` as `fmt`, import it into the target (which holds the rows it
        points at), and give both tables."""
        copy_rows(self.source, self.target, PARENTS[kind])
        self.load(kind, self.export(kind, fmt))
        table = TABLES[kind]
        return table_rows(self.source, table), table_rows(self.target, table)


@pytest.fixture
def world(tmp_path: Path, new_sqlite_db) -> World:
    return World(tmp_path, new_sqlite_db, customers=12)


FORMATS = ("csv", "xlsx", "json", "jsonl")
# Columns that another engineer's area of issue 14 decides, checked on their own below.
ELSEWHERE = {"opportunities": {"closed_at"}}
# complaints are not an import kind: a task keeps its link only through `import all`
NOT_IMPORTED = {"tasks": {"complaint_id"}}
XFAIL = {
    ("contacts", "csv"): "readers: the CSV import must undo the export's formula guard ('+86…)",
    ("activities", "xlsx"): "readers: the XLSX import must decode _x000D_ (a CR in a text cell)",
}
CASES = [
    pytest.param(
        kind,
        fmt,
        marks=[pytest.mark.xfail(strict=True, reason=XFAIL[(kind, fmt)])]
        if (kind, fmt) in XFAIL
        else [],
        id=f"{kind}-{fmt}",
    )
    for kind in ORDER
    for fmt in FORMATS
]


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_every_kind_round_trips_column_for_column(world: World, kind: str, fmt: str) -> None:
    before, after = world.round_trip(kind, fmt)
    assert len(before) > 5
    shared = before.keys() & after.keys()
    assert len(shared) > 5
    skip = ELSEWHERE.get(kind, set()) | NOT_IMPORTED.get(kind, set())
    found = differences({k: before[k] for k in shared}, after, skip)
    assert not found, "\n".join(found)
    # every column is compared: the custom fields too, read back as the object
    spoiled = next(r for r in after.values() if r["external_source"] == "salesforce")
    assert json.loads(spoiled["custom"]) == HOSTILE_CUSTOM
