"""Every dialog opens in the middle of the screen (the picker of a contact to correct,
the delete confirmation and the script picker opened in the top-left corner)."""

from __future__ import annotations

import pytest

from salesbench.tui.app import SalesbenchApp
from tests.tui_support import settle


def _dialogs() -> dict[str, object]:
    from salesbench.tui import correction_modals, modals

    return {
        "contact picker": lambda: correction_modals.ContactPickerModal([("a1", "11-23 10:00")]),
        "delete confirmation": lambda: correction_modals.ConfirmModal("Delete?", "It goes."),
        "script picker": lambda: modals.ScriptPickerModal(["开场白", "报价"]),
        "yes or no": lambda: modals.ConfirmModal("Close as won?", "Sure?", "Won"),
        "question": lambda: modals.QuestionModal("Advance?", "back to intent"),
    }


@pytest.mark.parametrize("name", list(_dialogs()))
@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_dialog_opens_in_the_middle(store, clock, name: str, size) -> None:
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(_dialogs()[name]())  # type: ignore[operator]
        await settle(pilot)
        box = app.screen.query_one("#dialog").region
        width, height = size
        assert abs((box.x + box.width / 2) - width / 2) <= 1, (name, box)
        assert abs((box.y + box.height / 2) - height / 2) <= 1, (name, box)
