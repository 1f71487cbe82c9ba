"""The weekly report in every format carries the numbers of the JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests import report_world
from tests.conftest import subprocess_env
from tests.test_reports import WEEK, run, world  # noqa: F401  (fixtures)

VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "line", "polyline"}


def produce(run, tmp_path: Path, fmt: str) -> Path:  # noqa: F811
    out = tmp_path / f"weekly.{fmt}"
    result = run("report", "weekly", "--week", WEEK, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def as_json(run, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    return json.loads(produce(run, tmp_path, "json").read_text(encoding="utf-8"))


def test_xlsx_has_a_sheet_per_section_with_the_json_numbers(run, tmp_path, as_json) -> None:  # noqa: F811
    from openpyxl import load_workbook

    book = load_workbook(produce(run, tmp_path, "xlsx"))
    sections = as_json["sections"]
    assert book.sheetnames == ["Report", *(s["title"][:31] for s in sections.values())]
    for section in sections.values():
        sheet = book[section["title"][:31]]
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        assert header == [c["label"] for c in section["columns"]]
        for n, expected in enumerate(section["rows"], start=2):
            cells = sheet[n]
            for column, cell in zip(section["columns"], cells, strict=True):
                value = expected[column["key"]]
                # the sheet keeps full precision; JSON rounds rates to four places
                assert cell.value == pytest.approx(value, abs=5e-5), (section["title"], column)
                kind = expected.get("kind") if column["kind"] == "row" else column["kind"]
                if kind == "money" and value is not None:
                    code = column.get("currency") or expected.get("currency")
                    assert cell.number_format == f'#,##0.00 "{code}"'
                    assert code == "CNY"
                if kind == "percent" and value is not None:
                    assert cell.number_format == "0.0%"
        for letter, dim in sheet.column_dimensions.items():
            assert dim.width and dim.width >= 4, letter
    tasks = book["Tasks"]
    assert [c.value for c in tasks[2]][:4] == ["rep", "Ann", "East", 3]
    # a CJK name counts two columns wide
    regions = book["Activities by channel"]
    assert regions.column_dimensions["B"].width >= len("Shanghai") + 2


class Checker(HTMLParser):
    """Every opened element is closed in order; no resource comes from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name in ("src", "href") and value and "://" in value:
                self.problems.append(f"external {name}: {value}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def test_html_is_one_well_formed_file_with_charts(run, tmp_path, as_json) -> None:  # noqa: F811
    text = produce(run, tmp_path, "html").read_text(encoding="utf-8")
    checker = Checker()
    checker.feed(text)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    assert checker.tags["svg"] == 3  # funnel, weekly trend, leaderboard bars
    assert checker.tags["table"] == len(as_json["sections"])
    assert "<script" not in text and "@import" not in text
    assert "Ann" in text and "华东" in text
    assert "80,000.00" in text  # o3, won by Ann


def test_html_renders_in_a_headless_browser(run, tmp_path) -> None:  # noqa: F811
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    page = produce(run, tmp_path, "html")
    shot = tmp_path / "weekly.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    import struct
    import zlib

    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1600)
    # decode the image and check it is not a blank page: the bars and text make many
    # distinct rows of pixels
    chunks, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = len(raw) // height
    rows = {raw[n * stride + 1 : (n + 1) * stride] for n in range(height)}
    assert len(rows) > 200


def test_markdown_tables_paste_into_a_wiki(run, tmp_path, as_json) -> None:  # noqa: F811
    text = produce(run, tmp_path, "md").read_text(encoding="utf-8")
    assert text.startswith("# Weekly report 2026-W53")
    for title in (s["title"] for s in as_json["sections"].values()):
        assert f"\n## {title}\n" in text
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert table_lines
    for line in table_lines:
        assert line.endswith("|")
    assert "| rep | Ann | East | 3 | 2 | 66.7% | 1 |" in text
    assert "| Won amount (CNY) | 80,000.00 | 0.00 | 80,000.00 | – |" in text


def test_csv_is_one_figure_per_line(run, tmp_path, as_json) -> None:  # noqa: F811
    rows = list(csv.DictReader(io.StringIO(produce(run, tmp_path, "csv").read_text("utf-8"))))
    assert set(rows[0]) == {"period", "section", "level", "row", "metric", "value", "currency"}
    found = {(r["section"], r["level"], r["row"], r["metric"]): r["value"] for r in rows}
    assert found[("tasks", "rep", "Ann / East", "on_time_rate")] == "0.6667"
    assert found[("pipeline", "total", "Total", "weighted")] == "30000.0"
    assert found[("lost_reasons", "", "price", "amount")] == "30000.0"
    assert all(r["period"] == WEEK for r in rows)


def test_every_format_as_a_process(world: Path, tmp_path: Path) -> None:  # noqa: F811
    env = subprocess_env(world, SALESBENCH_NOW=report_world.NOW.isoformat())
    weekly = [sys.executable, "-m", "salesbench", "report", "weekly", "--week", WEEK]
    for fmt in ("md", "csv", "html", "json"):
        done = subprocess.run([*weekly, "--format", fmt], capture_output=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert b"Ann" in done.stdout
    out = tmp_path / "r.xlsx"
    done = subprocess.run(
        [*weekly, "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and out.read_bytes()[:2] == b"PK"
    assert f"wrote the xlsx report for {WEEK}" in done.stderr
