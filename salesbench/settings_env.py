"""Settings from the environment, for the shells (the CLI, the TUI, doctor's caller).

Only this module knows the variables' names; services and the core are given the values."""

from __future__ import annotations

import os
from collections.abc import Mapping

from salesbench.core.settings import Settings

DB_ENV = "SALESBENCH_DB"
REP_ENV = "SALESBENCH_REP"
TIMEZONE_ENV = "SALESBENCH_TIMEZONE"
NOW_ENV = "SALESBENCH_NOW"
DEBUG_ENV = "SALESBENCH_DEBUG"


def from_environ(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    return Settings(
        db=env.get(DB_ENV) or None,
        rep=(env.get(REP_ENV) or "").strip() or None,
        timezone=env.get(TIMEZONE_ENV) or None,
        now=env.get(NOW_ENV) or None,
        debug=bool(env.get(DEBUG_ENV)),
    )
