"""The Textual workbench: the rep's day in one keyboard-driven screen."""
