"""Chinese as a Chinese sales team writes it: full-width punctuation inside Chinese text,
choice and stage names instead of English keys, money as 元, salutations that read."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from salesbench.core.render import money_amount, render
from tests.test_cli_sop import q

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


def test_money_in_chinese_reads_as_yuan() -> None:
    assert money_amount(30_000_000, "CNY", "zh-CN").shown(True) == "30万元"
    assert money_amount(1_234_500, "CNY", "zh-CN").shown(True) == "12,345 元"
    assert money_amount(30_000_050, "CNY", "zh-CN").shown(True) == "300,000.50 元"
    assert money_amount(500_000_000, "USD", "zh-CN").shown(True) == "500万美元"
    # the template names the currency itself: the number alone, grouped
    assert money_amount(30_000_000, "CNY", "zh-CN").shown(False) == "300,000"
    assert money_amount(30_000_000, "CNY", "en").shown(True) == "300,000.00 CNY"
    assert money_amount(-1_250, "EUR", "en").shown(True) == "-12.50 EUR"


@pytest.fixture
def zh_rep(cli):
    assert cli("init", "--name", "张伟", "--email", "zw@example.com").exit_code == 0
    assert cli("rep", "edit", "zw@example.com", "--lang", "zh-CN").exit_code == 0
    return cli


@pytest.mark.both_backends
def test_zh_scripts_say_amounts_in_yuan(zh_rep, db) -> None:
    zh_rep("customer", "add", "华信科技")
    out = zh_rep(
        "opp", "add", "华信科技", "ERP", "--playbook", "b2b-lifecycle", "--amount", "300000"
    )
    assert out.exit_code == 0, out.output
    assert q(db, "SELECT amount, currency FROM opportunity") == [(30_000_000, "CNY")]
    assert zh_rep("opp", "set", "ERP", "quote_valid_until=2026-12-31").exit_code == 0
    cover = zh_rep("script", "render", "quotation_cover", "--opp", "ERP")
    assert cover.exit_code == 0, cover.output
    assert "300,000 元" in cover.stdout and "CNY" not in cover.stdout, cover.stdout
    zh_rep("customer", "add", "李娜", "--kind", "person")
    zh_rep("opp", "add", "李娜", "沙发", "--playbook", "retail-5", "--amount", "12000")
    assert zh_rep("opp", "set", "沙发", "quote_valid_until=2026-12-31").exit_code == 0
    quote = zh_rep("script", "render", "quote_message", "--opp", "沙发")
    assert "12,000 元" in quote.stdout and ".00" not in quote.stdout, quote.stdout


@pytest.mark.both_backends
def test_zh_scripts_greet_and_introduce_as_a_person_would(zh_rep, db) -> None:
    zh_rep("customer", "add", "王芳", "--kind", "person")
    zh_rep("opp", "add", "王芳", "沙发", "--playbook", "retail-5")
    assert zh_rep("opp", "set", "沙发", "gender=女").exit_code == 0
    assert '"gender": "female"' in str(q(db, "SELECT custom FROM customer")[0][0])
    out = zh_rep("script", "render", "deposit_confirm", "--opp", "沙发")
    assert out.exit_code == 0 and out.stdout.startswith("王女士您好"), out.output
    assert "谢谢王女士" not in out.stdout
    zh_rep("customer", "add", "华信科技")
    zh_rep("opp", "add", "华信科技", "ERP", "--playbook", "solution-selling")
    assert q(db, "SELECT team FROM rep") == [(None,)]
    for key in ("phone_opener", "first_visit_opening"):
        text = zh_rep("script", "render", key, "--opp", "ERP").stdout
        assert "张伟" in text and "我是我们" not in text, text


@pytest.mark.parametrize("path", ZH_FILES, ids=lambda p: p.name)
def test_zh_scripts_never_introduce_the_rep_as_our_company(path: Path) -> None:
    """With no team on record a fallback made `我是我们公司的张伟`."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    empty: dict[str, dict[str, str | None]] = {}
    for script in data.get("scripts", []):
        text = render(script["body"], empty).text
        assert not re.search(r"我是我们|谢谢\{?[a-z.]*salutation", script["body"] + text), script


@pytest.mark.both_backends
def test_opp_show_prints_field_and_choice_labels_in_the_reps_language(zh_rep, db) -> None:
    zh_rep("customer", "add", "华信科技")
    zh_rep("opp", "add", "华信科技", "ERP", "--playbook", "b2b-lifecycle")
    out = zh_rep("opp", "set", "ERP", "lead_channel=referral", "need_fit=no")
    assert out.exit_code == 0, out.output
    custom = str(q(db, "SELECT custom FROM customer")[0][0]) + str(
        q(db, "SELECT custom FROM opportunity")[0][0]
    )
    assert '"lead_channel": "referral"' in custom and '"need_fit": false' in custom, custom
    shown = zh_rep("opp", "show", "ERP")
    assert shown.exit_code == 0, shown.output
    assert "线索渠道: 转介绍" in shown.stdout and "需求与我们的产品匹配: 否" in shown.stdout, (
        shown.stdout
    )
    assert "lead_channel" not in shown.stdout and "referral" not in shown.stdout
    assert "need_fit" not in shown.stdout
    as_json = json.loads(zh_rep("opp", "show", "ERP", "--json").stdout)
    assert as_json["fields"]["lead_channel"]["value"] == "referral"
    assert as_json["fields"]["need_fit"]["value"] is False


async def test_the_workbench_names_stages_and_choices_not_keys(store, db_path: Path, clock) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep, edit_rep
    from salesbench.services.sop import move_opportunity, set_fields
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.customer_screen import CustomerScreen
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.conftest import CLOCK, rows
    from tests.tui_support import settle

    add_rep(store, {"name": "张伟", "email": "zw@example.com"}, clock=CLOCK)
    edit_rep(store, "zw@example.com", {"language": "zh-CN"}, clock=CLOCK)
    add_customer(store, {"name": "华信科技"}, clock=clock)
    add_opportunity(
        store, "华信科技", {"title": "ERP", "playbook_key": "b2b-lifecycle"}, clock=clock
    )
    set_fields(store, "ERP", ["lead_channel=referral"], clock=clock)
    move_opportunity(store, "ERP", clock=clock, to="lead_screening", force=True)
    assert rows(db_path, "SELECT from_stage, to_stage FROM stage_move ORDER BY moved_at") == [
        (None, "lead_development"),
        ("lead_development", "lead_screening"),
    ]
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        await pilot.press(*"华信")
        await settle(pilot)
        deals = [str(o.prompt) for o in screen.query_one("#customer-deals", OptionList).options]
        assert deals[0].startswith("  ERP  [线索筛选]  进行中") and "lead_screening" not in deals[0]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        facts = str(screen.query_one("#opp-facts").render())
        assert "线索开发 → 线索筛选" in facts and "lead_screening" not in facts, facts
        assert "线索渠道：转介绍" in facts and "referral" not in facts, facts
