"""Scripts a rep can send: every fact from a field, choice labels in the rep's language,
Chinese salutations, and every script of a task reachable in the workbench."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesbench.cli import app as cli_app
from salesbench.core.playbook_load import load_playbook
from salesbench.core.render import render, salutation
from salesbench.core.script_claims import script_warnings
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.playbooks import import_playbook
from salesbench.services.reps import add_rep, edit_rep
from salesbench.services.scripts import context, render_script
from salesbench.tui.app import SalesbenchApp
from tests.conftest import CLOCK, rows
from tests.test_cli_sop import js, q
from tests.tui_support import record_notices, settle

BUNDLED = Path(__file__).parent.parent / "salesbench" / "playbooks"
BUNDLED_FILES = sorted(BUNDLED.glob("*.toml"))

CLAIMING = """\
[playbook]
key = "claims"
name = "Claims"
language = "en"
version = "1"

[[fields]]
key = "deadline"
label = "Order deadline"
type = "date"

[[stages]]
key = "one"
name = "One"
probability = 0.5

[[stages.tasks]]
key = "close"
title = "Close"
scripts = ["honest", "boast", "invented"]

[[scripts]]
key = "honest"
title = "Honest"
requires = ["deadline"]
body = "Ordering by {opportunity.deadline} keeps your date."

[[scripts]]
key = "boast"
title = "Boast"
body = "We have the lowest price, guaranteed."

