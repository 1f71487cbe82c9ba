"""Copying to the local clipboard tool, beside the terminal's own (OSC 52): which tool
there is, and handing it text."""

from __future__ import annotations

import shutil
import subprocess

TOOLS: tuple[tuple[str, ...], ...] = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
)


def local_tool() -> tuple[str, ...] | None:
    for tool in TOOLS:
        if shutil.which(tool[0]):
            return tool
    return None


def copy_local(text: str, tool: tuple[str, ...] | None) -> bool:
    if tool is None:
        return False
    try:
        subprocess.run(
            list(tool), input=text.encode("utf-8"), timeout=3, check=True, capture_output=True
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True
