"""The one way salesbench writes a file that holds customer data.

A temporary file is created in the target's own folder with O_CREAT|O_EXCL|O_NOFOLLOW
and mode 0600, so it is readable by its owner only from its first byte and never a
file (or a link) someone placed there; it is written, fsynced and renamed into place,
so the target appears only once it is whole. An existing target is refused (exit 4)
unless `force`; with `force` the rename replaces it (a link is replaced, not followed).
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from salesbench.core.errors import BadInput, Conflict

MODE = 0o600
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_ATTEMPTS = 16
# a write refused for want of room: a full disk, a quota, a file-size limit (all alike)
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def no_space(target: Path, done: str = "nothing was written") -> BadInput:
    """The one line for `target` that did not fit where it was going (exit 2)."""
    return BadInput(f"cannot write {target}: no space left on the device; {done}")


def check_target(
    target: Path, *, force: bool = False, option: str | None = "--out", forceable: bool = True
) -> None:
    """Refuse, before any work, a target that is a folder, lies in no folder, or exists
    (unless `force`; the message offers `--force` where the command has it)."""
    if target.is_dir():
        raise BadInput(f"{target} is a folder", field=option)
    if not target.parent.is_dir():
        raise BadInput(f"{target.parent}: no such folder", field=option)
    if not force and os.path.lexists(target):
        where = f" ({option} --force to replace it)" if option and forceable else ""
        raise Conflict(f"{target} exists already; choose another file{where}")


def temporary_name(target: Path) -> Path:
    """A fresh hidden name beside `target`: a planted `.NAME.part` is never ours."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")


def _create(target: Path) -> tuple[Path, int]:
    for _ in range(_ATTEMPTS):
        tmp = temporary_name(target)
        try:
            fd = os.open(tmp, _FLAGS, MODE)
        except FileExistsError:
            continue
        os.fchmod(fd, MODE)  # the umask may have cleared bits, never added them
        return tmp, fd
    raise Conflict(f"could not create a temporary file beside {target}")


def _sync_folder(folder: Path) -> None:
    with suppress(OSError):  # some file systems cannot open or fsync a folder
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _place(tmp: Path, target: Path, *, force: bool, option: str | None, forceable: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:  # link(2) never replaces: a file that appeared meanwhile is kept
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        check_target(target, option=option, forceable=forceable)
        raise
    except OSError:  # a file system without hard links
        check_target(target, option=option, forceable=forceable)
        os.replace(tmp, target)
        return
    os.unlink(tmp)


@contextmanager
def private_output(
    target: Path,
    mode: str = "wb",
    *,
    force: bool = False,
    option: str | None = "--out",
    forceable: bool = True,
) -> Iterator[IO[Any]]:
    """A private file (0600) that appears as `target` only once it is whole; `mode` is
    "wb" or "w" (UTF-8 text). Nothing is left behind if the body raises. `option` names
    the option that gave the path in messages; `forceable`, whether it has --force."""
    if mode not in ("w", "wb"):
        raise ValueError(f"mode {mode!r}: private_output writes 'w' or 'wb'")
    check_target(target, force=force, option=option, forceable=forceable)
    tmp, fd = _create(target)
    try:
        encoding = None if mode == "wb" else "utf-8"
        handle = os.fdopen(fd, mode, encoding=encoding)
        try:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            with suppress(OSError):  # what did not fit is not flushed again
                handle.close()
        _place(tmp, target, force=force, option=option, forceable=forceable)
        _sync_folder(target.parent)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise no_space(target) from None
        raise
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def write_private(
    data: bytes, target: Path, *, force: bool = False, option: str | None = "--out"
) -> None:
    """`data` as the private file `target`."""
    with private_output(target, "wb", force=force, option=option) as handle:
        handle.write(data)
