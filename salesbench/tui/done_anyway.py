"""`d` on a task whose criteria are still open: say which, in the rep's words, and
offer to mark it done anyway with a reason (kept on the task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.core.clock import Clock
from salesbench.core.criteria import CriteriaOpen
from salesbench.core.i18n import _, listed


def finish_or_open(store: Any, task_id: str, status: str, clock: Clock, reason: str | None) -> Any:
    """Finish the task; a refusal because its criteria are open is returned, not raised."""
    from salesbench.services.tasks import finish_task

    try:
        return finish_task(store, task_id, status, clock=clock, reason=reason)
    except CriteriaOpen as refused:
        return refused


def ask_done_anyway(app: Any, refused: CriteriaOpen, attempt: Callable[[str | None], None]) -> None:
    """Name the open criteria, then ask for the reason; a reason given finishes the task."""
    from salesbench.tui.modals import FormModal

    still = _("Still open: {open}").format(open=listed(refused.open, long=True))
    said = _("Not done yet: {title}. {still}").format(title=refused.title, still=still)
    app.notify(said, severity="warning", timeout=8)

    def chosen(raw: dict[str, str] | None) -> None:
        if raw is None:
            return
        if not raw.get("reason"):
            app.notify("Say why it is done anyway.", severity="warning")
            return
        attempt(raw["reason"])

    modal = FormModal(
        _("Mark done anyway?"), [("reason", _("Why is it done anyway?"), None, "")], note=still
    )
    app.push_screen(modal, callback=chosen)
