"""What a script may assert: every fact a rep says comes from a field.

`playbook validate` warns (a warning, not a problem) on a script body that makes an
absolute claim (最低价, 保证, 包过, "guaranteed", "lowest price", "best price") or
states a concrete fact of its own: a number, a date, a weekday, a count of customers or
references. Such facts belong in a field the script names as a placeholder (and, when
the script cannot be sent without it, in `requires`), so the script says what the deal's
record says and nothing the rep cannot stand behind (seed 003 forbids exaggeration)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from salesbench.core.playbook import FieldDef, Playbook
from salesbench.core.playbook_reader import Locator, Path_, Problem, Reader

ABSOLUTE_CLAIMS = (
    "最低价",
    "最便宜",
    "保证",
    "包过",
    "绝对",
    "百分之百",
    "全网最",
    "guaranteed",
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
    (re.compile(r"周[一二三四五六日]|星期[一二三四五六日天]|下个月|下周|本月底|月底前"), "a date"),
)


@dataclass(frozen=True)
class Claim:
    script: str
    phrase: str
    kind: str  # "absolute" | "fact"

    def message(self) -> str:
        if self.kind == "absolute":
            return (
                f"warning: script {self.script!r} makes an absolute claim ({self.phrase!r}): "
                "say only what the deal's record supports"
            )
        return (
            f"warning: script {self.script!r} states a fact that comes from no field "
            f"({self.phrase!r}): take it from a placeholder and list the field in `requires`"
        )


def claims(key: str, body: str) -> list[Claim]:
    """The unsupported claims of one script body (placeholders are facts from fields)."""
    text = _ENUMERATOR.sub(" ", _PLACEHOLDER.sub(" ", body))
    found: list[Claim] = []
    lowered = text.lower()
    for phrase in ABSOLUTE_CLAIMS:
        if phrase.isascii():
            if re.search(rf"(?<![\w]){re.escape(phrase.lower())}(?![\w])", lowered):
                found.append(Claim(key, phrase, "absolute"))
        elif phrase in text:
            found.append(Claim(key, phrase, "absolute"))
    for pattern, _kind in _FACTS:
        for m in pattern.finditer(text):
            found.append(Claim(key, m.group(0), "fact"))
    return found


def script_warnings(text: str, playbook: Playbook) -> list[Problem]:
    """Warnings for `playbook validate`, each placed at its script's body."""
    locator = Locator(text)
    warnings: list[Problem] = []
    for i, script in enumerate(playbook.scripts):
        found = claims(script.key, script.body)
        if not found:
            continue
        line, col = locator.locate(("scripts", i, "body"))
        warnings.extend(Problem(line, col, c.message()) for c in found)
    return warnings


def read_choices(
    reader: Reader, data: dict[str, Any], path: Path_
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A field's `choices`: keys (`["sofa", "bed"]`) or `{ key, label }` tables, whose
    label is what scripts and forms show in the playbook's language. Returns (keys, labels);
    labels is empty when the choices are plain keys."""
    raw = data.get("choices", [])
    if not isinstance(raw, list) or not all(isinstance(v, str | dict) for v in raw):
        reader.problem(
            (*path, "choices"), "choices must be a list of keys or { key, label } tables"
        )
        return (), ()
    if all(isinstance(v, str) for v in raw):
        return tuple(raw), ()
    keys: list[str] = []
    labels: list[str] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            keys.append(item)
            labels.append(item)
            continue
        table = reader.table(item, (*path, "choices", i), {"key", "label"})
        key = reader.text(table, "key", (*path, "choices", i), required=True)
        keys.append(key)
        labels.append(reader.text(table, "label", (*path, "choices", i)) or key)
    return tuple(keys), tuple(labels)


def read_requires(
    reader: Reader, data: dict[str, Any], path: Path_, key: str, fields: list[FieldDef]
) -> tuple[str, ...]:
    """A script's `requires`: the fields whose facts it states; each must be declared."""
    requires = reader.strings(data, "requires", path)
    known = {f.key for f in fields}
    for name in requires:
        if name not in known:
            reader.problem(
                (*path, "requires"), f"script {key!r}: requires names no field: {name!r}"
            )
    return requires
