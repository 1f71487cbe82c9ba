"""The workbench's words in the rep's language.

English is the source language: every user-facing string is written in English inside
`_()` (or `n_()` where it counts something), and GNU gettext catalogs made with Babel
(`scripts/i18n`, from `salesbench/locale/`) give the other languages. The shells say
which language is in use (`use`), from the rep or the command line; the core and the
services only ask for words, so they read neither the environment nor the locale.

A constant defined at import time (a key's title, a section's name) is marked with
`N_()` so the extractor finds it, and translated with `_()` where it is shown: by then
the language is known.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DOMAIN = "salesbench"
SOURCE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_NONE = gettext.NullTranslations()
_active: gettext.NullTranslations = _NONE
_language = SOURCE


def catalog_name(language: str) -> str:
    """The catalog's folder for a language tag: zh-CN → zh_CN (gettext's spelling)."""
    return language.replace("-", "_")


@lru_cache(maxsize=8)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`; English (and a language with no catalog)
    gives the source strings back unchanged."""
    if language == SOURCE:
        return _NONE
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, [catalog_name(language)])
    except OSError:
        return _NONE


# what people write for the languages salesbench speaks, folded to lower case: a tag
# (zh-CN), a POSIX locale (zh_CN.UTF-8), the bare language; C and POSIX are English
_TAGS = {
    "en": "en",
    "c": "en",
    "posix": "en",
    "zh": "zh-CN",
    "zh-cn": "zh-CN",
    "zh-hans": "zh-CN",
    "zh-hans-cn": "zh-CN",
    "zh-sg": "zh-CN",
}


def language_tag(value: str) -> str | None:
    """The language `value` names (en, zh-CN), from a tag or a locale name
    (`zh_CN.UTF-8`, `en_US`, `zh-Hans`); None when salesbench does not speak it."""
    name = value.strip().split(".")[0].split("@")[0].replace("_", "-").lower()
    if name in _TAGS:
        return _TAGS[name]
    if name.startswith("zh-hans-"):
        return "zh-CN"  # Simplified Chinese wherever it is written (zh-Hans-SG, -HK)
    return "en" if name.split("-")[0] == "en" else None  # en-US, en-GB …: English


def use(language: str) -> None:
    """Words from now on in `language` (the shells call this once they know it)."""
    global _active, _language
    _active = translations(language)
    _language = language


def language() -> str:
    """The language words are given in now."""
    return _language


def _(message: str) -> str:
    """`message` (English) in the language in use."""
    # an empty message is gettext's key for the catalog's header: never a translation
    return _active.gettext(message) if message else message


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for `n`, in the language in use."""
    return _active.ngettext(singular, plural, n)


def listed(items: Iterable[str], *, long: bool = False) -> str:
    """Names one after another as the language lists them: "a, b" (李娜、王伟); `long`
    for items that are phrases themselves: "a; b" (…；…)."""
    return (_("; ") if long else _(", ")).join(items)


def N_(message: str) -> str:
    """Marks a constant for the catalogs; it is translated where it is shown."""
    return message
