"""Issue 18, what it must show: with a zh-CN rep, no visible string on the workbench's
screens and dialogs is an untranslated English word or an internal key. What the
records hold (customer, contact and deal names, emails, industries typed in English,
the rep's own text) is the rep's data and may be English; key names (ctrl, esc) and
codes (CNY, YYYY) are what they are. Everything else on the screen must be Chinese."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from tests.sop_world import sh
from tests.tui_support import settle

pytestmark = pytest.mark.sqlite_only

REP = "rep1@demo.salesbench.dev"  # the demo's first rep reads Chinese
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
# key names, currency and date-format codes, the search box's pinyin examples
NOT_ENGLISH = {
    "ctrl", "esc", "Esc", "Enter", "enter", "tab", "shift", "super", "home", "end",
    "pgup", "pgdn", "CNY", "USD", "EUR", "YYYY", "SVG", "SOP", "lina",
}  # fmt: skip
# the records' own text: the rep's data, whatever its language
DATA_TABLES = (
    "customer", "contact", "contact_point", "address", "opportunity", "activity",
    "rep", "complaint", "handover",
)  # fmt: skip
PATHS = {  # the keys a rep presses, and the screen they lead to
    "queue": ([], "QueueScreen"),
    "task": (["j"], "QueueScreen"),
    "end of day": (["m"], "QueueScreen"),
    "focus run": (["s"], "FocusScreen"),
    "filter": (["slash"], "QueueScreen"),
    "keys": (["question_mark"], "QueueScreen"),
    "palette": (["ctrl+p"], "CommandPalette"),
    "log": (["l"], "LogModal"),
    "snooze": (["z"], "SnoozeModal"),
    "new task": (["n"], "FormModal"),
    "script picker": (["0"], "ScriptPickerModal"),
    "deal": (["o"], "OpportunityScreen"),
    "deal edit": (["o", "e"], "FormModal"),
    "deal lost": (["o", "L"], "FormModal"),
    "customers": (["u"], "CustomerScreen"),
    "customer's deal": (["u", "down", "enter", "enter"], "OpportunityScreen"),
    "pipeline": (["v"], "PipelineScreen"),
    "pipeline's deal": (["v", "enter"], "OpportunityScreen"),
    "leaderboard": (["b"], "LeaderboardScreen"),
    "forecast": (["p"], "ForecastScreen"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    path = tmp_path_factory.mktemp("zh") / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=sh(2026, 11, 23, 10))
    store.close()
    data: set[str] = set()
    with sqlite3.connect(path) as conn:
        for table in DATA_TABLES:
            for row in conn.execute(f"SELECT * FROM {table}"):  # our own table names
                data.update(w for cell in row for w in WORD.findall(str(cell)))
    return path, data


@pytest.mark.parametrize("name", PATHS)
async def test_no_english_word_on_a_zh_cn_screen(demo: tuple[Path, set[str]], name: str) -> None:
    path, data = demo
    app = SalesbenchApp(
        open_store(str(path)), clock=FixedClock(sh(2026, 11, 23, 17)), rep=REP, clipboard_tool=None
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        keys, reached = PATHS[name]
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause(0.3)  # a palette or a list fills in a worker
        await settle(pilot)
        assert type(app.screen).__name__ == reached
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        english = {w for w in WORD.findall(screen)} - data - NOT_ENGLISH
        assert not english, (type(app.screen).__name__, sorted(english), screen)
