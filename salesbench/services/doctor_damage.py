"""doctor and the damage marker."""

from __future__ import annotations

from pathlib import Path

from salesbench.services.doctor_checks import FAIL, OK, Check


def damage_marker(path: Path, content: list[Check]) -> list[Check]:
    """Damage once seen stops every command (store/damage.py) until a full integrity
    check is clean: doctor leaves the marker when it finds damage, removes it when not."""
    from salesbench.store.damage import damage_seen, forget_damage, marker_path, remember_damage

    integrity = next((c for c in content if c.name == "integrity"), None)
    if integrity is not None and integrity.status == FAIL:
        remember_damage(path, integrity.detail)
        return []
    seen = damage_seen(path)
    if integrity is None or seen is None:
        return []
    try:
        forget_damage(path)
    except OSError as exc:
        detail = f"the file is whole again, but the marker of the damage {seen} stays ({exc})"
        return [Check("database", "damage", FAIL, detail, f"rm {marker_path(path)}")]
    detail = f"the file is whole again: the damage {seen} no longer stops commands"
    return [Check("database", "damage", OK, detail)]
