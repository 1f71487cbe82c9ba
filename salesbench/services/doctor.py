"""`salesbench doctor`: is everything salesbench relies on in order, and if not, what
to do about it."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from salesbench.core.errors import BadInput, NotFound

if TYPE_CHECKING:
    from salesbench.core.errors import SalesbenchError
from salesbench.core.settings import DB_ENV, Settings
from salesbench.services.doctor_checks import FAIL, INFO, OK, WARN, Check
from salesbench.services.doctor_damage import damage_marker
from salesbench.services.doctor_identity import (
    identity_findings,
    make_missing_indexes,
    server_identity_findings,
)
from salesbench.store.damage import DatabaseInUse
from salesbench.store.location import DbLocation, resolve


def storage_problem(exc: BaseException, db_path: Path | None) -> SalesbenchError | None:
    """The one-line error for `exc` if it says the SQLite file at `db_path` is damaged
    or read-only (a driver error, or one SQLAlchemy wraps), else None."""
    from salesbench.store.damage import damage_found, sqlite_problem

    if db_path is None:
        return None
    inner = getattr(exc, "orig", None) or exc
    if isinstance(inner, sqlite3.IntegrityError):
        return None  # a clash with stored data, which the caller reports as a conflict
    if isinstance(inner, sqlite3.Error | OSError):
        found = sqlite_problem(db_path, inner)
        if found is not None:
            return found
    return damage_found(db_path)


def diagnose(
    db: str | None, *, clipboard_tool: tuple[str, ...] | None, settings: Settings | None = None
) -> list[Check]:
    """Every check; `clipboard_tool` is the one the shell found (None: there is none),
    `settings` are the caller's, as the shell resolved them (the database given with
    --db is `db`)."""
    settings = settings or Settings()
    location = resolve(db)
    checks = [Check("database", "location", INFO, location.display())]
    if location.path is not None:
        checks += _sqlite_checks(location)
    else:
        checks += _server_checks(location)
    checks += _config_checks(location, db, settings)
    checks += _tool_checks(clipboard_tool)
    return checks


def _sqlite_checks(location: DbLocation) -> list[Check]:
    from salesbench.store.migrate import HEAD_REVISION, known_revisions
    from salesbench.store.open import read_connection

    path = location.path
    assert path is not None
    if not path.exists():
        return [
            Check(
                "database",
                "file",
                FAIL,
                f"{path} does not exist",
                "create it with `salesbench init` (or try `salesbench demo`)",
            )
        ]
    from salesbench.store.damage import read_only_reason

    out: list[Check] = []
    reason = read_only_reason(path)
    if reason is not None:
        out.append(
            Check(
                "database",
                "access",
                FAIL,
                f"{path} is read-only: {reason}",
                READ_ONLY_FIX,
            )
        )
    # A folder that cannot take the -shm file is read as an immutable file instead.
    immutable = bool(reason and "folder" in reason)
    if reason is None:
        for table in make_missing_indexes(path):
            detail = f"table {table} has its unique index on source ids again"
            out.append(Check("database", "identities", OK, detail))
    try:
        conn = read_connection(path, timeout=10)  # it leaves no -wal or -shm behind
        try:
            content = _content_checks(conn, immutable)
            out += content + damage_marker(path, content)
            out += [Check("database", "identities", WARN, *f) for f in identity_findings(conn)]
            out.append(_schema_check(_revision(conn), HEAD_REVISION, known_revisions))
        finally:
            conn.close()
    except DatabaseInUse as exc:
        return [*out, Check("database", "open", WARN, str(exc), "run `salesbench doctor` again")]
    except sqlite3.Error as exc:
        return [*out, _unreadable(path, exc)]
    out += _mode_checks(path)
    return out


READ_ONLY_FIX = "give yourself write access (the data is not damaged: do not restore it)"


def _revision(conn: sqlite3.Connection) -> str | None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


RESTORE_FIX = (
    "restore the last backup (`salesbench restore FILE`), or copy what is "
    "readable with `sqlite3 FILE .recover`"
)


def _unreadable(path: Path, exc: sqlite3.Error) -> Check:
    from salesbench.store.damage import DatabaseReadOnly, sqlite_problem

    problem = sqlite_problem(path, exc)
    if isinstance(problem, DatabaseReadOnly):
        return Check("database", "open", FAIL, str(problem), READ_ONLY_FIX)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Check(
        "database",
        "integrity",
        FAIL,
        f"not a readable SQLite database ({first})",
        "restore the last backup: `salesbench restore FILE`",
    )


def _content_checks(conn: sqlite3.Connection, immutable: bool) -> list[Check]:
    """Integrity, references and journal of an open file; a damaged page stops a check
    with its own FAIL line, never the doctor."""
    out: list[Check] = []
    found = [r[0] for r in conn.execute("PRAGMA integrity_check(100)").fetchall()]
    result = [
        line for r in found for line in str(r).splitlines() if line and not line.startswith("***")
    ]
    if found == ["ok"]:
        out.append(Check("database", "integrity", OK, "integrity_check: ok"))
    else:
        result = result or [str(found[0])]
        more = "100 or more" if len(result) >= 100 else str(len(result))
        out.append(
            Check(
                "database",
                "integrity",
                FAIL,
                f"damaged: integrity_check found {more} problems, first: {result[0]}",
                RESTORE_FIX,
            )
        )
    try:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        out.append(
            Check("database", "foreign keys", FAIL, f"cannot be checked: {exc}", RESTORE_FIX)
        )
    else:
        out.append(
            Check("database", "foreign keys", OK, "every reference points at a record")
            if not broken
            else Check(
                "database",
                "foreign keys",
                FAIL,
                f"{len(broken)} rows point at records that are gone (first in {broken[0][0]})",
                "restore the last backup, or export what you need and re-import it",
            )
        )
    if immutable:  # read without its -shm: the header's journal mode means nothing here
        return out
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    out.append(
        Check("database", "journal", OK, "WAL: readers never wait for writers")
        if mode == "wal"
        else Check(
            "database",
            "journal",
            WARN,
            f"journal_mode is {mode}",
            "any salesbench command that writes switches it to WAL (e.g. `salesbench db upgrade`)",
        )
    )
    return out


def _schema_check(current: str | None, head: str, known: Callable[[], set[str]]) -> Check:
    if current == head:
        return Check("database", "schema", OK, f"at the current revision {current}")
    if current is not None and current not in known():
        return Check(
            "database",
            "schema",
            FAIL,
            f"revision {current} is newer than this salesbench ({head})",
            "upgrade salesbench",
        )
    return Check(
        "database",
        "schema",
        WARN,
        f"at revision {current or 'none'}, {head} is current",
        "run `salesbench db upgrade` (any command also upgrades it)",
    )


def _mode_checks(path: Path) -> list[Check]:
    out = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not file.exists():
            continue
        mode = stat.S_IMODE(file.stat().st_mode)
        if mode & 0o077:
            out.append(
                Check(
                    "database",
                    "privacy",
                    FAIL,
                    f"{file.name} is readable by others (mode {mode:o})",
                    f"chmod 600 {file}",
                )
            )
    if not out:
        out.append(Check("database", "privacy", OK, "readable by you alone (0600)"))
    return out


def _server_checks(location: DbLocation) -> list[Check]:
    from salesbench.store.engine import make_engine
    from salesbench.store.migrate import HEAD_REVISION, current_revision

    try:
        engine = make_engine(location)
        current = current_revision(location, engine)
        found = server_identity_findings(engine)  # source ids shared before 0009
        engine.dispose()
    except Exception as exc:  # any driver error: the server, the URL or the network
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [
            Check(
                "database",
                "connect",
                FAIL,
                first,
                "check the URL in --db/SALESBENCH_DB, that the server runs and lets you in",
            )
        ]
    out = [Check("database", "connect", OK, "the server answers")]
    out += [Check("database", "identities", WARN, *f) for f in found]
    if current == HEAD_REVISION:
        out.append(Check("database", "schema", OK, f"at the current revision {current}"))
    else:
        out.append(
            Check(
                "database",
                "schema",
                WARN,
                f"at revision {current or 'none'}, {HEAD_REVISION} is current",
                "run `salesbench db upgrade`",
            )
        )
    out.append(
        Check(
            "database",
            "integrity",
            INFO,
            "the server keeps its own consistency",
            "back it up with pg_dump",
        )
    )
    return out


def _config_checks(location: DbLocation, given: str | None, settings: Settings) -> list[Check]:
    from salesbench.core.workday import zone

    out: list[Check] = []
    source = DB_ENV if settings.db == given else "--db"
    if not given:
        source = "the default place"
    out.append(Check("config", "database", INFO, f"from {source}: {location.display()}"))
    tz = settings.timezone
    if tz:
        try:
            zone(tz)
            out.append(Check("config", "timezone", OK, f"reports use {tz}"))
        except ValueError as exc:
            out.append(
                Check("config", "timezone", FAIL, str(exc), "fix or unset SALESBENCH_TIMEZONE")
            )
    if settings.now:
        out.append(
            Check(
                "config",
                "clock",
                WARN,
                f"SALESBENCH_NOW pins the time to {settings.now}",
                "unset SALESBENCH_NOW unless you are testing",
            )
        )
    rep = settings.rep
    if rep and location.path is not None and location.path.exists():
        out += _rep_check(location.path, rep)
    return out


def _rep_check(path: Path, rep: str) -> list[Check]:
    """Whether SALESBENCH_REP names a rep, by the rules every command uses."""
    from salesbench.core.reps import find_rep_row
    from salesbench.store.open import read_connection
    from salesbench.store.raw import SqliteRows, rep_rows

    try:
        conn = read_connection(path, timeout=10)
        try:
            reps = rep_rows(SqliteRows(conn))
        finally:
            conn.close()
    except (sqlite3.Error, DatabaseInUse):
        return []
    try:
        find_rep_row(reps, rep)
    except NotFound:
        fix = "see `salesbench rep list` and set it to your email"
        return [Check("config", "rep", FAIL, f"SALESBENCH_REP={rep} matches no rep", fix)]
    except BadInput as exc:
        return [Check("config", "rep", FAIL, f"SALESBENCH_REP: {exc}", "set it to your email")]
    return [Check("config", "rep", OK, f"you act as {rep}")]


def _tool_checks(clipboard: tuple[str, ...] | None) -> list[Check]:
    # (name, the tool found or None, when found, when missing, what to do)
    tools = (
        (
            "clipboard",
            clipboard[0] if clipboard else None,
            "copies also go to {}",
            "no clipboard tool: copies reach your terminal by OSC 52 only",
            "install wl-clipboard, xclip or xsel if your terminal ignores OSC 52",
        ),
        (
            "notifications",
            shutil.which("notify-send"),
            "review prompts use notify-send",
            "no notify-send: review prompts print to the terminal",
            "install libnotify-bin for desktop notifications",
        ),
        (
            "scheduler",
            shutil.which("crontab"),
            "crontab is there for `salesbench remind --install`",
            "no crontab: `remind --install` cannot schedule the reviews",
            "install cron, or run `salesbench remind` from your own scheduler",
        ),
    )
    return [
        Check("tools", name, OK, found_text.format(found))
        if found
        else Check("tools", name, INFO, missing_text, fix)
        for name, found, found_text, missing_text, fix in tools
    ]
