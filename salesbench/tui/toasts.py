"""Toasts that keep every Chinese character (Textual issue #6357, open in the pinned
8.2): the compositor cuts each line of a toast wherever a widget under it starts or
ends, and a double-width character across such a cut becomes two spaces, so a zh-CN
rep's notice at 80 columns lost a character here and there (often the first of a
wrapped line, over the task panel's edges). Here a toast moves such a character one
cell on, into the room its right padding keeps (app.tcss), so no cut falls inside it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import _toast


def clear_of_cuts(strip: Strip, cuts: set[int]) -> Strip:
    """`strip` with a space put before each double-width character that a cut (an
    offset into the strip) would fall inside, the line kept at its width by dropping
    as many trailing spaces."""
    width = strip.cell_length
    out: list[Segment] = []
    pos = 0
    for segment in strip:
        if segment.control:
            out.append(segment)
            continue
        text: list[str] = []
        for ch in segment.text:
            size = cell_len(ch)
            while size == 2 and pos + 1 in cuts and pos + 1 < width:
                text.append(" ")
                pos += 1
            text.append(ch)
            pos += size
        out.append(Segment("".join(text), segment.style, segment.control))
    shifted = Strip(out)
    # the cells pushed past the end are the toast's right padding (app.tcss keeps it)
    return shifted.crop(0, width) if shifted.cell_length > width else shifted


class CutSafeToast(_toast.Toast):
    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        try:
            cuts = self.screen._compositor.cuts
        except Exception:  # not on a screen being composed: nothing is cut
            return strips
        x0 = self.region.x + crop.x
        out = []
        for n, strip in enumerate(strips):
            y = self.region.y + crop.y + n
            inside = (
                {c - x0 for c in cuts[y] if x0 < c < x0 + strip.cell_length}
                if 0 <= y < len(cuts)
                else set()
            )
            out.append(clear_of_cuts(strip, inside) if inside else strip)
        return out


def install() -> None:
    """Every toast from now on is a CutSafeToast (Textual's rack makes them by this
    module name)."""
    _toast.Toast = CutSafeToast  # type: ignore[misc]
