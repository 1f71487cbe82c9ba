"""Issue 18: what a zh-CN rep still read in English: "This task has nothing to fill
in.", "{stage} is not complete" from the deal screen's `a`, the script picker's "(not
ready: missing …)", and a contact's "title" given as 标题 (a heading) for 职位."""

from __future__ import annotations

import pytest

from salesbench.core import i18n
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from tests.sop_world import sh
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "沙发", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def english(text: str) -> bool:
    return any(word in text for word in ("nothing to fill", "not complete", "not ready"))


async def highlight_each(pilot):
    """Each task of the queue highlighted in turn, its panel shown."""
    from textual.widgets import OptionList

    screen = pilot.app.screen
    option_list = screen.query_one("#queue", OptionList)
    for target in list(screen.order):
        option_list.highlighted = option_list.get_option_index(target)
        await settle(pilot)
        if screen.detail is not None and screen.detail.task_id == target:
            yield screen.detail


async def test_nothing_to_fill_in_is_said_in_chinese(app: SalesbenchApp) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        async for detail in highlight_each(pilot):
            if not detail.fields:
                break
        else:
            pytest.fail("no task without a form")
        await pilot.press("f")
        await settle(pilot)
        said = [n.message for n in notices]
        assert said and not any(english(m) for m in said), said
        assert any("没有" in m for m in said), said


async def test_the_deal_screen_says_its_stage_is_not_complete_in_chinese(
    app: SalesbenchApp,
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        said = [n.message for n in notices]
        assert any("尚未完成" in m for m in said), said
        assert not any(english(m) for m in said), said


def test_the_script_picker_marks_a_script_not_ready_in_chinese() -> None:
    from types import SimpleNamespace

    from salesbench.tui.script_copy import script_choice

    script = SimpleNamespace(title="成交话术")
    lacking = SimpleNamespace(script=script, sendable=False, gaps=["预算", "决策人"])
    i18n.use("zh-CN")
    try:
        shown = script_choice(lacking)
        ready = script_choice(SimpleNamespace(script=script, sendable=True, gaps=[]))
    finally:
        i18n.use("en")
    assert shown.startswith("成交话术") and "缺少" in shown and "预算" in shown, shown
    assert not english(shown), shown
    assert ready == "成交话术"
    assert "not ready: missing" in script_choice(lacking)  # English for an English rep


def test_a_contacts_title_is_a_job_title() -> None:
    from salesbench.tui.record_forms import contact_fields

    i18n.use("zh-CN")
    try:
        labels = {key: label for key, label, _o, _v in contact_fields(None)}
    finally:
        i18n.use("en")
    assert labels["title"] == "职位"


async def test_showing_done_and_reopening_speak_chinese(app: SalesbenchApp) -> None:
    """`h` said "Showing what was finished today" and `d` on a finished task
    "… is done already: press d again to reopen it" to a zh-CN rep (walkthrough)."""
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.selected
        await pilot.press("h")  # the finished tasks stay in sight, to press d on again
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        from textual.widgets import OptionList

        option_list = screen.query_one("#queue", OptionList)
        option_list.highlighted = option_list.get_option_index(first)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        said = [n.message for n in notices]
        assert "显示今天已完成的任务" in said, said
        assert any("已完成：再按一次 d 可重新打开" in m for m in said), said
        assert not any(m.isascii() for m in said), said


async def test_the_filter_and_a_shared_name_speak_chinese(store, clock) -> None:
    """The queue's filter box said "filter: customer, deal or task", and customers
    sharing a name "(2 customers)", to a zh-CN rep (walkthrough)."""
    from textual.widgets import Input

    from salesbench.core.words import customers_named

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).placeholder.startswith("筛选")
        assert customers_named("李娜", 2) == "李娜（2 个客户）"
    i18n.use("en")
    assert customers_named("Northwind Home", 4) == "Northwind Home (4 customers)"


def test_field_refusals_and_stage_notices_speak_chinese() -> None:
    """A zh-CN rep read "电话：'abc' is not a phone number …", "年龄：'abc' is not a whole
    number", "Done by itself: …" and "Not done yet: …" (second walkthrough)."""
    from salesbench.core.errors import BadInput
    from salesbench.core.phones import check_phone
    from salesbench.core.playbook import FieldDef
    from salesbench.core.values import parse_value

    i18n.use("zh-CN")
    try:
        with pytest.raises(ValueError) as phone:
            check_phone("abc")
        with pytest.raises(BadInput) as age:
            parse_value(FieldDef("age", "年龄", "int", "customer"), "abc")
        done = i18n._("Done by itself: {task}").format(task="分享案例")
        still = i18n._("Not done yet: {title}. {still}")
    finally:
        i18n.use("en")
    assert str(phone.value).startswith("'abc' 不是电话号码"), phone.value
    assert "不是整数" in str(age.value), age.value
    assert done == "已自动完成：分享案例", done
    assert not still.startswith("Not done"), still
