"""What a script may assert: every fact a rep says comes from a field.

`playbook validate` warns (a warning, not a problem) on a script body that makes an
absolute claim (最低价, 保证, 价格最低, "guaranteed", "lowest prices"; every one found) or
states a concrete fact of its own: a number, a date or time word (周五, 明天, 上个月, 旺季,
"tomorrow", "last month"), a count of customers, sites or references, a story about other
customers or hearsay about this one (有一家, 我们接触的, 听说, "most teams", "I heard"), a
named organisation (…有限公司, "Acme Group"), an offer term (免费, 包含, "free",
"included") or a product attribute (实木, 可拆洗, 灰色, "solid wood"); and on a fact
placeholder given a `|fallback` (only the greeting, the rep's own details and the
customer's name and industry may fall back). Such facts belong in a field the script
names as a placeholder and lists in `requires`, so the script says what the deal's
record says and nothing the rep cannot stand behind (seed 003 forbids exaggeration)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from salesbench.core.playbook import Playbook
from salesbench.core.playbook_reader import Locator, Problem

ABSOLUTE_CLAIMS = (
    "最低价",
    "最便宜",
    "保证",
    "包过",
    "绝对",
    "百分之百",
    "全网最",
    "价格最低",
    "最低的价",
    "全网最低",
    "零风险",
    "没有任何风险",
    "行业第一",
    "一定能",
    "肯定能",
    "guarantee",
    "lowest price",
    "best price",
    "cheapest",
    "100%",
    "risk-free",
    "no risk",
)
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_ENUMERATOR = re.compile(r"^\s*\d+[.)、]\s*", re.M)  # "1. Greet…": a step, not a fact
_FACTS = (
    (re.compile(r"\d+(?:[.,:]\d+)*%?"), "a number"),
    (
        re.compile(
            r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
            r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|twice|half|dozen)"
            r"[\s-]+(?:\w+\s+)?(?:firms?|companies|customers?|clients?|references?|cases?|"
            r"days?|weeks?|months?|years?|times|percent|people)\b",
            re.I,
        ),
        "a count",
    ),
    (re.compile(r"[两三四五六七八九十百千万]+(?:家|位|倍|成|天|周|个月|年)"), "a count"),
    (re.compile(r"一半|减半|翻倍|翻番|一倍"), "a measured result"),
    (re.compile(r"\b(?:in half|doubled|tripled|twice as)\b", re.I), "a measured result"),
    (
        re.compile(
            r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            r"next month|next week|this month|month-end|end of the month)\b",
            re.I,
        ),
        "a date",
    ),
    (
        re.compile(
            r"周[一二三四五六日]|星期[一二三四五六日天]|下个?月|下周|上个?月|上周|本月底|月底前|"
            r"明天|昨天|后天|前几天|去年|年底前|旺季|淡季|节前|节后"
        ),
        "a date",
    ),
    (
        re.compile(
            r"\b(?:tomorrow|yesterday|last (?:month|week|year)|"
            r"peak season|busy season|before the season)\b",
            re.I,
        ),
        "a date",
    ),
    (
        re.compile(
            r"[两三四五六七八九十]+个(?:厂区|工厂|门店|分公司|子公司|城市|仓库|基地|园区)|"
            r"总部|每周[^。，,？?]{0,6}一天"
        ),
        "a count",
    ),
    (
        re.compile(
            r"(?:有|服务了|服务过|帮过|接触过)一家|一家和|另一家|我们接触的|"
            r"听说|了解到|成果已经|已经出来|已经见效|长期与|我们合作过|和我们合作的"
        ),
        "a claim about other customers or the customer",
    ),
    (
        re.compile(
            r"\b(?:a (?:customer|client|company|firm|family) (?:like|similar|just like)|"
            r"we (?:recently )?(?:served|helped|worked with) (?:a|one|another)|"
            r"most (?:teams|companies|firms|customers)|i (?:heard|hear|read)|"
            r"we (?:work|have worked) with|"
            r"results? (?:are|is) (?:already )?in|first results)\b",
            re.I,
        ),
        "a claim about other customers or the customer",
    ),
    (
        re.compile(
            r"[\u4e00-\u9fff]{2,8}(?:有限公司|股份公司|集团|银行)|"
            r"[\u4e00-\u9fff]{2,4}(?:科技|实业|制造|化工|建设|贸易)(?:公司)?"
        ),
        "a named organisation",
    ),
    (
        re.compile(r"\b(?:[A-Z][\w&-]+\s)+(?:Inc|Ltd|LLC|GmbH|Group|Corp|Corporation|Bank)\b\.?"),
        "a named organisation",
    ),
    (re.compile(r"(?:免费|包含|包括|含运费|送货上门|包安装)(?![\s:：]*\x00)"), "an offer term"),
    (
        re.compile(
            r"\b(?:free|included|includes|including|at no cost|no charge)\b(?![\s:]*\x00)",
            re.I,
        ),
        "an offer term",
    ),
    (
        re.compile(
            r"实木|真皮|可拆洗|不会塌|不会响|不变形|零甲醛|环保材料|"
            r"(?:灰|沙|米|白|黑|棕|蓝|绿|红|黄|咖啡|奶油|原木)色"
        ),
        "a product attribute",
    ),
    (
        re.compile(
            r"\b(?:solid[- ]wood|leather|washable|removable covers?|won'?t sag|"
            r"grey|gray|sand|beige)\b",
            re.I,
        ),
        "a product attribute",
    ),
)
# Placeholders a script may soften with a `|fallback`: how it greets and who speaks.
# A fact (an opportunity's field, a customer's playbook field) has none: it is required.
_SOFT = {"rep", "contact"}
_SOFT_CUSTOMER = {"name", "salutation", "industry", "size", "grade", "number"}
_FALLBACK = re.compile(r"\{([a-z_]+)\.([a-z0-9_]+)\|([^{}]*)\}")


@dataclass(frozen=True)
class Claim:
    script: str
    phrase: str
    kind: str  # "absolute" | "fact" | "fallback" | "unrequired"

    def message(self) -> str:
        if self.kind == "absolute":
            return (
                f"warning: script {self.script!r} makes an absolute claim ({self.phrase!r}): "
                "say only what the deal's record supports"
            )
        if self.kind == "unrequired":
            return (
                f"warning: script {self.script!r} states a fact it does not require "
                f"({self.phrase!r}): list the field in `requires` so an empty one is marked"
            )
        if self.kind == "fallback":
            return (
                f"warning: script {self.script!r} gives a fact a fallback ({self.phrase!r}): "
                "list its field in `requires` so a missing fact is marked, not papered over"
            )
        return (
            f"warning: script {self.script!r} states a fact that comes from no field "
            f"({self.phrase!r}): take it from a placeholder and list the field in `requires`"
        )


def claims(key: str, body: str) -> list[Claim]:
    """The unsupported claims of one script body (placeholders are facts from fields)."""
    text = _ENUMERATOR.sub(" ", _PLACEHOLDER.sub("\x00", body))  # \x00: a field's value
    found: list[Claim] = []
    spans: list[tuple[int, int, str]] = []
    for phrase in ABSOLUTE_CLAIMS:
        if phrase.isascii():  # "guarantees", "guaranteed", "lowest prices" too
            words = rf"(?<![\w]){re.escape(phrase)}(?:s|es|d)?(?![\w])"
        else:
            words = re.escape(phrase)
        spans.extend((m.start(), m.end(), m.group(0)) for m in re.finditer(words, text, re.I))
    for start, end, phrase in sorted(spans):  # every claim, each once (最低价 and 保证 both)
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans):
            continue
        if any(c.phrase.lower() == phrase.lower() for c in found):
            continue
        found.append(Claim(key, phrase, "absolute"))
    for pattern, _kind in _FACTS:
        for m in pattern.finditer(text):
            found.append(Claim(key, m.group(0), "fact"))
    return found


def fallbacks(key: str, body: str) -> list[Claim]:
    """Placeholders of facts that carry a `|fallback` (text standing in for a missing
    fact makes a script look ready): every one but the greeting and the rep's own."""
    found: list[Claim] = []
    for m in _FALLBACK.finditer(body):
        ns, attr = m.group(1), m.group(2)
        if ns in _SOFT or attr == "currency" or (ns == "customer" and attr in _SOFT_CUSTOMER):
            continue
        found.append(Claim(key, m.group(0), "fallback"))
    return found


