"""`export KIND` then `import KIND` into an empty database (with the same reps) gives
back the same rows, column for column, in every format; on the demo data."""

from __future__ import annotations

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
    return {r["id"]: {k: r[k] for k in r.keys() if k not in NOT_COMPARED} for r in found}


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
            if column not in skip and after[key][column] != value:
                found.append(f"{key} {column}: {value!r} != {after[key][column]!r}")
    return found[:20]


class World:
    """The demo in one database; the same reps, and nothing else, in another."""

    def __init__(self, root: Path, new_db: Callable[[Path], Path], customers: int) -> None:
        self.root = root
        self.source = new_db(root / "demo.db")
        self.target = new_db(root / "target.db")
        store = open_store(str(self.source))
        generate(store, customers=customers, seed=5, reps=3, now=NOW)
        store.close()
        with sqlite3.connect(self.source) as src, sqlite3.connect(self.target) as dst:
            reps = src.execute("SELECT * FROM rep").fetchall()
            marks = ",".join("?" * len(reps[0]))
            dst.executemany(f"INSERT INTO rep VALUES ({marks})", reps)
        self.runner = CliRunner()

    def run(self, *args: str) -> Any:
        result = self.runner.invoke(
            app, list(args), env={"SALESBENCH_NOW": NOW.isoformat()}, catch_exceptions=False
        )
        return result

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
        self.load(kind, self.export(kind, fmt))
        table = TABLES[kind]
        return table_rows(self.source, table), table_rows(self.target, table)


@pytest.fixture
def world(tmp_path: Path, new_sqlite_db) -> World:
    return World(tmp_path, new_sqlite_db, customers=12)


FORMATS = ("csv", "xlsx", "json", "jsonl")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_kind_round_trips_column_for_column(world: World, fmt: str) -> None:
    for kind in ORDER:
        before, after = world.round_trip(kind, fmt)
        assert before, kind
        found = differences(before, after, set())
        assert not found, f"{kind}:\n" + "\n".join(found)
