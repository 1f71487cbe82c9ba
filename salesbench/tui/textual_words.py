"""The descriptions Textual gives its own keys (the scroll, list, input and palette
keys `?` lists after the workbench's, the footer's "palette"), marked here so the
catalog holds them: the footer and the keys panel show every description through
`_()`, so a zh-CN rep reads 向上滚动, not "Scroll Up". Textual's words, kept as
Textual 8.2 spells them (pinned in pyproject.toml)."""

from __future__ import annotations

from salesbench.core.i18n import N_

TEXTUAL_WORDS = (
    N_("palette"),
    N_("Quit"),
    N_("Copy selected text"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
    N_("Select all"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Up"),
    N_("Down"),
    N_("First"),
    N_("Last"),
    N_("Select"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Press button"),
    N_("Show menu"),
    N_("Toggle"),
    N_("Toggle option"),
    N_("Submit"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Exit the command palette"),
    N_("Next command"),
    N_("Previous command"),
    N_("Next page"),
    N_("Previous page"),
    N_("Go to top"),
    N_("Go to bottom"),
)

# Textual's own palette entries (App.get_system_commands) and the palette's prompt
PALETTE_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Search for commands…"),
)
