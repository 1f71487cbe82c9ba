"""Standard output and error with stored text made inert: the CLI's one
presentation boundary.

While a command runs, `sys.stdout` and `sys.stderr` are `InertStream`s over the real
ones: every text written to them (typer.echo, print) has its control characters
replaced by U+FFFD (core.render.inert), so a customer named `ESC ] 52 ; c ; … BEL`
(or a file name, or a cell quoted in a problem report) cannot write the reader's
clipboard or retitle the window. What must be exact bypasses it on purpose (and Rich,
through `rich_proxied_file`, for Typer's help and error panels):
`raw_stdout()` for JSON (which escapes C0 controls itself) and for the table printer
(which makes its cells inert and adds its own styling), `raw_stderr()` for the
progress bar's own codes, and `.buffer` for files written to standard output
(io.export.write).
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

    @property
    def rich_proxied_file(self) -> IO[str]:
        """Where a Rich console without a file of its own writes (rich.console.Console.file
        asks for this): Typer's help and error panels, whose escape codes are Rich's own
        styling, not stored text. Stored text reaches Rich only through the table
        printer, which makes its cells inert first."""
        return self.raw

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer…
        return getattr(self.raw, name)


def raw_stdout() -> IO[str]:
    """The real standard output, for output that is exact or already inert."""
    out = sys.stdout
    return out.raw if isinstance(out, InertStream) else out


def raw_stderr() -> IO[str]:
    """The real standard error, for the progress bar's own control codes."""
    err = sys.stderr
    return err.raw if isinstance(err, InertStream) else err


@contextmanager
def inert_output() -> Iterator[None]:
    """Run the body with standard output and error made inert; both are put back."""
    real_out, real_err = sys.stdout, sys.stderr
    wrapped = not isinstance(real_out, InertStream)
    if wrapped:
        sys.stdout = InertStream(real_out)  # type: ignore[assignment,unused-ignore]
        sys.stderr = InertStream(real_err)  # type: ignore[assignment,unused-ignore]
    try:
        yield
    finally:
        if wrapped:
            if isinstance(sys.stdout, InertStream) and sys.stdout.raw is real_out:
                sys.stdout = real_out
            if isinstance(sys.stderr, InertStream) and sys.stderr.raw is real_err:
                sys.stderr = real_err
