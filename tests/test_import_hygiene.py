"""The core stays pure, and fast paths stay fast, by what they do not import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import salesbench.core

HEAVY = ("textual", "typer", "sqlalchemy", "sqlmodel", "alembic", "rich")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_core_imports_no_terminal_cli_or_sql_library() -> None:
    modules = [m.name for m in pkgutil.walk_packages(salesbench.core.__path__, "salesbench.core.")]
    assert modules, "salesbench.core has no modules?"
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_version_fast_path_imports_nothing_heavy() -> None:
    code = (
        "import sys\nsys.argv = ['salesbench', '--version']\n"
        "from salesbench.__main__ import main\nmain()"
    )
    loaded = _loaded_after(code)
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_cli_module_load_defers_database_libraries() -> None:
    loaded = _loaded_after("import salesbench.cli")
    assert loaded.isdisjoint({"sqlalchemy", "sqlmodel", "alembic", "textual"})
