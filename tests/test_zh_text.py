"""Chinese as a Chinese sales team writes it: full-width punctuation inside Chinese text,
choice and stage names instead of English keys, money as 元, salutations that read."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
BUNDLED = HERE.parent / "salesbench" / "playbooks"
ZH_FILES = sorted(BUNDLED.glob("*.zh-CN.toml"))
# CJK ideographs, CJK punctuation, full-width forms, Chinese quotes
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019\u2026"
HALF_WIDTH = re.compile(rf"[{_CJK}][,:;!?]|[,:;!?][{_CJK}]")
PLACEHOLDER = re.compile(r"\{\s*[a-z_]+\.[a-z0-9_]+\s*(?:\|([^{}]*))?\}")
URL = re.compile(r"https?://\S+")


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")


def _prose(text: str) -> str:
    """The text a reader sees: a placeholder stands as its fallback between markers
    (so its own punctuation is checked, and a value beside it is not CJK); URLs go."""
    text = URL.sub("\x00", text)
    return PLACEHOLDER.sub(lambda m: "\x00" + (m.group(1) or "") + "\x00", text)


def half_width_spots(text: str) -> list[str]:
    prose = _prose(text)
    return [prose[max(0, m.start() - 6) : m.end() + 6] for m in HALF_WIDTH.finditer(prose)]


def test_the_check_sees_half_width_punctuation() -> None:
    assert half_width_spots("您好,谢谢") == ["您好,谢谢"]
    assert len(half_width_spots("时间:{opportunity.deadline}")) == 1
    assert len(half_width_spots("{contact.salutation|}您好!")) == 1
    assert half_width_spots("共 300,000 元，见 https://example.com/a,b") == []
    assert half_width_spots("{customer.name|贵公司,}") != []
    assert half_width_spots("{customer.name}: ok, 10:30") == []


@pytest.mark.parametrize("path", ZH_FILES, ids=lambda p: p.name)
def test_zh_playbook_uses_full_width_punctuation(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    bad = [
        f"{where}: {spot!r}"
        for where, text in _strings(data, "")
        for spot in half_width_spots(text)
    ]
    assert not bad, f"{path.name}: half-width punctuation in Chinese:\n" + "\n".join(bad)


PROSE = {"guidance", "help", "title", "body", "purpose", "description", "question", "text"}


def _prose_strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    for where, text in _strings(node, path):
        leaf = re.sub(r"\[\d+\]$", "", where).rsplit(".", 1)[-1]
        if leaf in PROSE:
            yield where, text


@pytest.mark.parametrize("path", ZH_FILES, ids=lambda p: p.name)
def test_zh_prose_names_choices_by_their_labels(path: Path) -> None:
    """`qualified 进入下一步` on a rep's screen: a choice key in Chinese prose."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    keys = {
        c["key"]
        for f in data.get("fields", [])
        for c in f.get("choices", [])
        if isinstance(c, dict) and c.get("label") and c["label"] != c["key"]
    }
    assert keys, "the zh-CN playbook labels its choices"
    bad = [
        f"{where}: {key!r} in {text!r}"
        for where, text in _prose_strings(data, "")
        for key in keys
        if re.search(rf"(?<![A-Za-z_.]){re.escape(key)}(?![A-Za-z_])", PLACEHOLDER.sub("", text))
    ]
    assert not bad, "\n".join(bad)
