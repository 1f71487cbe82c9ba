from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core import i18n
from salesbench.core.clock import FixedClock
from salesbench.store.engine import Store
from salesbench.store.open import open_store

# Property tests check values, not speed: on a shared two-core machine one example may
# take longer than hypothesis's 200 ms deadline without anything being wrong.
settings.register_profile("salesbench", deadline=None)
settings.load_profile("salesbench")

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# the clock of the tests that do not need one of their own
CLOCK = FixedClock(NOW)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's real database or inherit their settings."""
    for var in (
        "SALESBENCH_DB",
        "SALESBENCH_REP",
        "SALESBENCH_NOW",
        "SALESBENCH_DEBUG",
        "SALESBENCH_LAUNCHER",
        "SALESBENCH_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANGUAGE",
    ):
        monkeypatch.delenv(var, raising=False)
    # messages follow the locale when no rep is asked about: the suite's is English
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # the rep chosen in the workbench is remembered here (salesbench/settings_user.py)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # a new rep's timezone defaults to the machine's (settings_env.machine_timezone): the
    # same machine zone on every machine the suite runs on, the one its reps were written in
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # the language words are given in is the process's (core/i18n.py): each test starts
    # in English, whatever language the rep of the test before spoke
    i18n.use(i18n.SOURCE)


# ------------------------------------------------------------------ SQLite databases
#
# Migrating a new SQLite file costs about 0.4 s (Alembic, five revisions); copying
# one migrated file costs about 2 ms. So the session migrates one template, and
# every test database starts as a copy of it. A test about what happens to a
# database that does not exist yet (first run, `db upgrade`, doctor's "missing
# file", a foreign file) is marked `empty_db` and gets no file.


