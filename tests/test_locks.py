"""The locks between processes: exclusive against exclusive and shared, shared with
shared, gone with the process that held them (even killed), waits that run out."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from salesbench.store.locks import LockBusy, advisory_key, file_lock, lock_path

HOLD = """
import sys, time
from pathlib import Path
from salesbench.store.locks import file_lock
with file_lock(Path(sys.argv[1]), shared=sys.argv[2] == "shared"):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(path: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_an_exclusive_lock_waits_for_a_shared_one_and_gives_up(tmp_path: Path) -> None:
    path = lock_path(tmp_path / "team.db", "open")
    assert path.name == ".team.db.open.lock"
    proc = _holder(path, "shared")
    try:
        with file_lock(path, shared=True, wait=0):  # shared beside shared
            pass
        told: list[str] = []
        start = time.monotonic()
        with (
            pytest.raises(LockBusy, match="in use"),
            file_lock(path, wait=0.3, waiting=lambda: told.append("waiting"), busy="in use"),
        ):
            pass
        assert time.monotonic() - start >= 0.3 and told == ["waiting"]
    finally:
        proc.kill()
        proc.wait()
    with file_lock(path, wait=0):  # a killed holder leaves nothing behind
        pass
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / ".x.db.open.lock"
    link.symlink_to(target)
    with pytest.raises(OSError), file_lock(link, wait=0):
        pass
    assert target.read_text(encoding="utf-8") == "keep"


def test_advisory_keys_are_stable_signed_64_bit_and_distinct() -> None:
    one, two = advisory_key("import", "customers"), advisory_key("import", "contacts")
    assert one == advisory_key("import", "customers") and one != two
    assert all(-(2**63) <= k < 2**63 for k in (one, two))
