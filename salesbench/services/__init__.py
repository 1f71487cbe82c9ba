"""Use cases shared by the CLI and the TUI: open a session, call the core, commit."""
