"""Filling a long list a screenful first and the rest after the next refresh (measuring
hundreds of lines delays the paint), without a later fill's list getting an earlier
fill's rest appended to it: a filter typed before that refresh did exactly that."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from textual.widgets import OptionList
from textual.widgets.option_list import Option

# the newest fill of each list: a rest scheduled by any older one is dropped
_NEWEST: WeakKeyDictionary[OptionList, object] = WeakKeyDictionary()


def fill_options(box: OptionList, options: list[Option], first: int) -> None:
    """`box` now holds `options`: the first `first` at once, the rest once painted."""
    fill = _NEWEST[box] = object()
    box.clear_options()
    box.add_options(options[:first])
    rest = options[first:]
    if rest:

        def more() -> None:
            if _NEWEST.get(box) is fill:
                box.add_options(rest)

        box.call_after_refresh(more)
