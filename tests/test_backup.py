from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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


def _scribbled(db: Path, target: Path) -> Path:
    """A copy of `db` with bytes scribbled over its data pages (the header left whole)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    image = bytearray(db.read_bytes())
    for at in range(2 * 4096, len(image), 4096):
        image[at : at + 600] = bytes((n * 37) % 251 for n in range(600))
    target.write_bytes(bytes(image))
    return target


def _one_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert "internal error" not in lines[0]
    return lines[0]


def test_backup_of_a_damaged_database_refuses_and_leaves_nothing(
    cli, db_path: Path, tmp_path: Path
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    for n in range(30):
        cli("customer", "add", f"Customer {n}")
    damaged = _scribbled(db_path, tmp_path / "damaged.db")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("backup", str(out / "copy.db"), "--db", str(damaged))
    assert result.exit_code in (2, 4)
    line = _one_line(result)
    assert "damaged" in line and "nothing was backed up" in line
    assert list(out.iterdir()) == []


def test_backup_onto_a_full_disk_refuses_and_leaves_nothing(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import salesbench.services.backup as backups

    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")

    def full(source: Path, target: Path, *, done: str, **how: object) -> None:
        target.write_bytes(b"half a database" * 100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(backups, "_copy", full)
    out = tmp_path / "out"
    out.mkdir()
    result = cli("backup", str(out / "copy.db"))
    assert result.exit_code in (2, 4)
    line = _one_line(result)
    assert "no space left on the device" in line and "nothing was backed up" in line
    assert list(out.iterdir()) == []


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], Path]]:
    """`read_only(folder)`: the folder, filled, as a read-only one: a read-only bind
    mount when the tests run as root (who may write anywhere), else made 0555."""
    undo: list[list[str] | Path] = []

    def seal(folder: Path) -> Path:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(folder)
            return folder
        view = folder.with_name(f"{folder.name}-ro")
        view.mkdir()
        made = subprocess.run(
            ["mount", "--bind", "-o", "ro", str(folder), str(view)], capture_output=True
        )
        if made.returncode != 0:
            pytest.skip("no read-only folder to be had here (root, and no bind mount)")
        undo.append(["umount", str(view)])
        return view

    yield seal
    for step in undo:
        if isinstance(step, Path):
            step.chmod(0o700)
        else:
            subprocess.run(step, check=True)


def test_backup_of_a_database_in_a_read_only_folder_works(
    cli, db_path: Path, tmp_path: Path, read_only
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "华东家具有限公司")
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = tmp_path / "shelf"
    folder.mkdir()
    (folder / "sales.db").write_bytes(db_path.read_bytes())
    sealed = read_only(folder)
    copy = tmp_path / "copy.db"
    result = cli("backup", str(copy), "--db", str(sealed / "sales.db"))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT name FROM customer").fetchall() == [("华东家具有限公司",)]


def test_backup_into_a_read_only_folder_refuses_and_leaves_nothing(
    cli, db_path: Path, tmp_path: Path, read_only
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    folder = tmp_path / "locked"
    folder.mkdir()
    sealed = read_only(folder)
    result = cli("backup", str(sealed / "copy.db"))
    assert result.exit_code in (2, 4)
    line = _one_line(result)
    assert str(sealed / "copy.db") in line and "nothing was backed up" in line
    assert list(folder.iterdir()) == []


def test_a_planted_part_link_is_not_followed_by_backup(cli, db_path: Path, tmp_path: Path) -> None:
    """The temporary copy has a random name, created exclusively: a link planted where the
    old fixed name was is neither written through nor needed."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    target = tmp_path / "copy.db"
    (tmp_path / ".copy.db.part").symlink_to(victim)
    assert cli("backup", str(target)).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and count_rows(target, "rep") == 1
    assert [p.name for p in tmp_path.glob(".copy.db.*.part")] == []
