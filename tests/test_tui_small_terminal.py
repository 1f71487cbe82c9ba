"""The workbench at 80x24 (issue 17, walkthrough): the end-of-day block stays small,
the pipeline keeps a deal on one line, dialogs fit with their buttons, and a toast
keeps every character of a wrapped Chinese line."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from textual.widgets import OptionList

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.eod_box import EodBox
from tests.sop_world import sh
from tests.tui_support import settle

REP = "rep3@demo.salesbench.dev"  # reads English; rep1 reads Chinese
SMALL = (80, 24)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=sh(2026, 11, 23, 10))
    store.close()
    return path


def make_app(db: Path, at=sh(2026, 11, 23, 17), rep: str = REP) -> SalesbenchApp:
    return SalesbenchApp(open_store(str(db)), clock=FixedClock(at), rep=rep, clipboard_tool=None)


@pytest.mark.parametrize("start", [SMALL, (160, 48)])
async def test_the_end_of_day_block_leaves_the_queue_most_of_the_column(
    demo_db: Path, start: tuple[int, int]
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=start) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(*SMALL)  # tmux: a window made smaller
        await settle(pilot)
        box = app.screen.query_one(EodBox)
        queue = app.screen.query_one("#queue", OptionList)
        assert box.display
        assert box.outer_size.height <= 3, box.outer_size
        assert queue.outer_size.height >= 16, queue.outer_size
        painted = "".join(
            s.text for line in box.render_lines(box.region.reset_offset) for s in line
        )
        assert "tomorrow" in painted  # nothing of the figures cut


@pytest.mark.parametrize("rep", [REP, "rep1@demo.salesbench.dev"])
@pytest.mark.parametrize("size", [SMALL, (80, 14)])  # 14 rows: the list needs a scrollbar
async def test_the_pipeline_keeps_each_deal_on_one_line_cut_at_words(
    demo_db: Path, rep: str, size: tuple[int, int]
) -> None:
    from salesbench.tui.pipeline_screen import PipelineScreen

    app = make_app(demo_db, sh(2026, 11, 23, 10), rep)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PipelineScreen) and screen.shown
        deals = screen.query_one("#pipeline", OptionList)
        room = deals.scrollable_content_region.width
        prompts = [deals.get_option_at_index(n).prompt for n in range(deals.option_count)]
        assert all(p.cell_len <= room for p in prompts), room
        assert deals.virtual_size.height == deals.option_count  # no line wrapped
        words = {
            w
            for d in screen.shown.values()
            for text in (
                d.customer.name,
                d.opportunity.title,
                d.next_task.title if d.next_task else "",
            )
            for w in text.split()
        }
        for prompt in prompts:
            for token in prompt.plain.split():
                cut = token.removesuffix("…")
                if cut != token and cut.isascii() and cut:  # a Latin cut: at a word's end
                    assert cut in words, (cut, prompt.plain)


PREPARE = "Prepare the visit: homework, materials, dress"
PACKED = (
    "Materials packed: business cards, brochure, price list, contract template, "
    "success cases, pen and notebook"
)


def painted(app: SalesbenchApp, widget, *, whole: bool = False) -> str:
    """What the terminal shows inside `widget` (its content region of the composed
    screen), without the spaces, so a wrapped line reads on."""
    r = widget.region if whole else widget.content_region
    strips = app.screen._compositor.render_strips()
    return "".join(s.crop(r.x, r.right).text for s in strips[r.y : r.bottom]).replace(" ", "")


def on_screen(app: SalesbenchApp, widget) -> bool:
    width, height = app.size
    r = widget.region
    return r.width > 0 and r.height > 0 and r.right <= width and r.bottom <= height


@pytest.fixture
def b2b_app(store, clock) -> SalesbenchApp:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    deal = {"title": "ERP", "playbook_key": "b2b-lifecycle", "stage_key": "needs_research"}
    add_opportunity(store, "Big Co", deal, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_a_long_checklist_label_wraps_in_the_panel(b2b_app: SalesbenchApp) -> None:
    from textual.widgets import Checkbox

    from tests.test_tui import select

    async with b2b_app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = b2b_app.screen
        await select(pilot, screen, PREPARE)
        box = next(b for b in screen.query(Checkbox) if "Materials" in str(b.label))
        box.scroll_visible(animate=False)
        await settle(pilot)
        assert PACKED.replace(" ", "") in painted(b2b_app, box)


async def test_the_done_anyway_dialog_fits_with_its_buttons(b2b_app: SalesbenchApp) -> None:
    from textual.widgets import Button, Label

    from salesbench.core.criteria import CriteriaOpen
    from salesbench.tui.done_anyway import ask_done_anyway
    from tests.test_tui import select

    async with b2b_app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await select(pilot, b2b_app.screen, PREPARE)
        # open criteria as long as a standard the deal's mode holds it to
        ask_done_anyway(b2b_app, CriteriaOpen(PREPARE, [PACKED, PACKED.upper()]), print)
        await settle(pilot)
        dialog = b2b_app.screen.query_one("#dialog")
        note = b2b_app.screen.query_one("#form-note", Label)
        assert PACKED.replace(" ", "") in str(note.render()).replace(" ", "")
        assert str(note.render()).replace(" ", "") in painted(b2b_app, dialog)
        for button in b2b_app.screen.query(Button):
            assert on_screen(b2b_app, button), button


async def test_the_delete_confirmation_fits_with_its_buttons(demo_db: Path) -> None:
    from textual.widgets import Button, Label

    app = make_app(demo_db, sh(2026, 11, 23, 10))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in ("o", "t", "x"):  # the deal, correct a contact, delete it
            await pilot.press(key)
            await settle(pilot)
        dialog = app.screen.query_one("#dialog")
        shown = painted(app, dialog)
        for label in app.screen.query(Label):
            assert str(label.render()).replace(" ", "") in shown, str(label.render())
        for button in app.screen.query(Button):
            assert on_screen(app, button), button


ZH = "填写客户基本资料包括姓名年龄和性别然后确认预算并安排下一次拜访再跟进报价单"


@pytest.mark.parametrize("head", ["", "a", "Done: ", "完成 a", "已保留："])
async def test_a_toast_keeps_every_chinese_character_at_80_columns(
    demo_db: Path, head: str
) -> None:
    from textual.widgets._toast import Toast

    app = make_app(demo_db, sh(2026, 11, 23, 10), "rep1@demo.salesbench.dev")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        app.notify(head + ZH, timeout=30)
        await pilot.pause(0.3)
        (toast,) = app.screen.query(Toast)
        # its whole width: a character moved past a cut may sit in the right padding
        shown = painted(app, toast, whole=True).replace("▌", "")
        assert shown == (head + ZH).replace(" ", "")


async def test_the_deal_screen_wraps_a_chinese_line_under_its_own_text(demo_db: Path) -> None:
    """At 80x24 a Chinese task title or contact note, one unbreakable word to the
    terminal, went whole to the next line at the left edge, under nothing (walkthrough:
    "  –" then "记录到访信息…" at column 1); it now continues under its own text."""
    from textual.geometry import Region

    from salesbench.core.i18n import _
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.tui_support import settle_until

    app = make_app(demo_db, at=sh(2026, 11, 23, 10), rep="rep1@demo.salesbench.dev")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        queue = app.screen.query_one("#queue", OptionList)
        first = next(n for n, o in enumerate(queue.options) if o.id and "-" in o.id)
        queue.highlighted = first
        await pilot.press("o")
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen))
        await settle(pilot)
        wrapped = 0
        for name in ("#opp-tasks", "#opp-facts"):
            box = app.screen.query_one(name)
            width = box.content_region.width
            height = box.virtual_size.height or 200
            lines = [s.text.rstrip() for s in box.render_lines(Region(0, 0, width, height))]
            for before, line in pairwise(lines):
                # a line right under an indented one that is not itself indented or a
                # heading is the indented line's wrapped rest, at the left edge
                if before.startswith("  ") and line and not line.startswith(" "):
                    heads = ("Timeline", "Fields", "Stage history", "Follow-ups")
                    heading = line.split("  ")[0] in {_(h) for h in heads}  # the rep's words
                    assert heading or line[:1].isascii(), (name, before, line)
                if before.startswith("  ") and line.startswith("    "):
                    wrapped += 1
        assert wrapped, "no line wrapped: the test shows nothing at this size"


async def test_a_numbered_chinese_step_wraps_under_its_text_not_after_its_number(
    store, clock
) -> None:
    """At 80x24 a zh-CN step "1. 找目标客户：名录、转介绍、展会…" left "1." alone on its
    line: a Chinese sentence has no space to break at, so it moved whole to the next
    line (walkthrough). It starts beside its number and continues under its text."""
    from textual.widgets import Static

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep

    clock.at = sh(2026, 11, 23, 10)
    rep = {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"}
    add_rep(store, rep, clock=clock)
    add_customer(store, {"name": "华东机械"}, clock=clock)
    deal = {"title": "MES", "playbook_key": "solution-selling"}
    add_opportunity(store, "华东机械", deal, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        from tests.test_tui import select

        await select(pilot, app.screen, "挖掘潜在商机")
        await settle(pilot)
        how = next(w for w in app.screen.query(Static) if str(w.render()).startswith("做法"))
        r = how.content_region
        strips = app.screen._compositor.render_strips()
        lines = [s.crop(r.x, r.right).text.rstrip() for s in strips[r.y : r.bottom]]
        first = next(line for line in lines if line.lstrip().startswith("1."))
        assert first.lstrip() != "1." and "找" in first, lines
        after = lines[lines.index(first) + 1]
        assert after.startswith(" " * (first.index("1.") + 3)), lines  # under its text
