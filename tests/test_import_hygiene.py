"""The core stays pure, and fast paths stay fast, by what they do not import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import salesbench.core
from tests.conftest import CLOCK

HEAVY = ("textual", "typer", "sqlalchemy", "sqlmodel", "alembic", "rich")


def _loaded_after(code: str, *, whole: bool = False) -> set[str]:
    """The packages (or, `whole`, every module) loaded by `code` in a fresh interpreter."""
    name = "m" if whole else "m.split('.')[0]"
    probe = code + f"\nimport sys\nprint(' '.join(sorted({{{name} for m in sys.modules}})))"
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


def test_queue_reads_a_sqlite_file_at_head_without_sqlalchemy(tmp_path) -> None:
    from salesbench.services.reps import add_rep
    from salesbench.store.open import open_store

    path = tmp_path / "q.db"
    store = open_store(str(path))
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    store.close()
    code = (
        "from datetime import UTC, datetime\n"
        "from salesbench.services.queue import load_queue, reader\n"
        f"view = load_queue(reader({str(path)!r}), now=datetime(2026, 11, 23, tzinfo=UTC))\n"
        "assert view.rep.name == 'Wang Fang'"
    )
    loaded = _loaded_after(code)
    assert loaded.isdisjoint({"sqlalchemy", "sqlmodel", "alembic"}), loaded


def test_queue_json_as_a_command_loads_no_sql_library(tmp_path) -> None:
    """The whole `queue --json` command, not only its reader: printing the JSON once
    pulled in SQLModel (~0.3 s) for a type annotation (services/serialize.py)."""
    from salesbench.services.reps import add_rep
    from salesbench.store.open import open_store

    path = tmp_path / "q.db"
    store = open_store(str(path))
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    store.close()
    code = (
        "import sys\n"
        f"sys.argv = ['salesbench', 'queue', '--db', {str(path)!r}, '--json']\n"
        "from salesbench.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code"
    )
    loaded = _loaded_after(code)
    assert loaded.isdisjoint({"sqlalchemy", "sqlmodel", "alembic", "textual"}), loaded


def test_reading_every_bundled_playbook_leaves_the_script_checker_unloaded() -> None:
    """The first paint parses the playbooks behind today's deals; the claims a script
    may not make (20 patterns, ~8 ms to compile) are `playbook validate`'s business."""
    code = (
        "from salesbench.core.playbook_load import load_playbook\n"
        "from salesbench.playbooks import bundled_sources\n"
        "from salesbench.services.playbooks import parse_toml\n"
        "for text in bundled_sources().values():\n"
        "    load_playbook(text, loads=parse_toml)\n"
    )
    loaded = _loaded_after(code, whole=True)
    assert "salesbench.core.playbook_load" in loaded
    assert "salesbench.core.script_claims" not in loaded


def test_the_workbench_paints_its_first_queue_and_footer_without_markdown(tmp_path) -> None:
    """The footer asks whether the keys panel is up before the first paint: importing
    Textual's HelpPanel for that brought Markdown and Pygments (~35 ms of 0.4 s)."""
    from salesbench.services.reps import add_rep
    from salesbench.store.open import open_store

    path = tmp_path / "q.db"
    store = open_store(str(path))
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    store.close()
    code = (
        "import asyncio, os, sys\n"
        "from datetime import UTC, datetime\n"
        "from salesbench.core.clock import FixedClock\n"
        "from salesbench.tui.app import SalesbenchApp\n"
        f"app = SalesbenchApp(db={str(path)!r}, rep='wf@example.com', clipboard_tool=None,\n"
        "    clock=FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC)))\n"
        "painted = []\n"
        "def frame():\n"
        "    keys = app.screen.query('FooterKey')\n"
        "    shown = getattr(app.screen, 'view', None) is not None and keys\n"
        "    if shown and not painted:\n"
        "        painted.append(sorted({m.split('.')[0] for m in sys.modules}))\n"
        "app.post_display_hook = frame\n"
        "async def main():\n"
        "    async with app.run_test(size=(140, 40)) as pilot:\n"
        "        while not painted:\n"
        "            await asyncio.sleep(0.005)\n"
        "asyncio.run(main())\n"
        "print(' '.join(painted[0]))\n"
        "sys.stdout.flush()\n"
        "os._exit(0)  # the warm-up after the paint may load more: not this test's business\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(out.split())
    assert "textual" in loaded and "salesbench" in loaded
    # (the warm-up then opens the engine in a thread: SQLAlchemy is not asked about here)
    assert loaded.isdisjoint({"markdown_it", "pygments"}), loaded & {"markdown_it", "pygments"}