[[scripts]]
key = "invented"
title = "Invented"
body = "We helped two firms cut set-up time in half; the batch closes on Friday."
"""


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_validate_warns_on_claims_with_their_place(tmp_path: Path) -> None:
    path = tmp_path / "claims.en.toml"
    path.write_text(CLAIMING, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["playbook", "validate", str(path)])
    assert result.exit_code == 0, result.output  # a warning, not a problem
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    boast, invented = _line(CLAIMING, "lowest price"), _line(CLAIMING, "two firms")
    assert f"{path}:{boast}:1: warning: script 'boast' makes an absolute claim" in warnings[0]
    assert {w.split("(")[1].split(")")[0] for w in warnings} == {
        "'lowest price'",
        "'guaranteed'",
        "'two firms'",
        "'in half'",
        "'Friday'",
    }
    assert all(f"{path}:{invented}:1:" in w for w in warnings if "'invented'" in w)
    assert not [w for w in warnings if "'honest'" in w]  # its fact comes from a field


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.name)
def test_bundled_scripts_state_no_fact_without_a_field(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [w.message for w in script_warnings(text, load_playbook(text))] == []


def test_salutation_uses_surname_and_title() -> None:
    assert salutation("刘伟", "总经理", "zh-CN") == "刘总"
    assert salutation("王芳", "采购经理", "zh-CN") == "王经理"
    assert salutation("张强", "Sales Director", "zh-CN") == "张总"
    assert salutation("欧阳娜娜", "", "zh-CN") == "欧阳先生/女士"
    assert salutation("李娜", None, "zh-CN") == "李先生/女士"
    assert salutation("Ann Lee", "CEO", "zh-CN") == "Ann Lee"  # not a Chinese name
    assert salutation("刘伟", "总经理", "en") == "刘伟"
    assert salutation(None, "总经理", "zh-CN") is None


def _zh_playbooks() -> list[Path]:
    return [p for p in BUNDLED_FILES if p.name.endswith(".zh-CN.toml")]


@pytest.mark.parametrize("path", _zh_playbooks(), ids=lambda p: p.name)
def test_zh_scripts_render_choice_labels_not_keys(path: Path) -> None:
    playbook = load_playbook(path.read_text(encoding="utf-8"))
    choices = [f for f in playbook.fields if f.type == "choice"]
    assert all(len(f.labels) == len(f.choices) for f in choices), "every choice has a label"
    for f in choices:
        for key, label in zip(f.choices, f.labels, strict=True):
            assert key != label and not re.search(r"[A-Za-z]", label), (f.key, key, label)
    for script in playbook.scripts:
        used = [f for f in choices if "{" + f"{f.on}.{f.key}" in script.body]
        for values in itertools.product(*(f.choices for f in used)):
            ctx: dict[str, dict[str, str | None]] = {"customer": {}, "opportunity": {}}
            for f, value in zip(used, values, strict=True):
                ctx[f.on][f.key] = f.label_of(value)
            text = render(script.body, ctx).text
            for f, value in zip(used, values, strict=True):
                assert value not in text and f.label_of(value) in text, (script.key, text)


@pytest.mark.both_backends
def test_zh_rendering_of_a_deal_uses_labels_and_the_salutation(store, db) -> None:
    store_db = db
    add_rep(store, {"name": "王芳", "email": "wf@example.com"}, clock=CLOCK)
    rep = edit_rep(store, "wf@example.com", {"language": "zh-CN"}, clock=CLOCK)
    customer = add_customer(store, {"name": "刘伟家"}, clock=CLOCK)
    opp = add_opportunity(
        store, customer.name, {"title": "沙发", "playbook_key": "retail-5"}, clock=CLOCK
    )
    from salesbench.services.contacts import add_contact
    from salesbench.services.sop import set_fields

    contact = add_contact(store, customer.name, {"name": "刘伟", "title": "总经理"}, clock=CLOCK)
    set_fields(store, str(opp.id), ["product_category=sofa", "style=现代简约"], clock=CLOCK)
    # a label is accepted as well as the key; the key is what is stored
    assert '"style": "modern"' in str(rows(store_db, "SELECT custom FROM opportunity")[0][0])
    with store.read() as session:
        from salesbench.services.playbooks import catalog_from_session
        from salesbench.services.scripts import main_contact
        from salesbench.store.models import Customer, Opportunity

        o = session.get_one(Opportunity, opp.id)
        c = session.get_one(Customer, o.customer_id)
        pb = catalog_from_session(session).get("retail-5", "zh-CN")
        ctx = context(rep, c, main_contact(session, c), o, pb)
    assert contact.name == "刘伟"
    assert ctx["contact"]["salutation"] == "刘总"
    assert ctx["opportunity"]["product_category"] == "沙发"
    assert ctx["opportunity"]["style"] == "现代简约"
    thanks = render_script(pb.script("thanks_after_visit"), ctx, pb).rendered.text
    assert "沙发" in thanks and "sofa" not in thanks


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


@pytest.mark.both_backends
def test_a_script_missing_its_fact_is_marked_and_not_ready(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling")
    out = js(rep("script", "render", "close_warning", "--opp", "ERP", "--json"))
    assert out[0]["sendable"] is False
    assert out[0]["missing_facts"] == [
        "Sign by (to keep the start date)",
        "Implementation kick-off",
    ]
    assert "[missing: Sign by (to keep the start date)]" in out[0]["text"]
    plain = rep("script", "render", "close_warning", "--opp", "ERP")
    assert "not ready to send: missing Sign by" in plain.output
    assert rep("opp", "set", "ERP", "sign_by=2026-12-04", "kickoff_on=2026-12-14").exit_code == 0
    assert "2026-12-14" in str(q(db, "SELECT custom FROM opportunity")[0][0])
    ready = js(rep("script", "render", "close_warning", "--opp", "ERP", "--json"))
    assert ready[0]["sendable"] is True and "missing" not in ready[0]["text"]
    assert "2026-12-04" in ready[0]["text"] and "2026-12-14" in ready[0]["text"]


TWELVE = (
    CLAIMING.split("[[stages]]")[0].replace('key = "claims"', 'key = "twelve"')
    + """[[stages]]
key = "one"
name = "One"
probability = 0.5

