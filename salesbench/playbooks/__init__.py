"""Bundled playbooks: TOML data named KEY.LANGUAGE.toml (not code)."""

from __future__ import annotations

from pathlib import Path


def bundled_sources() -> dict[tuple[str, str], str]:
    """{(key, language): TOML text} for every playbook shipped with salesbench."""
    out: dict[tuple[str, str], str] = {}
    # the files beside this module (a wheel installs them there): importlib.resources
    # would import zipfile and its readers before the first paint for the same files
    for entry in Path(__file__).parent.iterdir():
        name = entry.name
        if name.endswith(".toml") and name.count(".") == 2:
            key, language, _ = name.split(".")
            out[(key, language)] = entry.read_text(encoding="utf-8")
    return out
