"""A dialog shows its own keys in the footer (the queue's showed through it, and at
80×24 the log dialog's Save was below the fold with ctrl+s named nowhere)."""

from __future__ import annotations

import pytest

from salesbench.tui.app import SalesbenchApp
from salesbench.tui.modals import LogModal
from tests.test_tui import app  # noqa: F401 (the fixture)
from tests.test_tui_form_kept import footer_keys
from tests.tui_support import settle


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_log_dialog_shows_its_own_keys(app: SalesbenchApp, size) -> None:  # noqa: F811
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogModal)
        keys = footer_keys(dialog)
        assert "Save" in keys and "Cancel" in keys, keys
        assert not {"Done", "Skip", "Snooze"} & set(keys), keys