[[stages.tasks]]
key = "talk"
title = "Talk to the customer"
scripts = [SCRIPT_KEYS]
""".replace("SCRIPT_KEYS", ", ".join(f'"s{n}"' for n in range(1, 13)))
    + "".join(
        f'\n[[scripts]]\nkey = "s{n}"\ntitle = "Script {n}"\nbody = "Text of script {n}."\n'
        + ('requires = ["deadline"]\n' if n == 12 else "")
        for n in range(1, 13)
    )
)


async def test_the_workbench_reaches_every_script_of_a_task(
    store, db_path: Path, clock, tmp_path: Path
) -> None:
    from textual.widgets import OptionList

    from salesbench.tui.modals import ScriptPickerModal

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    path = tmp_path / "twelve.en.toml"
    path.write_text(TWELVE, encoding="utf-8")
    import_playbook(store, path, clock=CLOCK)
    add_customer(store, {"name": "Acme"}, clock=clock)
    add_opportunity(store, "Acme", {"title": "Deal", "playbook_key": "twelve"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.detail is not None and len(screen.detail.scripts) == 12
        assert len(screen.query(".script")) == 12  # all shown, not the first nine
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, ScriptPickerModal)
        picker = app.screen.query_one("#script-picker", OptionList)
        assert picker.option_count == 12
        picker.highlighted = 11
        await pilot.press("enter")
        await settle(pilot)
        # its fact (the deadline) is empty: marked, and the copy says it is not ready
        # (chosen from a list that said so, it is copied without asking again)
        assert app.clipboard == "[missing: Order deadline]\nText of script 12."
        assert notices[-1].message == (
            "Copied “Script 12”, NOT READY: it still says [missing: Order deadline]; "
            "fill it in before sending"
        )
        await pilot.press("9")
        assert app.clipboard == "Text of script 9."


@pytest.mark.both_backends
def test_zh_scripts_greet_by_surname_and_title(rep, db) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", "zh-CN").exit_code == 0
    rep("customer", "add", "华信科技")
    rep("opp", "add", "华信科技", "ERP", "--playbook", "b2b-lifecycle")
    bare = rep("script", "render", "trade_show_email", "--opp", "ERP")
    assert bare.exit_code == 0 and bare.stdout.startswith("您好："), bare.output
    assert rep("contact", "add", "华信科技", "刘伟", "--title", "总经理").exit_code == 0
    assert q(db, "SELECT name, title FROM contact") == [("刘伟", "总经理")]
    out = rep("script", "render", "trade_show_email", "--opp", "ERP")
    assert out.exit_code == 0 and out.stdout.startswith("刘总您好："), out.output
    assert "刘伟" not in out.stdout


@pytest.mark.both_backends
def test_zh_retail_scripts_greet_a_shopper_by_surname_and_gender(rep, db) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", "zh-CN").exit_code == 0
    rep("customer", "add", "李娜", "--kind", "person")
    rep("opp", "add", "李娜", "沙发", "--playbook", "retail-5")
    bare = rep("script", "render", "thanks_after_visit", "--opp", "沙发")
    assert bare.stdout.startswith("李先生/女士您好"), bare.output
    assert rep("opp", "set", "沙发", "gender=女", "product_category=沙发").exit_code == 0
    assert '"gender": "female"' in str(q(db, "SELECT custom FROM customer")[0][0])
    out = rep("script", "render", "thanks_after_visit", "--opp", "沙发")
    assert out.stdout.startswith("李女士您好"), out.output
    assert "沙发" in out.stdout and "sofa" not in out.stdout


INVENTING_ZH = (
    CLAIMING.replace('language = "en"', 'language = "zh-CN"')
    .replace('key = "claims"', 'key = "inventing"')
    .replace('scripts = ["honest", "boast", "invented"]', 'scripts = ["honest"]')
    .split('[[scripts]]\nkey = "boast"')[0]
    + """
[[fields]]
key = "style"
label = "风格"
type = "text"

[[scripts]]
key = "both"
title = "两个绝对说法"
body = "我们保证是最低价。"

[[scripts]]
key = "story"
title = "编出来的案例"
body = "上个月有一家人用同样的风格布置了房间，华为技术有限公司也在用。"

[[scripts]]
key = "product"
title = "产品"
body = "实木框架，免费上门测量，明天就可以寄出，赶在旺季之前。"

