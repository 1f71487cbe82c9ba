"""Entry point for `salesbench` and `python -m salesbench`."""

import gc
import os
import sys

# What a process killed by SIGPIPE reports (128 + 13), as `yes | head` does.
CLOSED_PIPE = 141


def _quiet_after_closed_pipe() -> None:
    """The reader went away (`salesbench ... | head`): stop without a word. Python would
    otherwise complain again when it flushes stdout on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(CLOSED_PIPE)


def main() -> None:
    try:
        _main()
    except BrokenPipeError:
        _quiet_after_closed_pipe()


def _main() -> None:
    # `--version` is answered before Typer (and everything behind it) is imported,
    # so shell prompts and scripts that probe for the tool pay almost nothing.
    if sys.argv[1:] in (["--version"], ["-V"]):
        from salesbench import __version__

        print(f"salesbench {__version__}")
        return
    # Typer validates parameters with pydantic, which by default scans every installed
    # distribution for plugins on first use; salesbench uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A command's objects mostly live until it exits (a forecast's 13,000 deals with
    # their factors): collecting young objects every 700 allocations, Python's default,
    # walked them again and again for a third of the all-deals forecast's time. Cycles
    # are still collected, just less often.
    gc.set_threshold(100_000, 50, 100)
    from salesbench.cli import run

    run()


if __name__ == "__main__":
    main()
