"""The footer is rebuilt only when it would look different (issue 17, speed): Textual
asks it again on every change of focus or bindings, and each cursor rest remounts the
task panel beside the queue; rebuilding its keys every time restyled twenty widgets."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from salesbench.tui.queue_screen import QueueScreen
from tests.test_tui_truthful import _app
from tests.tui_support import settle


def _keys(screen) -> list[FooterKey]:
    return list(screen.query(FooterKey))


@pytest.mark.sqlite_only
async def test_cursor_moves_keep_the_footers_keys_and_a_form_changes_them(store, clock) -> None:
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        before = _keys(screen)
        assert before, "the footer shows keys"
        for key in ("j", "j", "k"):  # each rest loads and remounts the panel
            await pilot.press(key)
            await settle(pilot)
        # what start-up does several times (the focus set, the screen resumed, the
        # panel's widgets mounted): the bindings announced again, nothing else changed
        screen.refresh_bindings()
        await settle(pilot)
        screen.query_one("#queue").focus()
        await settle(pilot)
        after = _keys(screen)
        assert [id(k) for k in after] == [id(k) for k in before]  # the same widgets
        await pilot.press("f")  # in the form: the form's keys, rebuilt
        await settle(pilot)
        in_form = {k.description for k in _keys(screen)}
        assert "Save" in in_form and "Done" not in in_form, in_form
        await pilot.press("escape")
        await settle(pilot)
        assert "Done" in {k.description for k in _keys(screen)}
        await pilot.resize_terminal(80, 24)  # narrower: fewer keys, closer together
        await settle(pilot)
        assert len(_keys(screen)) < len(before)
