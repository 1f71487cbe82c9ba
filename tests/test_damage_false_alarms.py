"""A healthy database is never marked damaged: a lock held by another connection, a file
salesbench may not read, a database busy in another process are said as such, and leave
no `.NAME.damaged` marker behind (issue 15)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesbench.core.errors import BadInput, Conflict
from salesbench.store.damage import DatabaseDamaged, damage_found, marker_path


@pytest.fixture
def held(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the database exclusively (as a long write would)."""
    conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.sqlite_only
def test_a_locked_database_is_not_found_damaged(db_path: Path, held) -> None:
    found = damage_found(db_path)
    assert not isinstance(found, DatabaseDamaged), found
    assert not marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_a_damaged_database_is_still_found_damaged(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with db_path.open("r+b") as f:
        f.write(b"not a database at all, scribbled over")
    found = damage_found(db_path)
    assert isinstance(found, DatabaseDamaged), found
    assert marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_a_file_salesbench_may_not_read_is_not_marked_damaged(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesbench.store import open as store_open
    from salesbench.store.locks import lock_path

    lock_path(db_path, "open").touch()  # salesbench opened it before
    real_open = Path.open

    def refusing(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == db_path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refusing)
    with pytest.raises(BadInput) as caught:
        store_open.refuse_what_is_no_database(db_path)
    assert not isinstance(caught.value, DatabaseDamaged)
    assert str(caught.value).endswith(f"you may not read {db_path}")
    assert caught.value.exit_code == 2
    assert not marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_read_connection_on_a_busy_database_says_in_use(db_path: Path, held) -> None:
    from salesbench.store.open import read_connection

    with pytest.raises(Conflict) as caught:
        read_connection(db_path, timeout=0.2)
    assert "in use" in str(caught.value)
    assert caught.value.exit_code == 4
    assert not marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_doctor_on_a_busy_database_says_in_use_in_one_line(cli, db_path: Path, held) -> None:
    from salesbench.services.doctor import diagnose

    checks = diagnose(str(db_path), clipboard_tool=None)
    said = [c for c in checks if c.area == "database" and "in use" in c.detail]
    assert len(said) == 1, checks
    assert not any(c.name == "integrity" for c in checks), checks
    assert not marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_backup_of_a_busy_database_exits_4(cli, db_path: Path, held, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = cli("backup", str(out))
    assert result.exit_code == 4, result.output
    assert "in use" in result.output
    assert not out.exists()
    assert not marker_path(db_path).exists()


@pytest.mark.sqlite_only
def test_the_damage_marker_takes_its_time_from_the_caller(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from salesbench.store import damage

    db_path = tmp_path / "sales.db"
    damage.remember_damage(
        db_path, "database disk image is malformed", datetime(2031, 2, 3, 4, 5, tzinfo=UTC)
    )
    assert marker_path(db_path).read_text("utf-8") == (
        "2031-02-03 04:05 UTC\ndatabase disk image is malformed\n"
    )
    # without a clock at hand: the marker's own creation time, never a clock read here
    other = tmp_path / "other.db"
    damage.remember_damage(other, "file is not a database")
    stamped = datetime.fromtimestamp(marker_path(other).stat().st_mtime, tz=UTC)
    when = marker_path(other).read_text("utf-8").splitlines()[0]
    assert when == stamped.strftime("%Y-%m-%d %H:%M UTC")
    assert "SystemClock" not in Path(damage.__file__).read_text("utf-8")


def _customer(conn: sqlite3.Connection, rep: str, n: int, ext: str) -> None:
    conn.execute(
        "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, custom,"
        " external_id, external_source, version, created_at, updated_at) VALUES (?, 'person',"
        " ?, 'rule', 'active', ?, '{}', ?, 'hubspot', 1, '2026-11-01 00:00:00.000000',"
        " '2026-11-01 00:00:00.000000')",
        (f"{n:032x}", f"Alice {n}", rep, ext),
    )


def _indexes(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        found = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    return found


@pytest.mark.sqlite_only
def test_a_unique_index_left_off_is_warned_of_and_made_once_no_id_is_shared(
    cli, db_path: Path
) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        ((rep,),) = conn.execute("SELECT id FROM rep").fetchall()
        conn.execute("DROP INDEX uq_customer_external")  # as 0009 left it over duplicates
        _customer(conn, rep, 1, "hs-1")
        _customer(conn, rep, 2, "hs-1")
    conn.close()
    result = cli("doctor")
    assert "share the source id hubspot id hs-1" in result.output, result.output
    assert "uq_customer_external" not in _indexes(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE customer SET external_id = 'hs-2' WHERE name = 'Alice 2'")
    conn.close()
    result = cli("doctor")
    assert "uq_customer_external" in _indexes(db_path), result.output
    assert "customer has its unique index on source ids again" in result.output
    result = cli("doctor")
    assert "source id" not in result.output, result.output


@pytest.mark.sqlite_only
def test_doctor_warns_of_a_missing_unique_index_it_cannot_make(db_path: Path) -> None:
    from salesbench.services.doctor_identity import identity_findings

    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP INDEX uq_task_external")
        found = identity_findings(conn)
    conn.close()
    assert [what for what, _ in found] == [
        "table task has no unique index on source ids (no id is shared now): the schema "
        "cannot refuse two records with one id"
    ]


@pytest.mark.both_backends
def test_an_id_matched_row_taking_another_records_source_id_is_a_problem_of_the_file(
    cli, db, tmp_path: Path
) -> None:
    from tests.conftest import rows, snapshot

    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    first = tmp_path / "first.csv"
    first.write_text("external_id,external_source,name\nE1,hubspot,Alpha\nE2,hubspot,Beta\n")
    assert cli("import", "customers", str(first)).exit_code == 0
    ((beta,),) = rows(db, "SELECT id FROM customer WHERE name = 'Beta'")
    beta_id = str(uuid_of(beta))
    before = snapshot(db)
    clash = tmp_path / "clash.csv"
    clash.write_text(f"id,external_id,external_source,name\n{beta_id},E1,hubspot,Beta\n")
    for _ in range(2):
        result = cli("import", "customers", str(clash), "--mode", "upsert")
        assert result.exit_code == 2, result.output
        assert "clash.csv:2:" in result.output and "external_id" in result.output
        assert "Alpha" in result.output
        assert "meanwhile" not in result.output
        assert snapshot(db) == before


def uuid_of(value: object) -> object:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@pytest.mark.sqlite_only
def test_a_file_removed_mid_read_is_said_gone_and_not_marked_damaged(db_path: Path) -> None:
    """SQLite says "disk I/O error" to a connection whose file was removed under an open
    WAL: the file is gone, not damaged; no marker may appear where it was."""
    from salesbench.core.errors import DatabaseReplaced
    from salesbench.store.damage import sqlite_problem

    holder = sqlite3.connect(db_path)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM sqlite_master").fetchall()
    reader = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True)  # connected, not yet read
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error") as caught:
        reader.execute("SELECT count(*) FROM sqlite_master").fetchall()
    reader.close()
    holder.close()
    found = sqlite_problem(db_path, caught.value)
    assert isinstance(found, DatabaseReplaced), found
    assert not marker_path(db_path).exists()
    assert not db_path.exists()
