"""Every command explains itself, and the README documents what scripts rely on."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.main import get_command

from salesbench.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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
    for path, _cmd in _commands(get_command(app)):
        if len(path) == 1:
            assert f"salesbench {path[0]}" in README, path[0]
