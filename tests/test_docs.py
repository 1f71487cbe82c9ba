"""Every command explains itself, and the README documents what scripts rely on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_command

from salesbench.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_MD = ROOT / "docs" / "cli.md"


def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, cmd in _commands(get_command(app)):
        if not (cmd.help or "").strip():
            missing.append(" ".join(path) or "salesbench")
        for param in cmd.params:
            if (
                isinstance(param, typer.core.TyperOption | typer.core.TyperArgument)
                and not (getattr(param, "help", None) or "").strip()
            ):
                missing.append(f"{' '.join(path)} {param.name}")
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, re.S)
    assert blocks and blocks[0].split() == ["scripts/run", "scripts/test"]


def test_readme_documents_exit_codes_and_every_command_group() -> None:
    for code in ("0", "1", "2", "3", "4"):
        assert re.search(rf"^\|\s*{code}\s*\|", README, re.M), f"exit code {code}"
    root = get_command(app)
    section = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    # each command in the first cell of the Commands table's rows, e.g.
    # `salesbench opp list \| show` or `salesbench backup FILE` / `salesbench restore FILE`
    first_cells = [
        re.split(r"(?<!\\)\|", line)[1] for line in section.splitlines() if line[:1] == "|"
    ]
    cells = [c for cell in first_cells for c in re.findall(r"`salesbench([^`]*)`", cell)]
    documented: set[str] = set()
    for cell in cells:
        words = cell.replace("\\|", " | ").split()
        if not words:
            continue
        group = root.commands.get(words[0])
        assert group is not None, f"the README's Commands table names `salesbench {cell}`"
        documented.add(words[0])
        # `salesbench opp list | show | edit`: every word naming a subcommand must exist
        subcommands = getattr(group, "commands", None)
        if subcommands is not None:
            rest = words[1:]
            while rest and re.fullmatch(r"[a-z][a-z-]*|\|", rest[0]):
                rest = rest[1:]
            named = [w for w in words[1 : len(words) - len(rest)] if w != "|"]
            # no subcommand named: then a placeholder for one, as in `import KIND FILE`
            assert named or (rest and rest[0].isupper()), f"`salesbench {cell}`: which one?"
            unknown = [w for w in named if w not in subcommands]
            assert unknown == [], f"`salesbench {cell}`: {words[0]} has no {unknown}"
    missing = [name for name, cmd in root.commands.items() if not getattr(cmd, "hidden", False)]
    assert sorted(set(missing) - documented) == []


def test_cli_reference_is_up_to_date() -> None:
    """docs/cli.md is exactly what `scripts/cli-docs` makes of today's commands."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_cli_reference_has_every_command_and_option() -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    sections = dict(
        (m.group(1), m.group(2))
        for m in re.finditer(r"^## (salesbench[^\n]*)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    )
    for path, cmd in _commands(get_command(app)):
        if getattr(cmd, "hidden", False):
            continue
        title = " ".join(("salesbench", *path))
        assert title in sections, f"docs/cli.md has no section for {title}"
        for param in cmd.params:
            if isinstance(param, typer.core.TyperOption) and not param.hidden:
                for opt in (*param.opts, *param.secondary_opts):
                    assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", sections[title]), (
                        f"{title}: {opt} is missing from docs/cli.md"
                    )
