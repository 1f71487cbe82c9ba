"""Closing a deal from its screen: won (`w`) and lost (`L`) ask first, saying what the
close ends and what stays the rep's to do, and that ctrl+z does not take it back (a
closed deal is not one of the changes tui/undo.py covers)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from salesbench.core.i18n import N_, _

if TYPE_CHECKING:
    from salesbench.services.sop import Closing
    from salesbench.tui.modals import FormModal

FINAL = N_("This cannot be undone: ctrl+z does not reopen a closed deal.")


def closing_words(closing: Closing) -> str:
    """What the close does to the deal's open tasks, in their titles (a follow-up
    repeated, once with how many)."""
    lines = []
    if closing.ends:
        lines.append(_("Skipped with it: {titles}").format(titles=_titles(closing.ends)))
    if closing.stays:
        lines.append(_("Still yours to do: {titles}").format(titles=_titles(closing.stays)))
    return "\n".join([*lines, _(FINAL)])


def _titles(titles: tuple[str, ...]) -> str:
    counted = Counter(titles)
    return "; ".join(t if n == 1 else f"{t} (×{n})" for t, n in counted.items())


def ask_close(screen: Any, status: str, ask: Callable[[str], object]) -> None:
    """Read what closing the screen's deal as `status` would do, then `ask` with it."""

    def read() -> None:
        words = closing_words(screen.app.closing(screen.opportunity_id, status))
        screen.app.call_from_thread(ask, words)

    screen.run_worker(read, thread=True, exclusive=True, group="closing")


def ask_won(screen: Any) -> None:
    """On the last stage with work open: why it is won anyway; else a yes."""
    from salesbench.tui.modals import ConfirmModal, FormModal

    view = screen.view
    current = next((s for s in view.stages if s.current), None) if view else None
    last = current is not None and view is not None and view.stages[-1] is current
    title = view.opportunity.title if view else _("the deal")
    app, deal, reload = screen.app, screen.opportunity_id, screen.reload

    def won(words: str) -> None:
        if current is None or not last or not current.open_titles:

            def answered(yes: bool | None) -> None:
                if yes:
                    app.close_opportunity(deal, "won", None, then=reload)

            asked = _("Close “{title}” as won?").format(title=title)
            app.push_screen(ConfirmModal(asked, words, _("Won")), answered)
            return
        still = _("{stage} is not complete; still open: {titles}").format(
            stage=current.name, titles="; ".join(current.open_titles)
        )

        def why(values: dict[str, str], form: FormModal) -> None:
            reason = values.get("reason", "").strip()
            if not reason:
                form.refuse("reason", _("is needed: say why it is won anyway"))
                return
            app.close_opportunity(
                deal, "won", reason, then=form.closing(reload), refused=form.refused
            )

        app.push_screen(
            FormModal(
                _("Won anyway?"),
                [("reason", _("Reason (why is it won anyway?)"), None, "")],
                note=f"{still}\n{words}",
                submit=why,
            )
        )

    ask_close(screen, "won", won)


def ask_lost(screen: Any) -> None:
    from salesbench.tui.modals import FormModal

    app, deal, reload = screen.app, screen.opportunity_id, screen.reload

    def lost(words: str) -> None:
        def chosen(values: dict[str, str], form: FormModal) -> None:
            app.close_opportunity(
                deal,
                "lost",
                values["reason"] or None,
                then=form.closing(reload),
                refused=form.refused,  # no reason: asked for in place
            )

        app.push_screen(
            FormModal(
                _("Why was it lost?"),
                [("reason", _("Reason"), None, "")],
                note=words,
                submit=chosen,
            )
        )

    ask_close(screen, "lost", lost)