@pytest.fixture(scope="session")
def new_sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """`new_sqlite_db(path)` puts a database at the head revision at `path`."""
    template = tmp_path_factory.mktemp("template") / "migrated.db"
    open_store(str(template)).close()
    with sqlite3.connect(template) as conn:  # fold the WAL in: the file alone is the database
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    image = template.read_bytes()

    def make(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(image)
        os.chmod(path, 0o600)  # as salesbench creates it: private whatever the umask
        return path

    return make


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "sales.db"
    if request.node.get_closest_marker("empty_db") is None:
        request.getfixturevalue("new_sqlite_db")(path)
    return path


# ------------------------------------------------------------------ back ends
#
# Tests that take the `db` fixture run against SQLite, and also against the
# PostgreSQL server in SALESBENCH_TEST_PG (a URL such as
# postgresql+psycopg://salesbench@127.0.0.1:5432/postgres) when the test or its
# module is marked `both_backends`. On SQLite `db` is the database file's Path;
# on PostgreSQL it is a PgDb, a fresh database cloned from a migrated template.
# `rows`/`count_rows` read either, giving values as SQLite gives them.

PG_ENV = "SALESBENCH_TEST_PG"
BACKEND_COUNTS: dict[str, int] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run on PostgreSQL too when configured")
    config.addinivalue_line("markers", "sqlite_only: a SQLite matter (file, pragmas, backup)")
    config.addinivalue_line("markers", "empty_db: db_path names a file that does not exist yet")
    config.addinivalue_line(
        "markers",
        "fuzz: thousands of generated hostile inputs; run only when asked (`-m fuzz`), as "
        ".ci/run does after the suite",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The fuzz run is its own pass (`pytest -m fuzz`): the suite leaves it out, so
    `scripts/test` keeps its time."""
    if "fuzz" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="a fuzz run: `scripts/test -m fuzz`")
    for item in items:
        if item.get_closest_marker("fuzz"):
            item.add_marker(skip)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    backends = ["sqlite"]
    if (
        os.environ.get(PG_ENV)
        and metafunc.definition.get_closest_marker("both_backends")
        and not metafunc.definition.get_closest_marker("sqlite_only")
    ):
        backends.append("postgresql")
        metafunc.parametrize("db", backends, indirect=True)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.skipped):
        backend = "postgresql" if "postgresql" in report.nodeid else "sqlite"
        BACKEND_COUNTS[backend] = BACKEND_COUNTS.get(backend, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran = ", ".join(f"{n} tests on {b}" for b, n in sorted(BACKEND_COUNTS.items()))
    where = "" if os.environ.get(PG_ENV) else f" (set {PG_ENV} to add PostgreSQL)"
    terminalreporter.write_line(f"back ends: {ran}{where}")


class PgDb:
    """A throwaway PostgreSQL database of the test server."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return self.url

    def libpq(self) -> str:
        return self.url.replace("postgresql+psycopg://", "postgresql://")

    def rows(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.libpq(), autocommit=True) as conn:
            cur = conn.execute(sql.replace("%", "%%").replace("?", "%s"), args)  # type: ignore[arg-type]
            if cur.description is None:
                return []
            return [tuple(_as_sqlite(v) for v in r) for r in cur.fetchall()]


def _as_sqlite(value: Any) -> Any:
    """A PostgreSQL value as SQLite's driver returns the same column."""
    import json
    import uuid
    from datetime import date
    from decimal import Decimal

    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated to the head revision once, cloned by each test."""
    import psycopg

    base = os.environ[PG_ENV]
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"sb_template_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    open_store(url).close()
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def new_pg_database(template: str) -> PgDb:
    import uuid

    import psycopg

    base = os.environ[PG_ENV]
    name = f"sb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        base.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return PgDb(base.rsplit("/", 1)[0] + f"/{name}")


def drop_pg_database(db: PgDb) -> None:
    import psycopg

    base = os.environ[PG_ENV].replace("postgresql+psycopg://", "postgresql://")
    name = db.url.rsplit("/", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Iterator[Path | PgDb]:
    if getattr(request, "param", "sqlite") == "sqlite":
        yield request.getfixturevalue("db_path")
        return
    made = new_pg_database(request.getfixturevalue("pg_template"))
    yield made
    drop_pg_database(made)


def rows(db: Path | PgDb, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Rows of a query on either back end, values as SQLite returns them."""
    if isinstance(db, PgDb):
        return db.rows(sql, *args)
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def snapshot(db: Path | PgDb) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: the database's whole state, for "nothing changed"."""
    if isinstance(db, PgDb):
        listed = db.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    else:
        with sqlite3.connect(db) as conn:
            listed = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    return {t: sorted(rows(db, f'SELECT * FROM "{t}"'), key=repr) for (t,) in listed}


@pytest.fixture
def other_db(
    request: pytest.FixtureRequest, db: Path | PgDb, tmp_path: Path
) -> Iterator[Path | PgDb]:
    """A second database at the head revision, empty, on the same back end as `db`."""
    if isinstance(db, PgDb):
        made = new_pg_database(request.getfixturevalue("pg_template"))
        yield made
        drop_pg_database(made)
        return
    yield request.getfixturevalue("new_sqlite_db")(tmp_path / "other.db")


@pytest.fixture
def store(db: Path | PgDb) -> Iterator[Store]:
    opened = open_store(str(db))
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def cli(db: Path | PgDb, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run a salesbench command in-process against the test database."""
    runner = CliRunner()
    monkeypatch.setenv("SALESBENCH_DB", str(db))
    monkeypatch.setenv("SALESBENCH_NOW", NOW.isoformat())

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


def count_rows(db_path: Path | PgDb, table: str) -> int:
    if isinstance(db_path, PgDb):
        found = db_path.rows(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", table
        )
        if not found[0][0]:
            return 0
        return int(db_path.rows(f"SELECT count(*) FROM {table}")[0][0])
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            return 0
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def subprocess_env(db_path: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESBENCH_")}
    if db_path is not None:
        env["SALESBENCH_DB"] = str(db_path)
    env.update(extra)
    return env


def _unticked(db: Path | PgDb, where: dict[str, str]) -> list[tuple[str, int]]:
    """(task id, item number) of every unticked checklist item of the open playbook
    tasks matching `where` (column = value)."""
    from salesbench.core.criteria import checklist
    from salesbench.core.playbook_load import load_playbook

    sql = "SELECT t.id, t.origin, o.playbook_key, r.language, t.custom FROM task t"
    sql += " JOIN opportunity o ON o.id = t.opportunity_id JOIN rep r ON r.id = o.owner_id"
    sql += " WHERE t.status = 'open' AND t.origin_kind = 'playbook'"
    sql += "".join(f" AND t.{column} = ?" for column in where)
    out = []
    for task_id, origin, key, language, custom in rows(db, sql, *where.values()):
        stored = json.loads(custom) if isinstance(custom, str) else custom or {}
        path = Path(__file__).parent.parent / "salesbench" / "playbooks" / f"{key}.{language}.toml"
        items = checklist(load_playbook(path.read_text(encoding="utf-8")).task(origin))
        done = set(stored.get("ticked", []))
        out += [(str(task_id), n) for n in range(1, len(items) + 1) if n not in done]
    return out


def tick_checklists(cli: Any, db: Path | PgDb, **where: str) -> None:
    """Tick every checklist item of the open playbook tasks matching `where` (e.g.
    stage_key="contract"), as a rep does with `task check`; ticked items stay ticked."""
    for task_id, n in _unticked(db, where):
        result = cli("task", "check", task_id, str(n))
        assert result.exit_code == 0, result.output


def tick_checklists_in(store: Any, db: Path | PgDb, clock: Any, **where: str) -> None:
    """tick_checklists through the service, for workbench tests."""
    from salesbench.services.checklist import tick

    for task_id, n in _unticked(db, where):
        tick(store, task_id, n, clock=clock)


@pytest.fixture
def book(cli: Callable[..., Any], db_path: Path) -> Path:
    """A rep with one deal (so today's queue has tasks), made through the CLI."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Walk-in", "--kind", "person")
    assert cli("opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5").exit_code == 0
    return db_path
