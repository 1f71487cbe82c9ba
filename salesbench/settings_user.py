"""What the person chose once in the workbench and salesbench remembers for next time:
who they are in each database (the rep picker). A shell's module, like settings_env:
the file lives in the user's config folder (platformdirs), and services never read it.

`--rep` and SALESBENCH_REP still win over what is remembered. A file that cannot be
read as salesbench wrote it is ignored with a notice (the person chooses again, and the
next choice writes it anew); it is written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_NAME = "config.json"


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("salesbench", appauthor=False) / CONFIG_NAME


@dataclass(frozen=True)
class Remembered:
    reps: dict[str, str]  # database (as displayed, no password) -> the chosen rep's id
    notice: str | None = None  # why the file was ignored, for the person to read


def load(path: Path | None = None) -> Remembered:
    path = config_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Remembered({})
    except (OSError, UnicodeDecodeError) as exc:
        return Remembered({}, f"{_ignored(path)}: {getattr(exc, 'strerror', None) or exc}")
    try:
        data: Any = json.loads(text)
    except ValueError:
        return Remembered({}, f"{_ignored(path)}: it is not JSON")
    reps = data.get("reps") if isinstance(data, dict) else None
    if not isinstance(reps, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in reps.items()
    ):
        return Remembered({}, f"{_ignored(path)}: no list of reps by database in it")
    return Remembered(dict(reps))


@dataclass(frozen=True)
class Acting:
    """Who the person is in a database, as far as the shell can tell before reading it."""

    ref: str | None  # a rep reference for the services, None: nobody named
    remembered: bool = False  # `ref` is the choice remembered: if it is gone, forget it
    notice: str | None = None  # why the remembered choices were ignored


def acting_rep(explicit: str | None, database: str, path: Path | None = None) -> Acting:
    """The one rule the workbench and every command share: `explicit` (--rep, else
    SALESBENCH_REP) wins; else the rep the person chose for `database` in the workbench;
    else nobody (the services then take the only rep there is, or ask which). A
    remembered rep no longer in the database counts as nobody: the caller checks that
    once it reads the reps (tui/reads.py load_queue, cli/common.py acting)."""
    if explicit and explicit.strip():
        return Acting(explicit)
    memory = load(path)
    ref = memory.reps.get(database)
    return Acting(ref, remembered=ref is not None, notice=memory.notice)


def _ignored(path: Path) -> str:
    return f"Your saved choice of rep in {path} was ignored"


def remember_rep(database: str, rep_id: str, path: Path | None = None) -> None:
    """Remember `rep_id` as who the person is in `database`, keeping the other
    databases' choices (not those of a file that could not be read)."""
    path = config_path() if path is None else path
    reps = load(path).reps
    reps[database] = rep_id
    _write_whole(path, json.dumps({"reps": reps}, ensure_ascii=False, indent=1) + "\n")


def _write_whole(path: Path, text: str) -> None:
    """Write to a new file beside `path`, flush it to disk, then rename it over `path`:
    a reader (another workbench starting) sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
