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
            # a USD purchase is not graded against the CNY thresholds: the rule leaves none
            conn.execute(
                "UPDATE customer SET industry = ?, currency = ?, annual_purchase = ?, "
                "grade = CASE WHEN grade_set_by = 'rule' THEN NULL ELSE grade END "
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
                "UPDATE task SET status = 'snoozed', snoozed_until = '2026-11-25 01:00:00.000000' "
                "WHERE id = (SELECT max(id) FROM task WHERE status = 'open')"
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
XFAIL: dict[tuple[str, str], str] = {}
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


@pytest.mark.parametrize("kind", ORDER)
def test_every_exported_row_comes_back(world: World, kind: str) -> None:
    before, after = world.round_trip(kind, "json")
    assert sorted(after) == sorted(before)


def test_importing_exported_deals_starts_no_playbook(world: World) -> None:
    """The deals' tasks and stage history are exported apart: importing the deals must
    not make a second set of tasks, nor move them to a first stage."""
    before, after = world.round_trip("opportunities", "json")
    with sqlite3.connect(world.target) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM stage_move").fetchone() == (0,)
    for key in before.keys() & after.keys():
        assert after[key]["stage_key"] == before[key]["stage_key"]
        assert after[key]["stage_entered_at"] == before[key]["stage_entered_at"]


def test_a_won_deal_keeps_its_close_date(world: World) -> None:
    with sqlite3.connect(world.source) as conn:
        conn.execute(
            "UPDATE opportunity SET status = 'won', closed_at = '2026-10-04 07:15:00.000000', "
            "expected_close = '2026-12-20', lost_reason = NULL "
            "WHERE id = (SELECT min(id) FROM opportunity)"
        )
    before, after = world.round_trip("opportunities", "json")
    closed = [k for k in before.keys() & after.keys() if before[k]["closed_at"]]
    assert len(closed) > 2
    won = min(before)
    assert won in after and after[won]["closed_at"] == "2026-10-04 07:15:00.000000"
    assert {k: after[k]["closed_at"] for k in closed} == {k: before[k]["closed_at"] for k in closed}


def reach_rows(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every contact's phones and emails, and the contacts' addresses, in order."""
    with sqlite3.connect(db) as conn:
        points = conn.execute(
            "SELECT contact_id, kind, label, value, position FROM contact_point "
            "ORDER BY contact_id, kind, position"
        ).fetchall()
        places = conn.execute(
            "SELECT contact_id, kind, street, city, region, postcode, country, position "
            "FROM address WHERE contact_id IS NOT NULL ORDER BY contact_id, position"
        ).fetchall()
    return points, places


STAMP = "2026-11-01 08:00:00.000000"


def add_reach(db: Path) -> str:
    """A contact with three phones, two emails and two addresses (one in Chinese); its id."""
    with sqlite3.connect(db) as conn:
        (contact,) = conn.execute("SELECT min(id) FROM contact").fetchone()
        conn.execute("DELETE FROM contact_point WHERE contact_id = ?", (contact,))
        conn.execute("DELETE FROM address WHERE contact_id = ?", (contact,))
        points = [
            ("phone", "mobile", "+86 138 0000 0001", 0),
            ("phone", "work", "010-6552 1234 ext. 5", 1),
            ("phone", "fax", "+86 10 6552 1235", 2),
            ("email", "work", "buyer@huadong.example", 3),
            ("email", "home", "li.lei@qq.example", 4),
        ]
        for n, (kind, label, value, position) in enumerate(points):
            conn.execute(
                "INSERT INTO contact_point (id, contact_id, kind, label, value, position, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (f"{n:032x}", contact, kind, label, value, position, STAMP, STAMP),
            )
        conn.execute(
            "UPDATE contact SET phone = ?, email = ? WHERE id = ?",
            ("+86 138 0000 0001", "buyer@huadong.example", contact),
        )
        places = [
            ("work", "淮海中路1号; 3楼, A座", "上海", None, "200000", "中国", 0),
            ("home", "1 Market St\nSuite 300", "San Francisco", "CA", "94105", "USA", 1),
        ]
        for n, place in enumerate(places):
            conn.execute(
                "INSERT INTO address (id, contact_id, kind, street, city, region, postcode, "
                "country, position, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"{n + 16:032x}", contact, *place, STAMP, STAMP),
            )
    return str(contact)


def test_contacts_round_trip_through_vcard(world: World) -> None:
    with sqlite3.connect(world.source) as conn:
        conn.execute(
            "UPDATE contact SET title = ? WHERE id = (SELECT max(id) FROM contact)",
            # a title is one line (core/fields.py): what looks like vCard lines stays in it
            ("ok END:VCARD BEGIN:VCARD FN:Mallory; a, b \\ c",),
        )
    contact = add_reach(world.source)
    before, after = world.round_trip("contacts", "vcard")
    assert sorted(after) == sorted(before)
    assert differences(before, after, set()) == []
    points, places = reach_rows(world.source)
    assert sum(1 for p in points if p[0] == contact) == 5
    assert sum(1 for p in places if p[0] == contact) == 2
    assert reach_rows(world.target) == (points, places)


def test_the_vcard_export_writes_every_point_and_escapes_line_breaks(world: World) -> None:
    with sqlite3.connect(world.source) as conn:
        conn.execute(
            "UPDATE contact SET title = ? WHERE id = (SELECT max(id) FROM contact)",
            ("ok\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory",),
        )
    add_reach(world.source)
    text = world.export("contacts", "vcard").read_bytes().decode("utf-8")
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    assert sum(line == "BEGIN:VCARD" for line in lines) == sum(
        line.startswith("FN:") for line in lines
    )
    assert "FN:Mallory" not in lines
    # what other clients read: the line break as \n
    assert "TITLE:ok\\nEND:VCARD\\nBEGIN:VCARD\\nFN:Mallory" in lines
    assert "TEL;VALUE=text;TYPE=cell:+86 138 0000 0001" in lines
    assert "TEL;VALUE=text;TYPE=work:010-6552 1234 ext. 5" in lines
    assert "TEL;VALUE=text;TYPE=fax:+86 10 6552 1235" in lines
    assert "EMAIL;TYPE=home:li.lei@qq.example" in lines
    assert "ADR;TYPE=work:;;淮海中路1号\\; 3楼\\, A座;上海;;200000;中国" in lines


def test_the_whole_demo_round_trips_kind_by_kind_into_one_database(world: World) -> None:
    """As a user moves: every kind exported, then imported in order into one database."""
    for kind in ORDER:
        world.load(kind, world.export(kind, "jsonl"))
    for kind in ORDER:
        table = TABLES[kind]
        before, after = table_rows(world.source, table), table_rows(world.target, table)
        found = differences(before, after, NOT_IMPORTED.get(kind, set()))
        assert not found, f"{kind}:\n" + "\n".join(found)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_ten_thousand_customers_round_trip(tmp_path: Path, new_sqlite_db, fmt: str) -> None:
    world = World(tmp_path, new_sqlite_db, customers=2)
    import csv

    made = tmp_path / "many.csv"
    with made.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "industry", "annual_purchase", "grade", "external_id", "note"])
        for n in range(10_000):
            grade = "ABC"[n % 3] if n % 2 else ""
            note = json.dumps({"n": n, "text": "a\tb"})  # a custom field holding JSON text
            out.writerow(
                [
                    f"Kunde {n:05d}, GmbH",
                    "Maschinen\tbau",
                    f"{n * 7}.5{n % 10}",
                    grade,
                    f"SF-{n:05d}",
                    note,
                ]
            )
    result = world.run("import", "customers", str(made), "--db", str(world.source), "--rep", REP)
    assert result.exit_code == 0, result.output
    before, after = world.round_trip("customers", fmt)
    assert len(before) == 10_002 and sorted(after) == sorted(before)
    found = differences(before, after, set())
    assert not found, "\n".join(found)
    notes = [json.loads(r["custom"]).get("note") for r in after.values()]
    assert sorted(json.loads(n)["n"] for n in notes if n) == list(range(10_000))


def test_a_column_of_theirs_called_custom_stays_a_custom_field(world: World) -> None:
    made = world.root / "theirs.csv"
    made.write_text('name,custom\nAlpha Ltd,yes\nBeta GmbH,"{""a"": 1}"\n', encoding="utf-8")
    world.load("customers", made)
    found = {
        r["name"]: json.loads(r["custom"]) for r in table_rows(world.target, "customer").values()
    }
    assert found == {"Alpha Ltd": {"custom": "yes"}, "Beta GmbH": {"custom": '{"a": 1}'}}


def test_a_snoozed_task_without_its_snooze_time_is_refused(world: World) -> None:
    copy_rows(world.source, world.target, PARENTS["tasks"])
    made = world.root / "tasks.csv"
    customer = next(iter(table_rows(world.source, "customer").values()))["name"]
    made.write_text(f"customer,title,status\n{customer},Call,snoozed\n", encoding="utf-8")
    result = world.run("import", "tasks", str(made), "--db", str(world.target), "--rep", REP)
    assert result.exit_code == 2
    assert "tasks.csv:2: status: a snoozed task needs its snoozed_until" in result.output
    assert table_rows(world.target, "task") == {}


def test_owner_id_alone_names_the_owner_and_no_export_column_is_custom(world: World) -> None:
    reps = {r["email"]: key for key, r in table_rows(world.source, "rep").items()}
    owner = uuid_text(reps["rep2@demo.salesbench.dev"])
    made = world.root / "owned.csv"
    made.write_text(
        "name,owner_id,created_at,updated_at,import_batch_id,custom,external_source\n"
        f"Alpha Ltd,{owner},2025-03-01T08:00:00+00:00,2025-03-02T08:00:00+00:00,,{{}},hubspot\n",
        encoding="utf-8",
    )
    result = world.run("import", "customers", str(made), "--db", str(world.target), "--rep", REP)
    assert result.exit_code == 0, result.output
    (row,) = table_rows(world.target, "customer").values()
    assert uuid_text(row["owner_id"]) == owner
    assert row["created_at"] == "2025-03-01 08:00:00.000000"
    assert row["external_source"] == "hubspot" and json.loads(row["custom"]) == {}


def uuid_text(value: str) -> str:
    import uuid

    return str(uuid.UUID(value))
