"""`customer merge KEEP OTHER`: one customer folded into another in one undoable
batch, and `salesbench duplicates` to review what imports let in side by side."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends
CHILDREN = ("contact", "opportunity", "task", "activity", "complaint", "handover", "address")


def busiest(db, count: int = 2) -> list[str]:
    """Ids of the demo customers with the most rows under them."""
    union = " UNION ALL ".join(
        f"SELECT customer_id AS cid FROM {t} WHERE customer_id IS NOT NULL" for t in CHILDREN
    )
    found = rows(db, f"SELECT cid, count(*) FROM ({union}) AS u GROUP BY cid ORDER BY 2 DESC, 1")
    return [str(r[0]) for r in found[:count]]


def under(db, customer_id: str) -> dict[str, int]:
    return {
        t: rows(db, f"SELECT count(*) FROM {t} WHERE customer_id = ?", customer_id)[0][0]
        for t in CHILDREN
    }


def test_merge_moves_everything_and_undo_restores_the_database_exactly(cli, db) -> None:
    assert cli("demo").exit_code == 0
    keep, other = busiest(db)
    # a complaint under OTHER too, so every kind of row is moved
    assert rows(db, "SELECT count(*) FROM complaint")[0][0] > 0
    before = snapshot(db)
    keep_had, other_had = under(db, keep), under(db, other)
    assert sum(other_had.values()) > 0
    dry = cli("customer", "merge", keep, other, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["moved"] == {t: n for t, n in other_had.items() if n}
    assert snapshot(db) == before
    merged = cli("customer", "merge", keep, other, "--json")
    assert merged.exit_code == 0, merged.output
    report = json.loads(merged.stdout)
    assert rows(db, "SELECT count(*) FROM customer WHERE id = ?", other) == [(0,)]
    assert under(db, keep) == {t: keep_had[t] + other_had[t] for t in CHILDREN}
    history = json.loads(cli("import", "history", "--json").stdout)
    assert history[0]["kind"] == "merge" and history[0]["id"] == report["batch"]
    actions = rows(
        db,
        "SELECT action, table_name, count(*) FROM import_change WHERE batch_id = ? "
        "GROUP BY action, table_name",
        report["batch"].replace("-", ""),  # ids as SQLite stores them (PostgreSQL reads them too)
    )
    assert ("delete", "customer", 1) in actions
    assert sum(n for action, _t, n in actions if action == "update") == sum(other_had.values())
    undo = cli("import", "undo", report["batch"][:8], "--yes")
    assert undo.exit_code == 0, undo.output
    after = snapshot(db)
    after.pop("import_batch"), after.pop("import_change")
    for table, content in after.items():
        assert content == before[table], table


def test_merge_refuses_itself_and_unknown_customers(cli, db) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Alpha Ltd").exit_code == 0
    before = snapshot(db)
    itself = cli("customer", "merge", "Alpha Ltd", "Alpha Ltd")
    assert itself.exit_code == 2 and "same customer" in itself.output
    assert len(itself.output.strip().splitlines()) == 1
    unknown = cli("customer", "merge", "Alpha Ltd", "Nobody Inc")
    assert unknown.exit_code == 2 and "Nobody Inc" in unknown.output
    assert "Traceback" not in unknown.output
    assert snapshot(db) == before


def test_duplicates_list_merge_resolves_and_dismiss(cli, db, tmp_path) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    path = tmp_path / "shops.csv"
    path.write_text(
        "name,contact_name,email\n"
        "Corner Bakery,Ana,info@gmail.com\n"
        "Corner Bakery Ltd,Ana B,ana@bakery.example\n"
        "Harbour Florist,Ben,info@gmail.com\n",
        encoding="utf-8",
    )
    assert cli("import", "customers", str(path)).exit_code == 0
    listed = json.loads(cli("duplicates", "--json").stdout)
    assert sorted((d["record_name"], d["other_name"]) for d in listed) == [
        ("Corner Bakery Ltd", "Corner Bakery"),
        ("Harbour Florist", "Corner Bakery"),
    ]
    assert all(d["table"] == "customer" and d["batch"] for d in listed)
    text = cli("duplicates")
    assert text.exit_code == 0 and "Florist" in text.output
    florist = next(d for d in listed if d["record_name"] == "Harbour Florist")
    assert cli("duplicates", "dismiss", florist["id"]).exit_code == 0
    assert rows(db, "SELECT resolution FROM possible_duplicate WHERE resolution IS NOT NULL") == [
        ("different",)
    ]
    again = cli("duplicates", "dismiss", florist["id"])
    assert again.exit_code == 4
    bakery = next(d for d in listed if d["record_name"] == "Corner Bakery Ltd")
    merged = cli("customer", "merge", bakery["other_id"], bakery["record_id"], "--json")
    assert merged.exit_code == 0, merged.output
    assert json.loads(cli("duplicates", "--json").stdout) == []
    assert rows(
        db,
        "SELECT contact.name FROM contact JOIN customer ON customer.id = contact.customer_id "
        "WHERE customer.name = 'Corner Bakery' ORDER BY contact.name",
    ) == [("Ana",), ("Ana B",)]
    batch = json.loads(merged.stdout)["batch"]
    assert cli("import", "undo", batch[:8], "--yes").exit_code == 0
    assert [d["record_name"] for d in json.loads(cli("duplicates", "--json").stdout)] == [
        "Corner Bakery Ltd"
    ]


def test_merge_hands_other_pairs_to_keep_and_undo_hands_them_back(cli, db, tmp_path) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    path = tmp_path / "shops.csv"
    path.write_text(
        "name,contact_name,email\n"
        "Corner Bakery,Ana,info@gmail.com\n"
        "Corner Bakery Ltd,Ana B,ana@bakery.example\n"
        "Harbour Florist,Ben,info@gmail.com\n",
        encoding="utf-8",
    )
    assert cli("import", "customers", str(path)).exit_code == 0
    before = snapshot(db)

    def listed() -> list[tuple[str, str]]:
        found = json.loads(cli("duplicates", "--json").stdout)
        return sorted((d["record_name"], d["other_name"]) for d in found)

    assert listed() == [
        ("Corner Bakery Ltd", "Corner Bakery"),
        ("Harbour Florist", "Corner Bakery"),
    ]
    merged = cli("customer", "merge", "Corner Bakery Ltd", "Corner Bakery", "--json")
    assert merged.exit_code == 0, merged.output
    assert listed() == [("Harbour Florist", "Corner Bakery Ltd")]
    assert rows(db, "SELECT resolution FROM possible_duplicate WHERE resolution IS NOT NULL") == [
        ("merged",)
    ]
    batch = json.loads(merged.stdout)["batch"]
    assert cli("import", "undo", batch[:8], "--yes").exit_code == 0
    after = snapshot(db)
    after.pop("import_batch"), after.pop("import_change")
    for table, content in after.items():
        assert content == before[table], table
