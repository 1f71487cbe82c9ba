"""Every file salesbench writes with customer data is private (0600) from its first byte,
is never a link someone planted, and never replaces an existing file unasked."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesbench.io import private_files
from tests.conftest import rows

pytestmark = pytest.mark.both_backends

EXPORTS = {  # kind, format -> file name
    ("customers", "csv"): "c.csv",
    ("customers", "json"): "c.json",
    ("customers", "jsonl"): "c.jsonl",
    ("customers", "xlsx"): "c.xlsx",
    ("contacts", "vcard"): "p.vcf",
    ("tasks", "ics"): "t.ics",
}
REPORTS = ("md", "csv", "xlsx", "html", "json")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The umask most desktops have: files are 0644 unless the program says otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def temporaries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, int, int, int]]:
    """Every temporary file private_files creates: (path, flags, mode at creation, size)."""
    made: list[tuple[Path, int, int, int]] = []
    real_open = os.open

    def watching(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        fd = real_open(path, flags, mode, *args, **kwargs)
        if str(path).endswith(".part"):
            st = os.fstat(fd)
            made.append((Path(path), flags, stat.S_IMODE(st.st_mode), st.st_size))
        return fd

    monkeypatch.setattr(private_files.os, "open", watching)
    return made


def assert_private_temporaries(made: list[tuple[Path, int, int, int]], out: Path) -> None:
    assert made, "the file was not written through private_files"
    for path, flags, created, size in made:
        assert path.parent == out.parent  # renamed within its folder: never a copy
        assert flags & os.O_EXCL and flags & os.O_NOFOLLOW and flags & os.O_CREAT
        assert (created, size) == (0o600, 0)  # private before its first byte
        assert not path.exists()  # renamed into place, nothing left behind
    made.clear()


@pytest.fixture
def book(cli, db, monkeypatch):
    monkeypatch.setenv("SALESBENCH_REP", "ann@example.com")
    for command in (
        ("init", "--name", "Ann", "--email", "ann@example.com"),
        ("rep", "add", "Bo", "bo@example.com"),
        ("customer", "add", "Acme"),
        ("customer", "add", "Birch", "--rep", "bo@example.com"),
        ("contact", "add", "Acme", "Li Lei", "--phone", "+86 138 0000 0000"),
        ("opp", "add", "Acme", "Refit", "--playbook", "retail-5"),
    ):
        done = cli(*command)
        assert done.exit_code == 0, (command, done.output)
    return cli


def test_every_export_format_is_private_from_its_first_byte(book, tmp_path, temporaries):
    for (kind, fmt), name in EXPORTS.items():
        out = tmp_path / name
        done = book("export", kind, "--format", fmt, "--out", str(out))
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 0 and mode(out) == 0o600, (fmt, oct(mode(out)))
        assert_private_temporaries(temporaries, out)
    bundle = tmp_path / "all.json"
    assert book("export", "all", "--out", str(bundle)).exit_code == 0
    assert mode(bundle) == 0o600 and b"salesbench-bundle" in bundle.read_bytes()
    assert_private_temporaries(temporaries, bundle)
    # nothing hidden is left but the database's own lock files (store/locks.py)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert [n for n in left if not n.endswith(".lock")] == []


def test_every_report_format_is_private_from_its_first_byte(book, tmp_path, temporaries):
    for fmt in REPORTS:
        out = tmp_path / f"weekly.{fmt}"
        done = book("report", "weekly", "--all", "--out", str(out))
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 0 and mode(out) == 0o600, (fmt, oct(mode(out)))
        assert_private_temporaries(temporaries, out)


def test_the_purge_file_is_private_from_its_first_byte(book, db, tmp_path, temporaries):
    out = tmp_path / "bo.json"
    done = book("rep", "purge", "bo@example.com", "--export", str(out), "--yes")
    assert done.exit_code == 0, done.output
    assert mode(out) == 0o600 and b"Birch" in out.read_bytes()
    assert_private_temporaries(temporaries, out)
    assert rows(db, "SELECT name FROM customer") == [("Acme",)]


def test_a_backup_is_private(book, db, tmp_path) -> None:
    if not isinstance(db, Path):
        pytest.skip("backup copies a SQLite file; PostgreSQL uses pg_dump")
    out = tmp_path / "copy.db"
    done = book("backup", str(out))
    assert done.exit_code == 0, done.output
    assert mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy.db")] == []


def test_a_planted_part_link_is_not_followed(book, db, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    planted = tmp_path / ".pre.csv.part"  # the name older versions wrote to
    planted.symlink_to(victim)
    out = tmp_path / "pre.csv"
    done = book("export", "customers", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert victim.read_text() == "keep me\n"
    assert planted.is_symlink()  # not ours: left as it was
    assert out.is_file() and not out.is_symlink() and mode(out) == 0o600
    assert b"Acme" in out.read_bytes()


def test_an_out_that_is_a_link_is_refused_then_replaced_not_followed(book, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    refused = book("export", "customers", "--out", str(link))
    assert refused.exit_code == 4
    assert "exists already" in refused.output and len(refused.output.splitlines()) == 1
    assert link.is_symlink() and victim.read_text() == "keep me\n"
    forced = book("export", "customers", "--out", str(link), "--force")
    assert forced.exit_code == 0, forced.output
    assert not link.is_symlink() and b"Acme" in link.read_bytes() and mode(link) == 0o600
    assert victim.read_text() == "keep me\n"


@pytest.mark.parametrize(
    "command",
    [
        ("export", "customers"),
        ("export", "contacts", "--format", "vcard"),
        ("export", "all"),
        ("report", "weekly", "--all", "--format", "md"),
    ],
)
def test_an_existing_out_is_refused_unless_force(book, tmp_path, command) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "existing.out"
    out.write_text("mine\n")
    os.chmod(out, 0o644)
    refused = book(*command, "--out", str(out))
    assert refused.exit_code == 4, refused.output
    assert refused.output.splitlines() == [
        f"salesbench: error: {out} exists already; choose another file "
        "(--out --force to replace it)"
    ]
    assert out.read_text() == "mine\n" and mode(out) == 0o644
    forced = book(*command, "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text() != "mine\n" and mode(out) == 0o600
    assert [p.name for p in folder.iterdir()] == ["existing.out"]


def test_an_out_in_a_missing_folder_or_a_folder_is_bad_input(book, tmp_path) -> None:
    where = tmp_path / "out"
    where.mkdir()
    missing = book("export", "customers", "--out", str(where / "no" / "c.csv"))
    assert missing.exit_code == 2
    assert missing.output.splitlines() == [
        f"salesbench: error: --out: {where / 'no'}: no such folder"
    ]
    folder = book("report", "weekly", "--all", "--out", str(where))
    assert folder.exit_code == 2
    assert folder.output.splitlines() == [f"salesbench: error: --out: {where} is a folder"]
    assert list(where.iterdir()) == []


def test_a_file_that_appears_meanwhile_is_kept(tmp_path: Path) -> None:
    """The check before the work is not the only one: the rename never replaces."""
    from salesbench.core.errors import Conflict

    out = tmp_path / "late.csv"
    with pytest.raises(Conflict, match="exists already"), private_files.private_output(out) as f:
        f.write(b"ours")
        out.write_bytes(b"theirs")  # another program wrote it while we worked
    assert out.read_bytes() == b"theirs"
    assert list(tmp_path.iterdir()) == [out]


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "half.csv"
    with pytest.raises(RuntimeError), private_files.private_output(out, "w") as handle:
        handle.write("half a row")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
