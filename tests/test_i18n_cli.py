"""The CLI's reports in the language of the rep they are for."""

from __future__ import annotations


def test_the_forecast_speaks_the_reps_language_with_each_factor_by_its_reason(cli) -> None:
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--lang", "zh-CN").exit_code == 0
    )
    assert cli("customer", "add", "李娜", "--kind", "person").exit_code == 0
    assert (
        cli("opp", "add", "李娜", "沙发", "--playbook", "retail-5", "--amount", "12000").exit_code
        == 0
    )
    shown = cli("forecast")
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    for chinese in ("预测", "全部销售", "成交月份", "加权金额", "合计", "阶段"):
        assert chinese in text, (chinese, text)
    for english in ("Forecast", "stage_sop", "recency", "close month", "weighted", "open deal"):
        assert english not in text, (english, text)
    assert cli("rep", "edit", "wf@example.com", "--lang", "en").exit_code == 0
    english = cli("forecast").stdout
    assert "Forecast · all reps" in english and "close month" in english, english
