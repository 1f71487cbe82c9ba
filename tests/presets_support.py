"""What the preset tests share: the fixtures' place and ids, two reps, and helpers
that read the database."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SF_OWNERS = str(FIXTURES / "sf-owners.csv")
A1, A2, A3, A4 = (f"0015g00000AbCd{c}AAV" for c in "EFGH")
O1, O2 = "0055g000004XyZaAAK", "0055g000004XyZbAAK"
NEEDS_POINTS = "needs contact points (several phones and emails per contact)"
NEEDS_ADDRESSES = "needs addresses"
NEEDS_SOURCE = "needs external_source set from the preset"
NEEDS_CURRENCY = "needs customer.currency from a currency column"
NEEDS_DUPLICATES = "needs the duplicate policy (weak matches go in as new records)"


def add_reps(cli) -> None:
    """Wang Fang (who runs the imports) and Li Lei."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("rep", "add", "Li Lei", "lilei@example.com").exit_code == 0


def ok(cli, *args: str):
    result = cli("import", *args)
    assert result.exit_code == 0, result.output
    return result


def by_external_id(db, sql: str) -> dict[str, tuple]:
    return {r[0]: tuple(r[1:]) for r in rows(db, sql)}


def counts(db) -> tuple[int, int, int]:
    """Customers, contacts from a source (with its id), deals: one per source record."""
    return (
        rows(db, "SELECT COUNT(*) FROM customer")[0][0],
        rows(db, "SELECT COUNT(*) FROM contact WHERE external_id IS NOT NULL")[0][0],
        rows(db, "SELECT COUNT(*) FROM opportunity")[0][0],
    )


def records(db) -> dict[str, list]:
    """Every row of every table (the batch log too): what a second import must leave
    as it was."""
    return snapshot(db)


SF_FILES = (
    ("customers", "sf-accounts.csv"),
    ("contacts", "sf-contacts.csv"),
    ("opportunities", "sf-opportunities.csv"),
)


def import_salesforce(cli) -> None:
    for kind, name in SF_FILES:
        result = ok(cli, kind, str(FIXTURES / name), "--owner-map", SF_OWNERS)
        assert "read as a salesforce export" in result.output
