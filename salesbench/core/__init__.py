"""The pure domain of salesbench.

Nothing in this package may import a terminal, CLI or database library: the
boundary is guarded by tests/test_import_hygiene.py.
"""
