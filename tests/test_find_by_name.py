"""A record just imported or added can be found by its name in any case and script."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Österreich AG", "österreich ag"),
        ("Ōsaka Shōji KK", "ŌSAKA SHŌJI KK"),
        ("Café Crème SARL", "CAFÉ CRÈME SARL"),
        ("Αθήνα Εμπορική", "αθήνα εμπορική"),
        ("北京科技有限公司", "北京科技有限公司"),
    ],
)
def test_customer_found_by_name_in_another_case(rep, cli, name, typed) -> None:
    assert cli("customer", "add", name).exit_code == 0
    shown = cli("customer", "show", typed)
    assert shown.exit_code == 0, shown.output
    assert name in shown.output


def test_contact_found_by_name_in_another_case(rep, cli) -> None:
    assert cli("customer", "add", "Müller GmbH").exit_code == 0
    assert cli("contact", "add", "Müller GmbH", "Jürgen Groß").exit_code == 0
    shown = cli("contact", "show", "JÜRGEN GROẞ".lower())
    assert shown.exit_code == 0, shown.output
    assert "Jürgen Groß" in shown.output