def unrequired(key: str, body: str, requires: tuple[str, ...], fields: set[str]) -> list[Claim]:
    """Placeholders of playbook fields with neither a place in `requires` nor a fallback:
    left empty they would show as a bare `{opportunity.x}` in a script that looks ready."""
    found: list[Claim] = []
    for m in _PLACEHOLDER.finditer(body):
        inner = m.group(0)[1:-1]
        name, _, _fallback = inner.partition("|")
        ns, _, attr = name.strip().partition(".")
        if "|" in inner or ns not in ("opportunity", "customer") or attr not in fields:
            continue
        if attr not in requires and all(c.phrase != m.group(0) for c in found):
            found.append(Claim(key, m.group(0), "unrequired"))
    return found


def script_warnings(text: str, playbook: Playbook) -> list[Problem]:
    """Warnings for `playbook validate`, each placed at its script's body."""
    locator = Locator(text)
    warnings: list[Problem] = []
    fields = {f.key for f in playbook.fields}
    for i, script in enumerate(playbook.scripts):
        found = (
            claims(script.key, script.body)
            + fallbacks(script.key, script.body)
            + unrequired(script.key, script.body, script.requires, fields)
        )
        if not found:
            continue
        line, col = locator.locate(("scripts", i, "body"))
        warnings.extend(Problem(line, col, c.message()) for c in found)
    return warnings
