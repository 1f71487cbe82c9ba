"""Script templates: `{customer.name}`, `{contact.name|there}`; `{{` and `}}` are braces.
An amount fills in with its currency (`12,500.00 USD`), unless the template places the
record's currency itself (`{opportunity.amount} {opportunity.currency}`).

`{contact.salutation}` is how a script greets the contact: in Chinese the surname and a
title (刘总, 王经理; see `salutation`), in other languages the contact's name.

And `inert`: stored text made safe to show on a terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# C0 controls but tab and newline (a CR only before a newline is kept: CSV's CR LF),
# DEL, and C1 controls (U+0080-U+009F: CSI, OSC, DCS... as single code points).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
REPLACEMENT = "\ufffd"
_NAME = re.compile(r"^\s*([a-z_]+)\.([a-z0-9_]+)\s*(?:\|(.*))?$", re.S)


@dataclass(frozen=True)
class Amount:
    """An amount as a script shows it (`12,500.00`) and the currency it is in; `spoken`
    is how it reads with its currency in the script's language (`30万元`), if that
    differs from number and code."""

    number: str
    currency: str | None
    spoken: str | None = None

    def shown(self, with_currency: bool) -> str:
        if with_currency and self.spoken:
            return self.spoken
        return f"{self.number} {self.currency}" if with_currency and self.currency else self.number


# How Chinese names a currency after the amount (300,000 元, 30万美元).
ZH_CURRENCY = {
    "CNY": "元",
    "RMB": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "JPY": "日元",
    "GBP": "英镑",
    "TWD": "新台币",
    "SGD": "新加坡元",
}


def currency_name(currency: str | None, language: str) -> str | None:
    """A currency as a script in `language` names it: 元 for CNY in Chinese, the code
    otherwise."""
    if currency and language.lower().startswith("zh"):
        return ZH_CURRENCY.get(currency.upper(), currency)
    return currency


def money_amount(cents: int, currency: str | None, language: str = "en") -> Amount:
    """An amount in minor units as a script in `language` says it. In Chinese: whole
    tens of thousands as 万 (`30万元`), other sums with grouping and without `.00`
    (`12,345 元`, `12,345.50 元`); the code names the currency elsewhere
    (`12,500.00 USD`)."""
    major, minor = divmod(abs(int(cents)), 100)
    sign = "-" if int(cents) < 0 else ""
    number = f"{sign}{major:,}.{minor:02d}"
    if not language.lower().startswith("zh"):
        return Amount(number, currency)
    plain = f"{sign}{major:,}" + (f".{minor:02d}" if minor else "")
    unit = currency_name(currency, language)
    if not unit:
        return Amount(plain, None)
    if not minor and major >= 10_000 and major % 10_000 == 0:
        spoken = f"{sign}{major // 10_000:,}万{unit}"
    else:
        spoken = f"{plain} {unit}"
    return Amount(plain, currency, spoken)


Context = Mapping[str, Mapping[str, "str | Amount | None"]]


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # placeholders with neither a value nor a fallback


def _parse(inner: str) -> tuple[str, str, str | None]:
    m = _NAME.match(inner)
    if not m:
        raise ValueError(
            f"{{{inner}}} is not a placeholder (use {{record.field}} or "
            "{record.field|fallback}; write {{ and }} for braces)"
        )
    return m.group(1), m.group(2), m.group(3)


def placeholders(body: str) -> list[tuple[str, str]]:
    """Every (record, field) a template names; raises ValueError on a malformed one."""
    found: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(body):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            raise ValueError(f"unmatched {token!r} (write {token * 2} for a literal brace)")
        ns, attr, _ = _parse(m.group(1))
        found.append((ns, attr))
    return found


def render(body: str, context: Context) -> Rendered:
    """Fill a template. A placeholder with no value and no fallback stays visible as
    `{record.field}` and is listed in `missing`, so nothing is silently dropped."""
    missing: list[str] = []
    try:
        placed = {ns for ns, attr in placeholders(body) if attr == "currency"}
    except ValueError:
        placed = set()

    def fill(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if token in ("{", "}"):
            return token
        try:
            ns, attr, fallback = _parse(m.group(1))
        except ValueError:
            return token
        value = context.get(ns, {}).get(attr)
        if isinstance(value, Amount):
            return value.shown(ns not in placed)
        if value not in (None, ""):
            return str(value)
        if fallback is not None:
            return fallback
        missing.append(f"{ns}.{attr}")
        return "{" + f"{ns}.{attr}" + "}"

    return Rendered(_TOKEN.sub(fill, body), tuple(missing))


def inert(text: str, replacement: str = REPLACEMENT) -> str:
    """`text` with every control character a terminal acts on (C0 but tab and newline,
    DEL, C1; so every ESC sequence: OSC 52 clipboard writes, window titles, colours,
    cursor moves) replaced by U+FFFD, one visible column that no typed text contains,
    so nothing stored can act on the reader's terminal and the table keeps its shape.
    For display only: what is stored, and what --json prints, stay exact. (The
    workbench's last-line filter passes `replacement=""`: a control takes no column.)"""
    if text.isprintable():  # the usual case, and fast
        return text
    return _CONTROL.sub(replacement, text)


_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "轩辕",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "钟离",
        "闻人",
        "万俟",
    ]
)
_CJK = re.compile(r"^[\u4e00-\u9fff\u3400-\u4dbf·]+$")
# (words in the contact's title, the title used after the surname); first match wins.
_TITLES = (
    (("董事长", "chairman", "chairwoman"), "董"),
    (("总", "ceo", "president", "director", "vp", "vice", "head", "chief", "gm", "owner"), "总"),
    (("经理", "manager", "主管", "supervisor", "lead"), "经理"),
    (("主任",), "主任"),
    (("工程师", "engineer"), "工"),
    (("老师", "teacher", "professor", "教授"), "老师"),
    (("医生", "doctor", "dr"), "医生"),
    (("律师", "lawyer"), "律师"),
    (("先生", "mr"), "先生"),
    (("女士", "ms", "mrs", "miss"), "女士"),
)
DEFAULT_TITLE = "先生/女士"


def surname(name: str) -> str:
    """The surname of a Chinese full name: a two-character surname (欧阳, 司马…) or the
    first character."""
    name = name.strip()
    if len(name) >= 3 and name[:2] in _COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def salutation(name: str | None, title: str | None, language: str) -> str | None:
    """How a script greets a contact. In Chinese (language zh…) with a Chinese name: the
    surname and a title taken from the contact's title (总经理/总监/CEO -> 总, 经理/主管 ->
    经理, 董事长 -> 董, 主任, 工程师 -> 工, 老师, 先生, 女士); a contact with no title, or
    one that matches none, is greeted 先生/女士 (never wrong, where 经理 may be). Otherwise
    the contact's name as it is."""
    if not name or not name.strip():
        return None
    name = name.strip()
    if not language.lower().startswith("zh") or not _CJK.match(name):
        return name
    lowered = (title or "").lower()
    words = set(re.findall(r"[a-z]+", lowered))
    for needles, short in _TITLES:
        for needle in needles:
            if (needle.isascii() and needle in words) or (
                not needle.isascii() and needle in lowered
            ):
                return surname(name) + short
    return surname(name) + DEFAULT_TITLE
