"""Copying a script that still has a gap ([missing: …]): the first key only warns, the
same key again within a few seconds copies it, so an unfinished message is never put
on the clipboard by a reflex."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

CONFIRM = timedelta(seconds=5)


class CopyGuard:
    def __init__(self) -> None:
        self._armed: tuple[object, datetime] | None = None

    def allows(self, what: object, now: datetime) -> bool:
        """True when `what` (a script as it reads now) was asked for moments ago; else
        remembers this first ask and says no."""
        armed, self._armed = self._armed, (what, now)
        if armed is not None and armed[0] == what and timedelta(0) <= now - armed[1] <= CONFIRM:
            self._armed = None
            return True
        return False


def script_choice(rendered: Any) -> str:
    """A script as the picker lists it: its title, and what it still lacks if it is not
    ready to send (the words the panel uses for it)."""
    from salesbench.core.i18n import _, listed

    if rendered.sendable:
        return str(rendered.script.title)
    missing = _("(not ready: missing {gaps})").format(gaps=listed(rendered.gaps))
    return f"{rendered.script.title} {missing}"
