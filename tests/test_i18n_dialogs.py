"""The workbench's dialogs in a zh-CN rep's language: their titles, labels, buttons and
choices (the log dialog's channels by label, never by key)."""

from __future__ import annotations

import io
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


async def test_the_focus_run_and_the_contact_form_speak_chinese(store, clock) -> None:
    from tests.test_tui_customers import open_center

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(pilot, "s")
        progress = str(screen.query_one("#focus-progress").render())
        assert progress.startswith("专注模式") and "第 1/" in progress, progress
        assert "task" not in progress and "done" not in progress, progress
        await pilot.press("escape")
        await settle(pilot)
        center = await open_center(pilot, "李娜")
        await pilot.press("ctrl+t")
        await settle(pilot)
        form = app.screen
        assert form is not center
        text = _dialog_text(form)
        for word in ("名称", "电话", "邮箱", "决策角色", "决策人", "影响者"):
            assert word in text, (word, text)
        for key in ("decision_maker", "influencer", "Decision role"):
            assert key not in text, (key, text)


def test_a_contact_s_phones_and_addresses_are_labelled_in_the_language() -> None:
    from salesbench.core import i18n
    from salesbench.core.reach import Reach

    reach = Reach(
        phones=(("mobile", "+86 138 0000 0001"),),
        emails=(("work", "li@example.cn"),),
        addresses=({"kind": "billing", "city": "上海"},),
    )
    i18n.use("zh-CN")
    try:
        compact = reach.compact_lines()
        lines = reach.lines()
    finally:
        i18n.use("en")
    assert compact[0] == "手机   +86 138 0000 0001"  # padded by cells: 手机 is four
    assert compact[1].startswith("工作   li@example.cn")
    assert compact[2].startswith("账单: ")
    assert lines[0].startswith("电话     手机") and "mobile" not in "".join(lines)
    assert reach.compact_lines()[0] == "mobile +86 138 0000 0001"


async def test_the_footer_and_the_keys_panel_name_textual_s_own_keys_in_chinese(
    store, clock
) -> None:
    from rich.console import Console

    from salesbench.tui.footer import FittingFooter
    from salesbench.tui.keys_panel import KeysTable

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(80, 24)) as pilot:
        queue = app.screen
        assert await settle_until(pilot, lambda: bool(queue.query("#task-heading")))
        footer = " ".join(str(k.description) for k in queue.query_one(FittingFooter).children)
        assert "命令" in footer and "palette" not in footer, footer
        await pilot.press("question_mark")
        await settle(pilot)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(queue.query_one(KeysTable).render_bindings_table())
        keys = console.export_text()
        assert "向下滚动" in keys or "下一页" in keys or "第一项" in keys, keys
        for english in ("Scroll", "Page Up", "First", "Copy selected text", "palette"):
            assert english not in keys, (english, keys)


async def test_lost_without_a_reason_is_refused_in_chinese_in_place(store, clock) -> None:
    from salesbench.tui.opportunity_screen import OpportunityScreen

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        deal = await _open(pilot, "o")
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen))
        await pilot.press("L")
        assert await settle_until(pilot, lambda: app.screen is not deal)
        form = app.screen
        assert "为什么丢单" in _dialog_text(form)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, the refusal under the field
        said = str(form.query_one("#error-reason", Label).render())
        assert said == "原因：丢单时必须填写", said


async def test_a_snooze_to_a_day_not_in_the_calendar_is_refused_in_chinese(store, clock) -> None:
    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        dialog = await _open(pilot, "z")
        dialog.query_one("#snooze-date").focus()
        await pilot.press(*"2027-02-30", "enter")
        await settle(pilot)
        assert app.screen is dialog
        said = str(dialog.query_one("#error-date", Label).render())
        assert "不是日历上存在的日期" in said and "is not" not in said, said


async def test_the_deal_edit_form_and_its_refusal_speak_chinese(store, clock) -> None:
    from textual.widgets import Input

    from salesbench.tui.opportunity_screen import OpportunityScreen

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, "o")
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen))
        deal = app.screen
        await pilot.press("e")
        assert await settle_until(pilot, lambda: app.screen is not deal)
        form = app.screen
        text = _dialog_text(form)
        for word in ("编辑 沙发", "标题", "金额", "预计成交日期"):
            assert word in text, (word, text)
        assert "Edit" not in text and "Expected close" not in text, text
        form.query_one("#form-expected_close", Input).value = "2027-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = str(form.query_one("#error-expected_close", Label).render())
        assert said == "预计成交日期：'2027-02-30' 不是日历上存在的日期", said
