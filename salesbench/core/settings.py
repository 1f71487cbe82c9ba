"""What the person running salesbench said once for every command: the database, who
they are, the timezone reports are cut in, a pinned time. The shells resolve it (from
the environment) and pass the values down; nothing below them reads the environment."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The environment variables the shells read the settings from (salesbench/settings_env.py);
# named here so messages below the shells can name them too.
DB_ENV = "SALESBENCH_DB"
REP_ENV = "SALESBENCH_REP"
TIMEZONE_ENV = "SALESBENCH_TIMEZONE"
NOW_ENV = "SALESBENCH_NOW"
DEBUG_ENV = "SALESBENCH_DEBUG"
CURRENCY_ENV = "SALESBENCH_CURRENCY"
# the language of messages: SALESBENCH_LANG, else the rep's, else the locale's
LANG_ENV = "SALESBENCH_LANG"
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG")
DEFAULT_CURRENCY = "CNY"
# how the person started salesbench (scripts/run exports it): messages name that command
LAUNCHER_ENV = "SALESBENCH_LAUNCHER"
DEFAULT_LAUNCHER = "salesbench"


@dataclass(frozen=True)
class Settings:
    db: str | None = None  # file or URL; None is the user data folder's salesbench.db
    rep: str | None = None  # who is at the keyboard: a rep's name, email or id
    timezone: str | None = None  # the timezone report weeks are cut in
    now: str | None = None  # a pinned ISO time, for demos and tests
    debug: bool = False  # show tracebacks of internal errors
    currency: str = DEFAULT_CURRENCY  # the team's currency: of amounts that name none
    launcher: str = DEFAULT_LAUNCHER  # the command the person typed: `scripts/run` or salesbench
    language: str | None = None  # SALESBENCH_LANG: wins over the rep's language
    locale_language: str = "en"  # the machine's (LC_ALL, LC_MESSAGES, LANG): when no rep

    def language_for(self, rep_language: str | None = None) -> str:
        """The language to speak: the one asked for, else the rep's (when the command
        is about a rep), else the machine's locale's."""
        return self.language or rep_language or self.locale_language

    def as_launched(self, message: str) -> str:
        """`message` with the commands it names (written `salesbench …` in backticks)
        as the person would type them: `scripts/run init …` after `scripts/run`."""
        return as_launched(message, self.launcher)


def as_launched(message: str, launcher: str) -> str:
    if launcher == DEFAULT_LAUNCHER:
        return message
    return re.sub(r"`salesbench(?=[ `])", f"`{launcher}", message)
