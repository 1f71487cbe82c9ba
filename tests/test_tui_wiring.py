"""The workbench's wiring, checked without running it: every key and palette entry
names an action its screen (or the app) has, and every `self.app.<name>` a screen uses
exists on SalesbenchApp. A call to a missing façade method once crashed the customer
center on save; these checks fail the suite instead."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.actions import parse as parse_action
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

import salesbench.tui
from salesbench.core.clock import FixedClock
from salesbench.tui import actions
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.task_panel import TaskPanel
from tests.sop_world import sh

TUI_DIR = Path(salesbench.tui.__file__).parent
MODULES = [
    importlib.import_module(m.name)
    for m in pkgutil.iter_modules(salesbench.tui.__path__, "salesbench.tui.")
]


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("salesbench.tui.")


def _screens() -> list[type[Screen[object]]]:
    found = {
        cls
        for module in MODULES
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Screen) and _ours(cls)
    }
    return sorted(found, key=lambda c: c.__qualname__)


def test_the_screens_are_found() -> None:
    names = {c.__name__ for c in _screens()}
    assert {"QueueScreen", "FocusScreen", "CustomerScreen", "OpportunityScreen"} <= names
    assert {"LeaderboardScreen", "ForecastScreen", "FormModal", "SnoozeModal"} <= names


def unresolved(owner: type[DOMNode], action: str) -> str | None:
    """Why `action` does not run on `owner` (None when it does): Textual looks up
    `action_<name>` on the screen the key was pressed on, or on the app for `app.`."""
    target, name, args = parse_action(action)
    cls: type = SalesbenchApp if target == "app" else owner
    method = getattr(cls, f"action_{name}", None)
    if method is None:
        return f"{owner.__name__}: {action!r} has no {cls.__name__}.action_{name}"
    try:
        inspect.signature(method).bind(None, *args)
    except TypeError as exc:
        return f"{owner.__name__}: {action!r} does not fit action_{name}: {exc}"
    return None


def _registry() -> list[tuple[type[DOMNode], str]]:
    pairs: list[tuple[type[DOMNode], str]] = []
    for owner in [SalesbenchApp, *_screens(), TaskPanel]:  # the panel's form keys too
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), (owner, binding)
            pairs.append((owner, binding.action))
        pairs += [(owner, a.action) for a in getattr(owner, "ACTIONS", ())]
    return pairs


def test_every_key_and_palette_entry_reaches_an_action() -> None:
    pairs = _registry()
    assert len(pairs) > 60  # the registry itself was read
    problems = [p for owner, action in pairs if (p := unresolved(owner, action))]
    assert problems == []


def test_every_action_table_is_bound_by_some_screen() -> None:
    tables = {
        name: table
        for name, table in vars(actions).items()
        if name.endswith("_ACTIONS") and isinstance(table, tuple)
    }
    used = {id(getattr(owner, "ACTIONS", None)) for owner in [*_screens(), TaskPanel]}
    assert {name for name, t in tables.items() if id(t) not in used} == {"APP_ACTIONS"}
    assert [b.action for b in SalesbenchApp.BINDINGS if isinstance(b, Binding)] == [
        a.action for a in actions.APP_ACTIONS
    ]


def test_the_resolver_reports_a_missing_action_and_a_wrong_argument() -> None:
    from salesbench.tui.queue_screen import QueueScreen

    assert unresolved(QueueScreen, "done") is None
    assert unresolved(QueueScreen, "copy(3)") is None
    assert unresolved(QueueScreen, "app.quit") is None
    assert "no QueueScreen.action_edit_contact" in str(unresolved(QueueScreen, "edit_contact"))
    assert "does not fit action_copy" in str(unresolved(QueueScreen, "copy(1, 2)"))


# ------------------------------------------------------------ calls on the app


def app_uses(source: str) -> list[tuple[int, str]]:
    """Every `self.app.<name>` in `source`, with its line."""
    return sorted(
        (node.lineno, node.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "app"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "self"
    )


def missing_on_app(source: str, app: App[None]) -> list[str]:
    """The `self.app.<name>` uses in `source` that the app has no attribute for. Looked
    up statically, so a property such as `store` is not run (it would open a database)."""
    missing = []
    for line, name in app_uses(source):
        try:
            inspect.getattr_static(app, name)
        except AttributeError:
            missing.append(f"line {line}: self.app.{name}")
    return missing


@pytest.fixture(scope="module")
def idle_app(tmp_path_factory: pytest.TempPathFactory) -> SalesbenchApp:
    """An app that never runs: its instance attributes are what the screens may use.
    (Its database is never opened, but in a folder of its own: not the checkout's.)"""
    unused = tmp_path_factory.mktemp("idle") / "unused.db"
    return SalesbenchApp(
        clock=FixedClock(sh(2026, 11, 23, 10)), db=str(unused), clipboard_tool=None
    )


@pytest.mark.parametrize("path", sorted(TUI_DIR.glob("*.py")), ids=lambda p: p.name)
def test_every_call_a_screen_makes_on_the_app_exists(path: Path, idle_app) -> None:
    assert missing_on_app(path.read_text(encoding="utf-8"), idle_app) == []


def test_the_screens_do_call_the_app() -> None:
    uses = {
        name
        for path in TUI_DIR.glob("*.py")
        for _line, name in app_uses(path.read_text(encoding="utf-8"))
    }
    assert {"save_customer", "finish", "queue_or_ask", "push_screen", "rep"} <= uses


def test_the_checker_catches_a_call_the_app_does_not_have(idle_app) -> None:
    wrong = """
class CustomerScreen(SalesbenchScreen[None]):
    def action_save(self, values):
        self.app.add_contact(values, then=self.reload)
        self.app.edit_contact_details(  # type: ignore[attr-defined]
            values, then=self.reload
        )
        self.app.push_screen(FormModal("Edit", []), callback=lambda _: self.app.nothing)
        found = self.app.search_customers("x")
        return self.app.rep, other.app.anything
"""
    assert missing_on_app(wrong, idle_app) == [
        "line 5: self.app.edit_contact_details",
        "line 8: self.app.nothing",
    ]
