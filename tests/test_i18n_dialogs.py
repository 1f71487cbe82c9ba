"""The workbench's dialogs in a zh-CN rep's language: their titles, labels, buttons and
choices (the log dialog's channels by label, never by key)."""

from __future__ import annotations

import re

from textual.widgets import Button, Label, Select

from salesbench.tui.queue_screen import QueueScreen
from tests.test_i18n import _zh_app
from tests.tui_support import settle, settle_until

# an English word of the dialogs' own text; placeholders like YYYY-MM-DD and the keys
# (ctrl+s, Esc, y, n) are not words a rep reads as English
_ENGLISH = re.compile(r"\b(?!YYYY|MM|DD|HH|ctrl|Esc\b)[A-Za-z]{3,}\b")


def _dialog_text(screen) -> str:
    parts = [str(label.render()) for label in screen.query(Label)]
    parts += [str(button.label) for button in screen.query(Button)]
    for select in screen.query(Select):
        parts += [str(prompt) for prompt, _value in select._options]
    return "\n".join(parts)


async def _open(pilot, key: str):
    app = pilot.app
    queue = app.screen
    assert isinstance(queue, QueueScreen)
    assert await settle_until(pilot, lambda: bool(queue.query("#task-heading")))
    await pilot.press(key)
    await settle(pilot)
    assert app.screen is not queue, key
    return app.screen


async def test_the_log_snooze_and_new_task_dialogs_speak_chinese(store, clock) -> None:
    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        for key, chinese in (
            ("l", ("记录与", "方式", "沟通情况", "下一步日期", "保存", "取消", "拜访", "电话")),
            ("z", ("推迟到", "明天上午", "下周")),
            ("n", ("新任务", "任务", "日期", "时间", "归属", "商机：")),
        ):
            screen = await _open(pilot, key)
            text = _dialog_text(screen)
            for word in chinese:
                assert word in text, (key, word, text)
            english = [w for w in _ENGLISH.findall(text) if w not in ("Sofa",)]
            assert english == [], (key, english, text)
            await pilot.press("escape")
            await settle(pilot)
