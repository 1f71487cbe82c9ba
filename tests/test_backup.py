from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from tests.conftest import count_rows


def test_backup_and_restore(cli, db_path: Path, tmp_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "华东家具有限公司")
    copy = tmp_path / "backup.db"
    assert cli("backup", str(copy)).exit_code == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cli("backup", str(copy)).exit_code == 4  # never overwrites a backup

    cli("customer", "add", "Later Co")
    refused = cli("restore", str(copy))
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert count_rows(db_path, "customer") == 2
    assert cli("restore", str(copy), "--yes").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM customer")] == ["华东家具有限公司"]


def test_restore_refuses_what_is_not_a_backup(cli, db_path: Path, tmp_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    assert cli("restore", str(junk), "--yes").exit_code == 2
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    assert cli("restore", str(other), "--yes").exit_code == 2
    assert cli("restore", str(tmp_path / "missing.db"), "--yes").exit_code == 2
    assert count_rows(db_path, "rep") == 1
