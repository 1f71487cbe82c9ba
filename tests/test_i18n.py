"""The workbench in the rep's language (issue 18): GNU gettext catalogs made with Babel
from the code (scripts/i18n.py), complete for zh-CN, and shown where the rep reads."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from salesbench.core import i18n
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import NOW, snapshot, subprocess_env
from tests.sop_world import sh
from tests.tui_support import settle, settle_until

ROOT = Path(__file__).resolve().parents[1]


def _tool():  # scripts/i18n.py, as a module
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogs_hold_every_marked_string_translated_and_compiled() -> None:
    """The extraction check: a string marked in the code and missing from the
    template, untranslated or fuzzy in zh-CN, or a .mo older than its .po fails here
    until `scripts/i18n` has been run and the translation written."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_check_names_a_new_string_left_untranslated_or_guessed() -> None:
    from babel.messages.catalog import Catalog

    tool = _tool()
    catalog = Catalog(locale="zh_CN")
    catalog.add("Morning review", "早盘点")
    catalog.add("Due within 24 hours", "")
    catalog.add("Overdue", "逾期", flags=["fuzzy"])
    catalog.add(("{n} deal", "{n} deals"), ("",))
    found = tool.problems("zh_CN", catalog)
    assert found == [
        "zh_CN: untranslated: 'Due within 24 hours'",
        "zh_CN: fuzzy: 'Overdue'",
        "zh_CN: untranslated: '{n} deal'",
    ]


