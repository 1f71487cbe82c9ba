"""salesbench: a terminal-first sales workbench."""

__version__ = "0.1.0"
