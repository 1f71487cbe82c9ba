"""Issue 18: `--help` of every command and option in the reader's language.
`SALESBENCH_LANG=zh_CN salesbench queue --help` was English from end to end; it is
Chinese now, Typer's own words (选项, [默认：…], 显示此帮助并退出) included, and no
Chinese sentence is cut with "…" for want of a space to break at. Under `en` the
same help is English."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core import i18n
from tests.conftest import subprocess_env

SPACE = re.compile(r"[\s│╭╮╰╯─]")


def help_of(monkeypatch: pytest.MonkeyPatch, language: str, *command: str) -> str:
    monkeypatch.setenv("SALESBENCH_LANG", language)
    monkeypatch.setenv("COLUMNS", "80")  # Rich's width: an 80-column terminal
    try:
        result = CliRunner().invoke(app, [*command, "--help"], catch_exceptions=False)
    finally:
        i18n.use("en")
    assert result.exit_code == 0, result.output
    return result.output


def test_queue_help_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    out = help_of(monkeypatch, "zh_CN", "queue")
    for words in ("今天的待办", "选项", "显示此帮助并退出", "[默认：5]", "以这位销售的身份操作"):
        assert words in out, words
    for words in ("Today's queue", "Options", "Show this message", "Act as this rep"):
        assert words not in out, words


def test_queue_help_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    out = help_of(monkeypatch, "en", "queue")
    for words in ("Today's queue", "Options", "Show this message and exit.", "[default: 5]"):
        assert words in out, words


@pytest.mark.parametrize(
    ("command", "words"),
    [((), "把销售SOP变成今天的待办"), (("customer",), "添加、列出、查看和编辑客户"),
     (("customer", "add"), "添加客户，归当前销售负责"), (("report", "weekly"), "报告的语言")],
)  # fmt: skip
def test_root_groups_and_lazy_commands_in_chinese(
    monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], words: str
) -> None:
    assert words in SPACE.sub("", help_of(monkeypatch, "zh_CN", *command))


@pytest.mark.parametrize("command", [("queue",), ("customer", "add"), ("import", "customers")])
def test_no_chinese_help_is_cut_short(monkeypatch: pytest.MonkeyPatch, command) -> None:
    """Every option's help is there whole: a Chinese sentence has no space to wrap at,
    and Rich cut it with "…" at the column's edge."""
    from typer.main import get_command

    out = SPACE.sub("", help_of(monkeypatch, "zh_CN", *command))
    found = get_command(app)
    for name in command:
        found = found.get_command(None, name)  # type: ignore[attr-defined]
    i18n.use("zh-CN")
    try:
        wanted = [i18n._(p.help) for p in found.params if p.help]
    finally:
        i18n.use("en")
    assert wanted
    for text in wanted:
        assert SPACE.sub("", text) in out, text


def test_help_in_chinese_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "salesbench", "queue", "--help"],
        capture_output=True,
        text=True,
        env=subprocess_env(SALESBENCH_LANG="zh_CN", COLUMNS="100"),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "今天的待办" in result.stdout and "选项" in result.stdout
