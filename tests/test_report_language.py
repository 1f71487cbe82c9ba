"""Issue 18: the weekly report in the language asked for: `--lang zh-CN` gives a
Chinese report in every format (titles, sections, columns, figures, notes), `--lang en`
an English one; the machine-read parts (JSON keys, column keys) stay the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_reports import WEEK, run, world  # noqa: F401  (fixtures)

ENGLISH = ("Weekly report", "Tasks done", "Activities by channel", "Done on time", "Total")


def test_weekly_markdown_in_chinese(run) -> None:  # noqa: F811
    result = run("report", "weekly", "--week", WEEK, "--lang", "zh-CN", "--format", "md")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# 周报 2026-W53")
    for words in ("## 各渠道跟进", "## 任务", "按时完成", "完成任务", "合计", "本周", "上周"):
        assert words in out, words
    for words in ENGLISH:
        assert words not in out, words


def test_weekly_markdown_in_english_when_asked(run) -> None:  # noqa: F811
    result = run("report", "weekly", "--week", WEEK, "--lang", "en", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Weekly report 2026-W53")
    for words in ENGLISH:
        assert words in result.output, words


@pytest.mark.parametrize("fmt", ["csv", "html", "xlsx"])
def test_every_format_speaks_chinese(run, tmp_path: Path, fmt: str) -> None:  # noqa: F811
    out = tmp_path / f"weekly.{fmt}"
    result = run("report", "weekly", "--week", WEEK, "--lang", "zh-CN", "--out", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert "任务" in book.sheetnames and "Tasks" not in book.sheetnames
        text = " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    else:
        text = out.read_text(encoding="utf-8")
    assert "按时完成" in text
    assert "Done on time" not in text and "Tasks done" not in text


def test_json_keys_stay_the_same_in_chinese(run) -> None:  # noqa: F811
    def sections(lang: str) -> dict:
        result = run("report", "weekly", "--week", WEEK, "--lang", lang, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["sections"]

    zh, en = sections("zh-CN"), sections("en")
    assert zh.keys() == en.keys()
    for key in en:
        assert [c["key"] for c in zh[key]["columns"]] == [c["key"] for c in en[key]["columns"]]
        assert len(zh[key]["rows"]) == len(en[key]["rows"])
    assert zh["tasks"]["title"] == "任务"


def test_an_unknown_language_is_refused_naming_the_option(run, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "weekly.md"
    result = run("report", "weekly", "--week", WEEK, "--lang", "fr", "--out", str(out))
    assert result.exit_code == 2
    assert "--lang" in result.output and "zh-CN" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def _screenshot(browser: str, page: Path, shot: Path, env: dict[str, str]) -> bytes:
    import subprocess

    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={shot}", "--window-size=1000,700", page.as_uri()],
        check=True, capture_output=True, timeout=120, env=env,
    )  # fmt: skip
    return shot.read_bytes()


def test_the_chinese_html_report_draws_chinese_glyphs(run, tmp_path: Path) -> None:  # noqa: F811
    """The zh-CN report names CJK fonts, and a headless browser draws its Chinese with
    one: its screenshot differs from the same page drawn where no CJK font is found
    (fontconfig limited to DejaVu), where each character is a box."""
    import os
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    fonts = subprocess.run(["fc-list", ":lang=zh-cn"], capture_output=True, text=True)
    if not fonts.stdout.strip() and not os.environ.get("CI"):
        pytest.skip("no CJK font (Debian: apt-get install fonts-noto-cjk; .ci/run does)")
    page = tmp_path / "weekly.html"
    result = run("report", "weekly", "--week", WEEK, "--lang", "zh-CN", "--out", str(page))
    assert result.exit_code == 0, result.output
    assert '<html lang="zh-CN">' in page.read_text(encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    plain = {**os.environ, "HOME": str(home)}
    with_font = _screenshot(browser, page, tmp_path / "with.png", plain)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    no_font = _screenshot(
        browser, page, tmp_path / "without.png", {**plain, "FONTCONFIG_FILE": str(conf)}
    )
    assert with_font[:8] == no_font[:8] == b"\x89PNG\r\n\x1a\n"
    assert with_font != no_font
