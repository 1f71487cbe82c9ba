"""Issue 17, the command palette: one entry per thing to do (not nine "Copy script N"),
each showing its key, and the customer center's own entries there on that screen."""

from __future__ import annotations

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.actions import CUSTOMER_ACTIONS, QUEUE_ACTIONS
from salesbench.tui.app import SalesbenchApp
from tests.conftest import CLOCK
from tests.tui_support import settle

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def entries(app: SalesbenchApp) -> dict[str, object]:
    return {c.title: c for c in app.get_system_commands(app.screen)}


async def test_the_palette_groups_the_copy_entries_and_shows_keys(app: SalesbenchApp) -> None:
    from salesbench.tui.modals import ScriptPickerModal

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = entries(app)
        assert not [t for t in titles if t.startswith("Copy script")]
        assert {"Done  d", "Skip  x", "Snooze  z", "Copy  c", "Filter  /"} <= set(titles)
        picker = [t for t in titles if t.startswith("Copy a script")]
        assert picker == ["Copy a script…  0"]
        # every registry entry meant for the palette is there (undo too, once it is added)
        for action in QUEUE_ACTIONS:
            if action.palette:
                assert any(t.startswith(action.title + "  ") for t in titles), action.title
        await titles["Copy a script…  0"].callback()  # as the palette runs it
        await settle(pilot)
        assert isinstance(app.screen, ScriptPickerModal)


async def test_the_customer_center_offers_pause_and_complaint(app: SalesbenchApp) -> None:
    from salesbench.tui.customer_screen import CustomerScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        titles = entries(app)
        assert {"Not needed now  ^y", "Complaint  ^r", "New customer  ^n"} <= set(titles)
        assert len([a for a in CUSTOMER_ACTIONS if a.palette]) == len(
            [t for t in titles if t.split("  ")[0] in {a.title for a in CUSTOMER_ACTIONS}]
        )
        assert "Done  d" not in titles  # the queue's keys are not this screen's


async def test_the_queue_palette_offers_complaint_and_pause_for_the_tasks_customer(
    app: SalesbenchApp, db_path
) -> None:
    from salesbench.tui.modals import FormModal
    from tests.tui_support import rows

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = entries(app)
        # the customer center's keys work on the queue too, for the highlighted task
        assert {"Not needed now  ^y", "Complaint  ^r"} <= set(titles), sorted(titles)
        # every entry names its key, Textual's own Keys and Quit included (as ours)
        keyless = [t for t in titles if "  " not in t]
        assert set(keyless) <= {"Theme", "Screenshot", "Maximize", "Minimize"}, keyless
        assert {"Keys  ?", "Quit  q"} <= set(titles)
        await titles["Complaint  ^r"].callback()  # as the palette runs it
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormModal) and "李娜" in form.title_text
        from textual.widgets import Input

        form.query_one("#form-content", Input).value = "The sofa came scratched"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert rows(db_path, "SELECT content FROM complaint") == [("The sofa came scratched",)]


async def test_the_keys_panel_lists_the_workbench_keys_first_and_copy_once(
    app: SalesbenchApp,
) -> None:
    import os

    from rich.console import Console
    from textual.widgets import KeyPanel

    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one(KeyPanel).query_one("BindingsTable").render()
        console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(table)
        listed = [line.strip() for line in console.export_text().splitlines() if line.strip()]
    assert listed[0].split()[-1] == "Start", listed[:5]  # the queue's own first key first
    assert listed.index("? Keys") < min(
        n for n, line in enumerate(listed) if "Scroll" in line or "Select" in line
    ), listed
    assert "1-9 Copy script" in listed, listed
    assert not [line for line in listed if "Copy script 2" in line], listed


async def palette_hits(pilot, query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await settle(pilot)
    assert CommandPalette.is_open(pilot.app)
    await pilot.press(*query)
    await pilot.pause(0.5)  # the palette searches in a worker, then shows its hits
    await settle(pilot)
    found = pilot.app.screen.query_one(CommandList)
    return [str(o.prompt) for o in found.options]


async def test_the_palette_finds_an_entry_by_what_it_does(app: SalesbenchApp) -> None:
    """Typing "pause" in the palette found nothing: the entry is titled "Not needed
    now" and only its description says "Pause follow-up" (walkthrough)."""
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        hits = await palette_hits(pilot, "pause")
        assert any("Not needed now" in h for h in hits), hits
        await pilot.press("escape")
        # a title match ranks above a match in a description
        hits = await palette_hits(pilot, "done")
        assert "Done" in hits[0], hits


async def test_textual_palette_entries_speak_chinese_to_a_zh_rep(store, clock) -> None:
    """A zh-CN rep's palette said "Search for commands…", "Theme", "Screenshot",
    "Maximize" in English among the workbench's Chinese entries (issue 18)."""
    from textual.command import CommandInput

    add_rep(
        store,
        {"name": "王芳", "email": "wf@example.com", "language": "zh-CN"},
        clock=CLOCK,
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = set(entries(app))
        assert not {"Theme", "Screenshot", "Maximize", "Keys", "Quit"} & titles, titles
        assert {"主题", "截图"} <= titles, titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
