"""Entry point for `salesbench` and `python -m salesbench`."""

import sys


def main() -> None:
    # `--version` is answered before Typer (and everything behind it) is imported,
    # so shell prompts and scripts that probe for the tool pay almost nothing.
    if sys.argv[1:] in (["--version"], ["-V"]):
        from salesbench import __version__

        print(f"salesbench {__version__}")
        return
    # Typer validates parameters with pydantic, which by default scans every installed
    # distribution for plugins on first use; salesbench uses none.
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from salesbench.cli import run

    run()


if __name__ == "__main__":
    main()
