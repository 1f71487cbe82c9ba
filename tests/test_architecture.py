"""The import graph, read from the source: services import each other without
circles, and no module reaches for another's private names.

Imports inside functions count too: a deferred import still ties the modules
together, it only hides the circle from the interpreter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "salesbench"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(under: Path) -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text("utf-8")) for p in sorted(under.rglob("*.py"))}


def _imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports, anywhere in its body."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and (node.module or node.level):
            base = _absolute(name, node)
            if base in known:
                found.add(base)
            # `from salesbench.services import sop` imports the module sop
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known)
    found.discard(name)
    return found


def _absolute(name: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = name.split(".")[: -node.level]
    return ".".join([*package, node.module] if node.module else package)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


GETTEXT = {"salesbench.core.i18n": {"_", "n_", "N_"}}


def private_imports(sources: dict[str, ast.Module]) -> list[str]:
    """`from salesbench.x import _name` anywhere: a private name used across modules."""
    out = []
    for name, tree in sources.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                base = _absolute(name, node)
                if not base.startswith("salesbench"):
                    continue
                for alias in node.names:
                    if alias.name in GETTEXT.get(base, ()):
                        continue  # gettext's names for "translate this": public by custom
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        out.append(f"{name}:{node.lineno} imports {base}.{alias.name}")
    return out


def test_services_import_each_other_without_a_circle() -> None:
    sources = _sources(PACKAGE / "services")
    known = set(sources)
    graph = {name: _imports(name, tree, known) for name, tree in sources.items()}
    assert cycles(graph) == []


def test_no_module_imports_another_modules_private_names() -> None:
    assert private_imports(_sources(PACKAGE)) == []


# ------------------------------------------------------------ the checker itself


def test_a_circle_through_a_deferred_import_is_found() -> None:
    sources = {
        "salesbench.services.a": ast.parse("from salesbench.services.b import f\n"),
        "salesbench.services.b": ast.parse("def g():\n    from . import c\n    return c\n"),
        "salesbench.services.c": ast.parse("from salesbench.services.a import h\n"),
        "salesbench.services.d": ast.parse("from salesbench.services.a import h\n"),
    }
    graph = {n: _imports(n, t, set(sources)) for n, t in sources.items()}
    assert graph["salesbench.services.b"] == {"salesbench.services.c"}
    assert cycles(graph) == [
        ["salesbench.services.a", "salesbench.services.b", "salesbench.services.c"]
    ]


def test_a_graph_without_circles_passes() -> None:
    graph = {"a": {"b", "c"}, "b": {"c"}, "c": set()}
    assert cycles(graph) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("from salesbench.services.sop import _add\n", True),
        ("def f():\n    from salesbench.services.sop import ok, _state\n", True),
        ("from salesbench.services.sop import add_tasks\n", False),
        ("from salesbench.core.jsonable import plain as _plain\n", False),
        ("from __future__ import annotations\n", False),
        ("from os import _exit\n", False),
        ("from salesbench.core.i18n import N_, _, n_\n", False),  # gettext's, by custom
        ("from salesbench.core.i18n import _active\n", True),
        ("from salesbench.core.queue import _\n", True),  # only i18n's are gettext's
    ],
)
def test_private_names_are_found_wherever_imported(text: str, found: bool) -> None:
    assert bool(private_imports({"salesbench.io.x": ast.parse(text)})) is found


# ------------------------------------------------------------ time and settings

# The one place that reads the wall clock; everything else is given a Clock.
CLOCK = PACKAGE / "core" / "clock.py"
FORBIDDEN = ("os.environ", "os.getenv", "getenv(", "environ.get", "datetime.now(", "utcnow(")


def reads_of_time_or_environment(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if any(word in line for word in FORBIDDEN):
                found.append(f"{path.name}:{n}: {line.strip()}")
    return found


def test_services_and_core_are_given_time_and_settings() -> None:
    paths = [
        p
        for layer in ("services", "core")
        for p in sorted((PACKAGE / layer).rglob("*.py"))
        if p != CLOCK
    ]
    assert reads_of_time_or_environment(paths) == []


def test_reading_the_clock_or_environment_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nrep = os.environ.get('X')\nnow = datetime.now(UTC)\n")
    assert len(reads_of_time_or_environment([module])) == 2


# ------------------------------------------------------------ module size

LONGEST = 400  # lines: past this a module holds more than one thing; split it by what it holds


def test_no_module_is_longer_than_it_should_be() -> None:
    too_long = [
        f"{path.relative_to(PACKAGE.parent)}: {n} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text("utf-8").splitlines())) > LONGEST
    ]
    assert too_long == []