def test_the_check_names_a_message_hidden_in_an_f_string(tmp_path: Path) -> None:
    """Babel does not extract _("…") written inside an f-string: such a message would
    stay English for every rep without the catalog check noticing."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "screen.py").write_text(
        "from salesbench.core.i18n import _\n"
        "ok = _('Why')\n"
        "hidden = f\"[b]{_('Done when')}[/b]\"\n",
        encoding="utf-8",
    )
    found = _tool().hidden_in_fstrings(package)
    assert found == ["pkg/screen.py:3: a message inside an f-string is not extracted"]


def test_every_zh_cn_translation_keeps_the_placeholders_of_its_english() -> None:
    """A translation that drops or renames {open} would fail at .format() in front of
    the rep, or say nothing of the count."""
    import re

    from babel.messages.pofile import read_po

    path = ROOT / "salesbench/locale/zh_CN/LC_MESSAGES/salesbench.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    names = re.compile(r"\{(\w*)(?:[:!][^}]*)?\}")  # a format spec ({day:02d}) too
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            assert set(names.findall(s)) == set(names.findall(ids[-1])), (message.id, s)


def test_a_language_without_a_catalog_speaks_english() -> None:
    i18n.use("fr")
    assert i18n._("Morning review") == "Morning review"
    i18n.use("zh-CN")
    assert i18n._("Morning review") == "早盘点"
    assert i18n.n_("{n} zebra", "{n} zebras", 2) == "{n} zebras"  # not in the catalog
    i18n.use("en")
    assert i18n._("Morning review") == "Morning review"


def _header(screen: QueueScreen) -> str:
    return " ".join(str(screen.query_one(f"#{w}").render()) for w in ("title", "counts"))


def _footer(app: SalesbenchApp) -> list[str]:
    return [str(k.description) for k in app.screen.query("FooterKey")]


@pytest.mark.parametrize(
    ("language", "words", "absent"),
    [
        ("zh-CN", ("早盘点", "星期一", "个待办", "今日完成"), ("Morning review", "Monday")),
        ("en", ("Morning review", "Monday", "open", "done today"), ("早盘点",)),
    ],
)
async def test_the_queue_header_sections_and_footer_speak_the_reps_language(
    store, clock, language: str, words: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    clock.at = sh(2026, 11, 23, 10)  # a Monday morning in Shanghai
    add_rep(store, {"name": "王芳", "email": "wf@example.com", "language": language}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "沙发", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        header = _header(screen)
        for word in words:
            assert word in header, header
        for word in absent:
            assert word not in header, header
        headings = [str(o.prompt) for o in screen.query_one("#queue").options if o.id is None]
        footer = _footer(app)
        if language == "zh-CN":
            assert any(h.startswith("24小时内到期") for h in headings), headings
            assert {"完成", "跳过", "推迟"} <= set(footer), footer
            assert not {"Done", "Skip", "Snooze"} & set(footer), footer
        else:
            assert any(h.startswith("Due within 24 hours") for h in headings), headings
            assert {"Done", "Skip", "Snooze"} <= set(footer), footer


def _panel_text(screen: QueueScreen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("TaskPanel Static"))


async def _zh_app(store, clock, hour: int) -> SalesbenchApp:
    clock.at = sh(2026, 11, 23, hour)
    add_rep(store, {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "沙发", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_the_task_panel_labels_its_parts_in_the_reps_language(store, clock) -> None:
    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert await settle_until(pilot, lambda: bool(screen.query("#task-heading")))
        text = _panel_text(screen)
        assert "做法" in text and "完成标准" in text and "检查单" in text, text
        assert "按 c 复制" in text or "尚不能发送" in text, text  # the first script's key
        for english in ("[b]Why", "How\n", "press c to copy", "not ready to send"):
            assert english not in text, text


async def test_the_end_of_day_block_speaks_the_reps_language(store, clock) -> None:
    app = await _zh_app(store, clock, 18)  # 18:00 in Shanghai: the end-of-day review
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert await settle_until(pilot, lambda: "预测" in str(screen.query_one("EodBox").render()))
        box = str(screen.query_one("EodBox").render())
        assert "下班前" in box and "待办" in box and "明天" in box, box
        assert "下班前盘点" in _header(screen)
        for english in ("End of day", " done", " open", "tomorrow", "won amount", "forecast"):
            assert english not in box, box


# ------------------------------------------------------------------ the command line


def _queue_book(cli, language: str = "en") -> None:
    init = ["init", "--name", "Wang Fang", "--email", "wf@example.com", "--language", language]
    assert cli(*init).exit_code == 0
    cli("customer", "add", "李娜", "--kind", "person")
    assert cli("opp", "add", "李娜", "Sofa", "--playbook", "retail-5").exit_code == 0


@pytest.mark.parametrize(
    ("env", "rep_language", "chinese"),
    [
        ({"SALESBENCH_LANG": "zh_CN"}, "en", True),  # asked for: wins over the rep's
        ({"SALESBENCH_LANG": "en"}, "zh-CN", False),
        ({}, "zh-CN", True),  # the queue is the rep's: in their language
        ({}, "en", False),
        ({"LANG": "zh_CN.UTF-8"}, "en", False),  # the locale only speaks for no rep
    ],
)
def test_the_queue_command_speaks_the_language_asked_for_else_the_reps(
    cli, monkeypatch, db, env: dict[str, str], rep_language: str, chinese: bool
) -> None:
    _queue_book(cli, rep_language)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    done = cli("queue")
    assert done.exit_code == 0, done.output
    first, counts = done.output.splitlines()[:2]
    if chinese:
        assert first.startswith(("早盘点", "下班前盘点")), first
        assert "个待办" in counts and "今日完成" in counts, counts
        assert "open" not in done.output and "Due within" not in done.output
    else:
        assert first.startswith(("Morning review", "End-of-day review")), first
        assert " open · " in counts, counts
        assert "待办" not in done.output


def test_a_language_salesbench_does_not_speak_is_refused_naming_the_variable(
    cli, monkeypatch, db
) -> None:
    _queue_book(cli)
    before = snapshot(db)
    monkeypatch.setenv("SALESBENCH_LANG", "klingon")
    done = subprocess.run(
        [sys.executable, "-m", "salesbench", "customer", "add", "Acme"],
        capture_output=True,
        text=True,
        env=subprocess_env(db, SALESBENCH_LANG="klingon", SALESBENCH_NOW=NOW.isoformat()),
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "salesbench: error: SALESBENCH_LANG: 'klingon' is not a language salesbench speaks "
        "(use en or zh-CN)"
    ]
    assert snapshot(db) == before  # nothing written


def test_the_machines_locale_picks_the_language_only_as_a_default() -> None:
    from salesbench.settings_env import from_environ

    assert from_environ({"LANG": "zh_CN.UTF-8"}).language_for() == "zh-CN"
    assert from_environ({"LANG": "zh_CN.UTF-8"}).language_for("en") == "en"
    assert from_environ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}).language_for() == "en"
    assert from_environ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}).language_for() == "zh-CN"
    assert from_environ({"LANG": "fr_FR.UTF-8"}).language_for() == "en"  # none of ours
    assert from_environ({"LANG": "zh_TW.UTF-8"}).language_for() == "en"  # not zh-CN
    assert from_environ({"SALESBENCH_LANG": "zh-cn"}).language_for("en") == "zh-CN"
    assert from_environ({}).language_for() == "en"


async def test_the_deal_screen_shows_labels_in_the_reps_language_never_keys(store, clock) -> None:
    from salesbench.tui.opportunity_screen import OpportunityScreen

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        queue = screen.query_one("#queue")
        queue.highlighted = next(n for n, o in enumerate(queue.options) if o.id)
        await pilot.press("o")
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen))
        assert await settle_until(pilot, lambda: app.screen.view is not None)
        deal = app.screen
        text = "\n".join(
            str(deal.query_one(f"#{w}").render()) for w in ("title", "opp-tasks", "opp-facts")
        )
        for chinese in ("进行中", "负责人 王芳", "（当前）", "阶段历史", "（开始）"):
            assert chinese in text, text
        for english in ("open ·", "owner", "(current)", "Stage history", "(start)", "Timeline"):
            assert english not in text, text


async def test_the_notices_of_the_core_loop_speak_the_reps_language(store, clock) -> None:
    from tests.tui_support import record_notices

    app = await _zh_app(store, clock, 10)
    notices = record_notices(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # skip: no checklist to tick first
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("ctrl+z")  # nothing left to take back
        await settle(pilot)
    said = [n.message for n in notices]
    assert any(m.startswith("已跳过：") for m in said), said
    assert any(m.startswith("已撤销跳过：") for m in said), said
    assert any(m.startswith("没有可撤销的操作") for m in said), said
    assert not any(m.startswith(("Skipped", "No longer", "Nothing to undo")) for m in said), said


def test_a_catalog_compiled_by_another_babel_release_is_not_stale(tmp_path: Path) -> None:
    """CI installs the newest Babel: its compiled header names another release than the
    one that compiled the shipped .mo, and the check called the catalog out of date."""
    from babel.messages.catalog import Catalog

    tool = _tool()
    catalog = Catalog(locale="zh_CN")
    catalog.add("Morning review", "早盘点")
    shipped = tmp_path / "salesbench.mo"
    made = tool._mo_bytes(catalog)
    shipped.write_bytes(made.replace(b"Generated-By: Babel 2.", b"Generated-By: Babel 9."))
    assert tool._same(shipped, tool._mo_bytes(catalog))
    catalog.add("Overdue", "逾期")
    assert not tool._same(shipped, tool._mo_bytes(catalog))  # a new translation is not


async def test_the_pipeline_speaks_the_reps_language_with_its_columns_straight(
    store, clock
) -> None:
    from rich.cells import cell_len

    from salesbench.tui.pipeline_screen import PipelineScreen

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        assert await settle_until(pilot, lambda: isinstance(app.screen, PipelineScreen))
        await settle(pilot)
        screen = app.screen
        title = str(screen.query_one("#title").render())
        counts = str(screen.query_one("#counts").render())
        assert title.startswith("商机管道"), title
        assert counts.startswith("1 个在途商机") and "按金额排序" in counts, counts
        head = str(screen.query_one("#pipeline-head").render())
        lines = [str(o.prompt) for o in screen.query_one("#pipeline").options]
        assert lines[0].startswith("初次接洽（1）"), lines
        deal = next(line for line in lines if "沙发" in line)
        assert "天数" in head and "下一个任务" in head, head
        # the days column ends where its heading ends, whatever the headings' widths
        days = re.search(r"\d+天", deal)  # 0天, never 0d
        assert days is not None, deal
        assert cell_len(deal[: days.end()]) == cell_len(head[: head.index("天数") + 2]), (
            head,
            deal,
        )


async def test_the_customer_center_shows_labels_in_the_reps_language(store, clock) -> None:
    from salesbench.services.contacts import add_contact
    from tests.test_tui_customers import open_center

    app = await _zh_app(store, clock, 10)
    add_contact(store, "李娜", {"name": "王伟", "decision_role": "decision_maker"}, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_center(pilot, "李")
        await settle(pilot)
        text = "\n".join(
            str(screen.query_one(f"#{name}").render()) for name in ("customer-detail",)
        )
        text += "\n".join(str(o.prompt) for o in screen.query_one("#customer-deals").options)
        for chinese in ("个人", "活跃", "负责人 王芳", "联系人", "决策人", "商机", "进行中"):
            assert chinese in text, text
        for key in ("person", "active", "decision maker", "decision_maker", "owner", "open"):
            assert key not in text, text


def test_languages_list_and_script_tags_are_read_as_gettext_reads_them() -> None:
    from salesbench.core.i18n import _, language_tag, use
    from salesbench.settings_env import locale_language

    assert locale_language({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}) == "zh-CN"
    assert locale_language({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:zh_CN"}) == "zh-CN"
    assert locale_language({"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}) == "en"  # as gettext
    assert locale_language({"LANGUAGE": "zh_CN"}) == "en"  # no locale is the C locale
    assert language_tag("zh-Hans-SG") == language_tag("zh_Hans_HK") == "zh-CN"
    assert language_tag("zh_TW.UTF-8") is None and language_tag("zh-Hant") is None
    use("zh-CN")
    assert _("") == ""  # gettext's key for the catalog header, never a translation


async def test_the_workbench_speaks_the_language_asked_for_over_the_reps(store, clock) -> None:
    """SALESBENCH_LANG=en (cli/tui.py passes it) wins over a zh-CN rep, as in `queue`."""
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None, language="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Morning review" in _header(app.screen), _header(app.screen)


@pytest.mark.parametrize(("asked", "chosen"), [("zh-CN", "zh-CN"), (None, "en")])
async def test_the_first_rep_form_starts_on_the_language_asked_for(
    store, clock, asked: str | None, chosen: str
) -> None:
    from textual.widgets import Select

    from salesbench.tui.first_run import FirstRepScreen

    app = SalesbenchApp(store, clock=clock, clipboard_tool=None, language=asked)
    async with app.run_test(size=(160, 48)) as pilot:
        assert await settle_until(pilot, lambda: isinstance(app.screen, FirstRepScreen))
        assert app.screen.query_one("#rep-language", Select).value == chosen


def test_lists_are_joined_the_languages_way() -> None:
    i18n.use("zh-CN")
    assert i18n.listed(["李娜", "王伟"]) == "李娜、王伟"
    assert i18n.listed(["已填写预算", "勾选检查单"], long=True) == "已填写预算；勾选检查单"
    i18n.use("en")
    assert i18n.listed(["Li Na", "Wang Wei"]) == "Li Na, Wang Wei"
    assert i18n.listed(["budget", "checklist"], long=True) == "budget; checklist"


async def test_the_leaderboard_and_the_forecast_speak_the_reps_language(store, clock) -> None:
    from textual.widgets import Static

    from salesbench.tui.report_screens import ForecastScreen, LeaderboardScreen

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        assert await settle_until(pilot, lambda: isinstance(app.screen, LeaderboardScreen))
        await settle(pilot)
        board = app.screen
        title = str(board.query_one("#title", Static).render())
        counts = str(board.query_one("#counts", Static).render())
        assert "成就榜" in title and "成交金额" in title and "按销售" in title, title
        assert "（月）" in title or "(月)" in title, title
        assert "b 指标" in counts, counts
        for english in ("Leaderboard", "Won amount", "by rep", "month", "ranked", "measure"):
            assert english not in title + counts, title + counts
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        assert await settle_until(pilot, lambda: isinstance(app.screen, ForecastScreen))
        screen = app.screen
        assert await settle_until(
            pilot, lambda: "阶段" in str(screen.query_one("#factors", Static).render())
        )
        shown = "\n".join(
            str(screen.query_one(f"#{part}", Static).render())
            for part in ("title", "counts", "months", "factors")
        )
        assert "预测" in shown and "个在途商机" in shown and "加权商机金额" in shown, shown
        assert "已完成" in shown and ("未分级" in shown or "类客户" in shown), shown
        for english in ("Forecast", "open deal", "weighted", "calibrated", " done", "grade"):
            assert english not in shown, shown


def test_a_modes_broken_standards_are_told_in_the_language_with_their_units() -> None:
    from datetime import UTC, datetime

    from salesbench.core.modes import check_mode
    from salesbench.core.playbook import ModeDef

    mode = ModeDef("quick", "快刀模式", max_days=7, max_visits=2, min_price_ratio=0.8)
    opened, now = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)

    def told() -> list[str]:
        found = check_mode(mode, opened_at=opened, now=now, visits=3, amount=70, list_price=100)
        return [d.message for d in found]

    assert told() == [
        "open 19 days; 快刀模式 closes within 7 days",  # the unit was missing
        "3 visits; 快刀模式 plans for 2",
        "price at 70% of list; 快刀模式 keeps at least 80%",
    ]
    i18n.use("zh-CN")
    assert told() == [
        "已开 19 天；快刀模式要求 7 天内成交",
        "已拜访 3 次；快刀模式计划 2 次",
        "价格为标价的 70%；快刀模式至少保持 80%",
    ]
