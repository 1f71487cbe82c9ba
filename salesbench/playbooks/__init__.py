"""Bundled playbooks: TOML data named KEY.LANGUAGE.toml (not code)."""

from __future__ import annotations

from importlib.resources import files


def bundled_sources() -> dict[tuple[str, str], str]:
    """{(key, language): TOML text} for every playbook shipped with salesbench."""
    out: dict[tuple[str, str], str] = {}
    for entry in files(__name__).iterdir():
        name = entry.name
        if name.endswith(".toml") and name.count(".") == 2:
            key, language, _ = name.split(".")
            out[(key, language)] = entry.read_text(encoding="utf-8")
    return out
