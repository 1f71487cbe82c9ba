"""Text cut to a number of terminal cells at a word's end, never inside a word: a
Chinese character counts two cells and is a word of its own, a Latin word is cut only
when it alone is wider than the room."""

from __future__ import annotations

from rich.cells import cell_len

ELLIPSIS = "…"


def _breaks(text: str) -> list[int]:
    """Where `text` may be cut: before a space, after a hyphen or slash, and before and
    after a wide character."""
    out = []
    for n, ch in enumerate(text):
        wide = cell_len(ch) > 1
        after = n > 0 and (cell_len(text[n - 1]) > 1 or text[n - 1] in "-/")
        if n and (ch == " " or wide or after):
            out.append(n)
    return out


def cut_words(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole, or its words that fit and an ellipsis."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ELLIPSIS)
    fitting = [n for n in _breaks(text) if cell_len(text[:n].rstrip()) <= room]
    if fitting:
        return text[: fitting[-1]].rstrip() + ELLIPSIS
    # one word wider than the room: cut it, a wide character kept whole
    head = ""
    for ch in text:
        if cell_len(head + ch) > room:
            break
        head += ch
    return head + ELLIPSIS if room > 0 else ""
