"""Settings from the environment, for the shells (the CLI, the TUI, doctor's caller).

Only this module reads them; services and the core are given the values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from salesbench.core.settings import (
    CURRENCY_ENV,
    DB_ENV,
    DEBUG_ENV,
    DEFAULT_CURRENCY,
    DEFAULT_LAUNCHER,
    LANG_ENV,
    LAUNCHER_ENV,
    LOCALE_ENVS,
    NOW_ENV,
    REP_ENV,
    TIMEZONE_ENV,
    Settings,
)

__all__ = [
    "CURRENCY_ENV",
    "DB_ENV",
    "DEBUG_ENV",
    "LANG_ENV",
    "NOW_ENV",
    "REP_ENV",
    "TIMEZONE_ENV",
    "debugging",
    "from_environ",
    "launcher",
    "machine_timezone",
]


def from_environ(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    return Settings(
        db=env.get(DB_ENV) or None,
        rep=(env.get(REP_ENV) or "").strip() or None,
        timezone=env.get(TIMEZONE_ENV) or None,
        now=env.get(NOW_ENV) or None,
        debug=bool(env.get(DEBUG_ENV)),
        currency=_currency(env.get(CURRENCY_ENV)),
        launcher=launcher(env),
        language=_language(env.get(LANG_ENV)),
        locale_language=locale_language(env),
    )


def _language(value: str | None) -> str | None:
    """SALESBENCH_LANG as a language salesbench speaks; unset is None (the rep's or
    the locale's), a language it does not speak a bad-input error naming the variable."""
    from salesbench.core.errors import BadInput
    from salesbench.core.i18n import language_tag
    from salesbench.core.reps import LANGUAGES

    if not (value or "").strip():
        return None
    found = language_tag(value or "")
    if found is None:
        raise BadInput(
            f"{value!r} is not a language salesbench speaks (use {' or '.join(LANGUAGES)})",
            field=LANG_ENV,
        )
    return found


def locale_language(environ: Mapping[str, str]) -> str:
    """The language of the machine's locale, as gettext reads it: LANGUAGE's first
    entry salesbench speaks (a list, zh_CN:en; ignored under the C locale or none,
    as GNU gettext does), else the first of LC_ALL, LC_MESSAGES and LANG that is set; English
    when that names a language salesbench does not speak (a locale is the machine's
    default, not a request)."""
    from salesbench.core.i18n import language_tag

    locale = next((v.strip() for n in LOCALE_ENVS if (v := environ.get(n) or "").strip()), "")
    if locale and locale.split(".")[0].upper() not in ("C", "POSIX"):
        for entry in (environ.get("LANGUAGE") or "").split(":"):
            found = language_tag(entry) if entry.strip() else None
            if found is not None:
                return found
    return (language_tag(locale) if locale else None) or "en"


def launcher(environ: Mapping[str, str] | None = None) -> str:
    """The command the person started salesbench with (SALESBENCH_LAUNCHER, which
    scripts/run sets): asked on its own while reporting an error, like `debugging`."""
    env = os.environ if environ is None else environ
    return (env.get(LAUNCHER_ENV) or "").strip() or DEFAULT_LAUNCHER


LOCALTIME = Path("/etc/localtime")
_ZONEINFO = "zoneinfo/"


def machine_timezone(environ: Mapping[str, str] | None = None, localtime: Path = LOCALTIME) -> str:
    """The IANA name of this machine's timezone: TZ when it names one, else the zone
    /etc/localtime links to, else UTC. What a new rep's timezone defaults to."""
    from salesbench.core.workday import zone

    env = os.environ if environ is None else environ
    candidates = [(env.get("TZ") or "").strip().removeprefix(":")]
    try:
        target = str(localtime.resolve(strict=True))
    except OSError:
        target = ""
    if _ZONEINFO in target:
        candidates.append(target.rsplit(_ZONEINFO, 1)[1])
    for name in candidates:
        if not name or name.startswith("/"):
            continue  # TZ=/path/to/file or a POSIX rule names no zone a rep can keep
        try:
            zone(name)
        except ValueError:
            continue
        return name
    return "UTC"


def debugging(environ: Mapping[str, str] | None = None) -> bool:
    """SALESBENCH_DEBUG alone: asked while reporting an error, which may be a bad setting."""
    env = os.environ if environ is None else environ
    return bool(env.get(DEBUG_ENV))


def _currency(value: str | None) -> str:
    """SALESBENCH_CURRENCY as a code (`usd` -> USD, `RMB` -> CNY); CNY when unset."""
    from salesbench.core.errors import BadInput
    from salesbench.core.money import currency_code

    if not (value or "").strip():
        return DEFAULT_CURRENCY
    try:
        return currency_code(value or "")
    except ValueError as exc:
        raise BadInput(str(exc), field=CURRENCY_ENV) from None
