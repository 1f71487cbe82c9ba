"""Standard output with stored text made inert: the CLI's one presentation boundary.

While a command runs, `sys.stdout` is an `InertStream` over the real one: every text
written to it (typer.echo, print) has its control characters replaced by U+FFFD
(core.render.inert), so a customer named `ESC ] 52 ; c ; … BEL` cannot write the
reader's clipboard or retitle the window. What must be exact bypasses it on purpose:
`raw_stdout()` for JSON (which escapes C0 controls itself) and for the table printer
(which makes its cells inert and adds its own styling), and `.buffer` for files
written to standard output (io.export.write).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from salesbench.core.render import inert


class InertStream:
    """A text stream that writes `inert(text)` to the stream it wraps."""

    def __init__(self, raw: IO[str]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes for a binary stream with b""
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.raw.write(inert(text))
        return len(text)

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer…
        return getattr(self.raw, name)


def raw_stdout() -> IO[str]:
    """The real standard output, for output that is exact or already inert."""
    out = sys.stdout
    return out.raw if isinstance(out, InertStream) else out


@contextmanager
def inert_stdout() -> Iterator[None]:
    """Run the body with standard output made inert; the stream is put back after."""
    if isinstance(sys.stdout, InertStream):
        yield
        return
    real = sys.stdout
    sys.stdout = InertStream(real)  # type: ignore[assignment,unused-ignore]
    try:
        yield
    finally:
        if isinstance(sys.stdout, InertStream) and sys.stdout.raw is real:
            sys.stdout = real
