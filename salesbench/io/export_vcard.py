"""Contacts as vCard 4.0 (RFC 6350): one card per contact, the company as ORG, and the
X-SALESBENCH-* properties an import needs to give back the same row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from salesbench.io.export_reach import vcard_lines

# Chinese family names of two characters (复姓); every other Chinese name is read as a
# one-character family name followed by the given name.
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 夏侯 轩辕 令狐 宇文 司徒 "
    "司空 端木 独孤 南宫 西门 呼延 万俟 闻人 赫连 澹台 申屠 太史 钟离 濮阳 淳于 "
    "单于 百里 东郭 第五 羊舌 微生 梁丘 左丘 谷梁 拓跋 夹谷 宰父 乐正 段干 漆雕 "
    "壤驷 公冶 仲孙 叔孙 鲜于 亓官 公羊 颛孙 巫马 公西 子车 司寇 东门"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())

# What an import reads back beside the standard properties.
X_PROPERTIES = {
    "X-SALESBENCH-CUSTOMER-ID": "customer_id",
    "X-SALESBENCH-DECISION-ROLE": "decision_role",
    "X-SALESBENCH-EXTERNAL-ID": "external_id",
    "X-SALESBENCH-EXTERNAL-SOURCE": "external_source",
    "X-SALESBENCH-OWNER": "owner_email",
    "X-SALESBENCH-CREATED": "created_at",
    "X-SALESBENCH-CUSTOM": "custom",
}
# vCard TEXT has one escape for a line break, \n: a value holding a CR (CR LF, or CR
# alone) is written with \n for each break where other clients read it, and again,
# exactly, as a JSON string in one of these, which salesbench's import prefers.
EXACT_PROPERTIES = {"X-SALESBENCH-NAME": "name", "X-SALESBENCH-TITLE": "title"}


def text(value: str) -> str:
    """A TEXT value escaped so that nothing in it can end the property or start another:
    backslash, comma and semicolon escaped, every line break (CR LF, CR, LF) as \\n."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _is_cjk(name: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in name)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a full name: Chinese names family name first (one character,
    or two for a compound surname such as 欧阳), other names family name last."""
    name = " ".join(name.split())
    if not name:
        return "", ""
    if _is_cjk(name) and " " not in name:
        if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
            return name[:2], name[2:]
        if len(name) == 1:
            return name, ""
        return name[0], name[1:]
    if " " not in name:
        return "", name  # one word: a given name, as phones file "Madonna"
    given, family = name.rsplit(" ", 1)
    return family, given


def _fold(line: str) -> Iterator[str]:
    """RFC 6350/5545 folding: lines of at most 75 octets, never splitting a character."""
    data = line.encode("utf-8")
    first = True
    while data:
        limit = 75 if first else 74
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        yield ("" if first else " ") + data[:cut].decode("utf-8")
        data = data[cut:]
        first = False


def _value(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or value == "" or value == {}:
        return ""
    if key == "custom":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def card(row: dict[str, Any]) -> list[str]:
    family, given = split_name(row["name"] or "")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{row['id']}",
        f"FN:{text(row['name'] or '')}",
        f"N:{text(family)};{text(given)};;;",
    ]
    if row.get("customer_name"):
        lines.append(f"ORG:{text(row['customer_name'])}")
    if row.get("title"):
        lines.append(f"TITLE:{text(row['title'])}")
    lines.extend(vcard_lines(row))  # every phone, email and address, labelled
    if row.get("decision_role"):
        lines.append(f"ROLE:{text(row['decision_role'].replace('_', ' '))}")
    for prop, key in X_PROPERTIES.items():
        value = _value(row, key)
        if value:
            lines.append(f"{prop}:{text(value)}")
    for prop, key in EXACT_PROPERTIES.items():
        value = row.get(key) or ""
        if "\r" in value:
            lines.append(f"{prop}:{text(json.dumps(value, ensure_ascii=False))}")
    lines.append("END:VCARD")
    return lines


def to_vcard(rows: list[dict[str, Any]]) -> bytes:
    out: list[str] = []
    for row in rows:
        for line in card(row):
            out.extend(_fold(line))
    return ("\r\n".join(out) + "\r\n").encode("utf-8") if out else b""
