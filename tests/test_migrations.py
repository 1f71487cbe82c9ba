"""Schema changes keep data: per-revision fixtures upgrade to head intact."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from salesbench.core.errors import SalesbenchError
from salesbench.store.engine import make_engine
from salesbench.store.location import resolve
from salesbench.store.migrate import (
    HEAD_REVISION,
    alembic_config,
    ensure_head,
    sqlite_revision,
    upgrade,
)
from salesbench.store.models import metadata
from salesbench.store.open import open_store
from tests.conftest import subprocess_env

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
# Tables a later revision drops on purpose, with that revision: their rows go with them.
DROPPED = {"script": "0006"}
ROOT = Path(__file__).resolve().parents[1]


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def test_head_constant_matches_alembic() -> None:
    assert _script().get_heads() == [HEAD_REVISION]


@pytest.mark.both_backends
def test_models_match_migrations(db) -> None:
    """The migrated schema is the models' schema, types and indexes included, on
    SQLite and on PostgreSQL."""
    store = open_store(str(db))
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), metadata
            )
    finally:
        store.close()
    assert diff == []


def test_check_constraints_match_the_models(db_path: Path) -> None:
    """Alembic's comparison skips CHECKs; a value added to an enum must come with a
    revision that changes the table's CHECK too."""
    from sqlalchemy import CheckConstraint

    open_store(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        schema = {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master")}
    for table in metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                assert str(constraint.sqltext) in schema[table.name], (table.name, constraint.name)


def test_every_revision_has_a_data_fixture() -> None:
    revisions = {rev.revision for rev in _script().walk_revisions()}
    fixtures = {p.stem for p in FIXTURES.glob("*.sql")}
    assert revisions <= fixtures, (
        f"add tests/fixtures/migrations/<rev>.sql for {revisions - fixtures}"
    )


def _snapshot(path: Path) -> dict[str, dict[object, dict[str, object]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {
            t: {row["id"]: dict(row) for row in conn.execute(f"SELECT * FROM {t}")} for t in tables
        }
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sql")), ids=lambda p: p.stem)
def test_filled_database_upgrades_to_head_with_every_row(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / f"at-{fixture.stem}.db"
    location = resolve(str(path))
    engine = make_engine(location)
    upgrade(engine, fixture.stem)
    with sqlite3.connect(path) as conn:
        conn.executescript(fixture.read_text(encoding="utf-8"))
    before = _snapshot(path)
    assert all(before.values()), "the fixture must put rows in every table"

    ensure_head(location, engine)
    engine.dispose()

    assert sqlite_revision(path) == HEAD_REVISION
    after = _snapshot(path)
    for table in DROPPED:
        assert table not in after
        before.pop(table, None)
    for table, rows in before.items():
        assert set(after[table]) == set(rows), table
        for key, row in rows.items():
            kept = {col: after[table][key][col] for col in row}
            assert kept == row, (table, key)

    # and the current models read every migrated row
    store = open_store(str(path))
    from sqlmodel import select

    from salesbench.store import models

    with store.read() as session:
        for name in before:
            model = next(
                m for m in vars(models).values() if getattr(m, "__tablename__", None) == name
            )
            assert len(session.exec(select(model)).all()) == len(before[name])
    store.close()


def test_0007_makes_each_phone_and_email_the_first_of_its_contacts_list(tmp_path: Path) -> None:
    """The contact points start as the phone and email each contact had; annual purchases
    stored before currencies were recorded are CNY, as they were shown."""
    path = tmp_path / "at-0006.db"
    location = resolve(str(path))
    engine = make_engine(location)
    upgrade(engine, "0006")
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "0006.sql").read_text(encoding="utf-8"))
    ensure_head(location, engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        points = conn.execute(
            "SELECT contact_id, kind, label, value, position FROM contact_point ORDER BY kind"
        ).fetchall()
        currencies = dict(conn.execute("SELECT name, currency FROM customer").fetchall())
        actions = {r[0] for r in conn.execute("SELECT action FROM import_change")}
    assert points == [
        ("000000000000000000000000000ca001", "email", "other", "lilei@example.cn", 0),
        ("000000000000000000000000000ca001", "phone", "other", "+86 138 0000 0000", 0),
    ]
    assert currencies == {"华东家具有限公司": "CNY", "Alice Chen": None}
    assert actions == {"update"}


def test_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    open_store(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SalesbenchError, match="newer than this salesbench"):
        open_store(str(db_path))


@pytest.mark.empty_db
def test_foreign_sqlite_file_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(SalesbenchError, match="not a salesbench database"):
        open_store(str(db_path))


@pytest.mark.slow
def test_installed_wheel_carries_and_runs_its_migrations(tmp_path: Path) -> None:
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("salesbench-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "salesbench/migrations/env.py" in names
    assert "salesbench/migrations/script.py.mako" in names
    assert any(n.startswith("salesbench/migrations/versions/0001") for n in names)
    # the workbench in the rep's language: the compiled catalogs ship (issue 18)
    assert "salesbench/locale/zh_CN/LC_MESSAGES/salesbench.mo" in names
    source_pkgs = {
        p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "salesbench").rglob("__init__.py")
    }
    for pkg in source_pkgs:
        assert f"{pkg}/__init__.py" in names, f"{pkg} is missing from [tool.setuptools] packages"

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    db = tmp_path / "wheel.db"
    code = (
        "import salesbench, sys\n"
        "assert salesbench.__file__.startswith(sys.argv[1]), salesbench.__file__\n"
        "sys.argv = ['salesbench', 'init', '--db', sys.argv[2]]\n"
        "from salesbench.__main__ import main; main()"
    )
    env = subprocess_env(PYTHONPATH=str(target))
    done = subprocess.run(
        [sys.executable, "-c", code, str(target), str(db)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sqlite_revision(db) == HEAD_REVISION


def test_0008_starts_every_customer_contact_and_task_at_version_1(tmp_path: Path) -> None:
    path = tmp_path / "at-0007.db"
    location = resolve(str(path))
    engine = make_engine(location)
    upgrade(engine, "0007")
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "0007.sql").read_text(encoding="utf-8"))
    ensure_head(location, engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        for table in ("customer", "contact", "task"):
            versions = [v for (v,) in conn.execute(f"SELECT version FROM {table}")]
            assert versions and set(versions) == {1}, table