[[scripts]]
key = "fallback"
title = "兜底文字"
body = "您要的是{opportunity.style|（风格待确认）}风格，{contact.salutation|}。"

[[scripts]]
key = "unrequired"
title = "没列进 requires 的事实"
body = "您选的是{opportunity.style}风格。"

[[scripts]]
key = "hearsay"
title = "道听途说"
body = "听说贵公司在调整，我们接触的同行大多每周要花一天返工。"
"""
)


def test_validate_reports_every_class_of_invented_fact(tmp_path: Path) -> None:
    path = tmp_path / "inventing.zh-CN.toml"
    path.write_text(INVENTING_ZH, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["playbook", "validate", str(path)])
    assert result.exit_code == 0, result.output
    found: dict[str, set[str]] = {}
    for line in result.output.splitlines():
        if ": warning: script " in line:
            script = line.split("script '")[1].split("'")[0]
            found.setdefault(script, set()).add(line.split("(")[1].rsplit(")", 1)[0])
    assert found == {
        "both": {"'保证'", "'最低价'"},  # every claim, not only the first
        "story": {"'上个月'", "'有一家'", "'华为技术有限公司'"},
        "product": {"'实木'", "'免费'", "'明天'", "'旺季'"},
        "fallback": {"'{opportunity.style|（风格待确认）}'"},  # the greeting may fall back
        "hearsay": {"'听说'", "'我们接触的'", "'每周要花一天'"},
        "unrequired": {"'{opportunity.style}'"},  # empty, it would show bare
    }
    at = _line(INVENTING_ZH, "上个月")
    assert f"{path}:{at}:1: warning: script 'story'" in result.output


def test_validate_reports_english_absolutes_in_any_form(tmp_path: Path) -> None:
    text = CLAIMING.replace(
        "We have the lowest price, guaranteed.",
        "Lowest prices in town; we guarantee it. I heard you are moving; free delivery tomorrow.",
    )
    path = tmp_path / "claims.en.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["playbook", "validate", str(path)])
    boast = {
        line.split("(")[1].rsplit(")", 1)[0]
        for line in result.output.splitlines()
        if "script 'boast'" in line
    }
    assert boast == {"'Lowest prices'", "'guarantee'", "'I heard'", "'free'", "'tomorrow'"}


STAND_INS = (
    "待确认",
    "to confirm",
    "（总价）",
    "(total)",
    "(scope)",
    "(范围)",
    "（憧憬）",
    "(vision)",
)


def _languages() -> list[tuple[str, str]]:
    return sorted({tuple(p.name.removesuffix(".toml").split(".", 1)) for p in BUNDLED_FILES})  # type: ignore[misc]


@pytest.mark.parametrize(("key", "language"), _languages(), ids=lambda v: v)
def test_every_bundled_script_on_an_empty_deal_is_ready_or_says_what_is_missing(
    store, key: str, language: str
) -> None:
    from salesbench.core.script_claims import fallbacks
    from salesbench.services.scripts import scripts_for_opportunity

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    edit_rep(store, "wf@example.com", {"language": language}, clock=CLOCK)
    add_customer(store, {"name": "Acme"}, clock=CLOCK)
    opp = add_opportunity(store, "Acme", {"title": "Deal", "playbook_key": key}, clock=CLOCK)
    text = (BUNDLED / f"{key}.{language}.toml").read_text(encoding="utf-8")
    playbook = load_playbook(text)
    assert playbook.scripts
    _, rendered = scripts_for_opportunity(
        store, str(opp.id), keys=[s.key for s in playbook.scripts]
    )
    assert [r.script.key for r in rendered] == [s.key for s in playbook.scripts]
    for r in rendered:
        body, shown = r.script.body, r.rendered.text
        if not r.sendable:
            assert all(f"[missing: {label}]" in shown for label in r.not_ready), r.script.key
            continue
        assert not r.rendered.missing, (r.script.key, shown)  # no bare {opportunity.x}
        assert not fallbacks(r.script.key, body), r.script.key
        assert not [s for s in STAND_INS if s in shown], (r.script.key, shown)
