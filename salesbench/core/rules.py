"""Built-in timed rules of customer management (thank-yous, follow-ups, cadence), as data.

Each rule makes a task with a due time; some complete themselves when the rep
logs a contact on a matching channel. Playbooks add their own rules
(`[[rules.timed]]`, e.g. payment reminders); grade cadence is computed, not stored.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from salesbench.core.durations import Duration, parse_duration
from salesbench.core.engine import NewTask, TaskState
from salesbench.core.enums import CustomerStatus, TaskOrigin
from salesbench.core.playbook import BuiltinSetting, Playbook
from salesbench.core.values import is_filled
from salesbench.core.workday import Workday

ALL_CHANNELS = frozenset({"visit", "call", "email", "message", "meeting"})
TRADE_SHOW_SOURCES = ("trade show", "trade-show", "tradeshow", "exhibition", "expo", "展会")


@dataclass(frozen=True)
class BuiltinRule:
    key: str
    due: Duration
    titles: dict[str, str]
    completes_on: frozenset[str] = frozenset()

    def title(self, language: str, customer: str) -> str:
        template = self.titles.get(language) or self.titles["en"]
        return template.format(customer=customer)

    def task(self, start: datetime, workday: Workday, language: str, customer: str) -> NewTask:
        return NewTask(
            title=self.title(language, customer),
            origin_kind=TaskOrigin.RULE.value,
            origin=self.key,
            due_at=workday.due(start, self.due),
        )


VISIT_THANKS = BuiltinRule(
    "visit_thanks",
    parse_duration("PT24H"),
    {"en": "Thank {customer} for the visit", "zh-CN": "感谢{customer}的来访/接待"},
    frozenset({"message", "email"}),
)
NO_REPLY_CALL = BuiltinRule(
    "no_reply_call",
    parse_duration("P3D"),
    {"en": "No reply from {customer}: call them", "zh-CN": "{customer}未回复:电话跟进"},
    ALL_CHANNELS,
)
TRADE_SHOW_EMAIL = BuiltinRule(
    "trade_show_email",
    parse_duration("PT24H"),
    {"en": "Email {customer}, met at the trade show", "zh-CN": "给展会结识的{customer}发邮件"},
    frozenset({"email"}),
)
COMPLAINT_RESPOND = BuiltinRule(
    "complaint_respond",
    parse_duration("PT1H"),
    {"en": "Respond to {customer}'s complaint", "zh-CN": "回应{customer}的投诉"},
)
COMPLAINT_SOLVE = BuiltinRule(
    "complaint_solve",
    parse_duration("PT24H"),
    {"en": "Give {customer} a solution with dates", "zh-CN": "给{customer}提出带时间表的解决方案"},
)
NURTURE_TOUCH = parse_duration("P91D")  # the nurture pool's quarterly note
NURTURE_TITLES = {
    "en": "Nurture touch with {customer}: a useful note, every three months",
    "zh-CN": "培育池客户{customer}:每季度一次有价值的问候",
}
CADENCE_TITLES = {
    "en": "Follow up with {customer} (grade {grade}, every {days} days)",
    "zh-CN": "跟进{customer}({grade}类客户,每{days}天)",
}

BUILTIN = {
    r.key: r
    for r in (VISIT_THANKS, NO_REPLY_CALL, TRADE_SHOW_EMAIL, COMPLAINT_RESPOND, COMPLAINT_SOLVE)
}


def completed_by_contact(rule_key: str | None, channel: str) -> bool:
    rule = BUILTIN.get(rule_key or "")
    return rule is not None and channel in rule.completes_on


def after_contact(
    channel: str,
    at: datetime,
    workday: Workday,
    language: str,
    customer: str,
    skip: Collection[str] = (),
) -> list[NewTask]:
    """A visit asks for a thank-you within 24 hours (unless `skip` names the rule)."""
    if channel == "visit" and VISIT_THANKS.key not in skip:
        return [VISIT_THANKS.task(at, workday, language, customer)]
    return []


def suppressed(
    key: str,
    settings: Iterable[BuiltinSetting],
    *,
    fired_before: bool,
    open_tasks: Collection[str],
) -> bool:
    """Whether a playbook's setting keeps a built-in rule from making its task: `once`
    and it fired before (a visit before this one), or `answered_by` a task already open."""
    for s in settings:
        if s.key != key:
            continue
        if s.once and fired_before:
            return True
        if s.answered_by is not None and s.answered_by in open_tasks:
            return True
    return False


def answered_by(playbook: Playbook) -> list[tuple[str, str]]:
    """(rule, playbook task) for every rule, built-in or timed, whose job a task does."""
    pairs = [(s.key, s.answered_by) for s in playbook.rule_settings.builtin if s.answered_by]
    pairs += [(r.key, r.answered_by) for r in playbook.timed_rules if r.answered_by]
    return pairs


def answered_rules(playbook: Playbook, task_key: str) -> set[str]:
    """The rules whose job the playbook task `task_key` does."""
    return {rule for rule, task in answered_by(playbook) if task == task_key}


def timed_wanted(
    playbook: Playbook, plans: list[NewTask], had: Collection[str], open_tasks: Collection[str]
) -> list[NewTask]:
    """The timed rules' new tasks less those held back: `once` and the deal `had` that
    rule's task before, or `answered_by` a playbook task open on the deal."""
    by_key = {r.key: r for r in playbook.timed_rules}
    kept = []
    for plan in plans:
        rule = by_key.get(plan.origin or "")
        if rule is not None and rule.once and rule.key in had:
            continue
        if rule is not None and rule.answered_by is not None and rule.answered_by in open_tasks:
            continue
        kept.append(plan)
    return kept


def after_rule_done(
    rule_key: str | None, done_at: datetime, workday: Workday, language: str, customer: str
) -> list[NewTask]:
    """A thank-you sent starts the three-day wait for a reply."""
    if rule_key == VISIT_THANKS.key:
        return [NO_REPLY_CALL.task(done_at, workday, language, customer)]
    return []


def is_trade_show(source_channel: str | None) -> bool:
    source = (source_channel or "").casefold()
    return any(word in source for word in TRADE_SHOW_SOURCES)


def for_new_customer(
    source_channel: str | None, at: datetime, workday: Workday, language: str, customer: str
) -> list[NewTask]:
    """A trade-show lead gets its email within 24 hours."""
    if is_trade_show(source_channel):
        return [TRADE_SHOW_EMAIL.task(at, workday, language, customer)]
    return []


def for_complaint(
    received_at: datetime, workday: Workday, language: str, customer: str
) -> list[NewTask]:
    return [
        COMPLAINT_RESPOND.task(received_at, workday, language, customer),
        COMPLAINT_SOLVE.task(received_at, workday, language, customer),
    ]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pause_until(today: date, months: int) -> date:
    """'Not needed for now': pause follow-up for one or two months."""
    if months not in (1, 2):
        raise ValueError("a pause lasts one or two months")
    return add_months(today, months)


def cadence_due(
    *,
    grade: str | None,
    status: str,
    paused_until: date | None,
    last_touch: datetime | None,
    since: datetime,
    cadence_days: dict[str, int],
    workday: Workday,
    today: date,
) -> datetime | None:
    """When the next grade-cadence follow-up is due, or None when none is wanted.

    Counted from the last logged contact (or when the customer was added); closed
    customers get none, paused ones none until the pause ends, and the nurture pool its
    quarterly touch.
    """
    if status == CustomerStatus.CLOSED.value:
        return None
    if status == CustomerStatus.NURTURE.value:
        return workday.due(last_touch or since, NURTURE_TOUCH)
    days = cadence_days.get(grade or "C", cadence_days["C"])
    due = workday.due(last_touch or since, parse_duration(f"P{days}D"))
    if status == CustomerStatus.PAUSED.value:
        if paused_until is None or paused_until > today:
            return None
        due = max(due, workday.on_working_time(workday.opens(paused_until)))
    return due


def nurture_title(language: str, customer: str) -> str:
    return (NURTURE_TITLES.get(language) or NURTURE_TITLES["en"]).format(customer=customer)


def source_choice(source: str | None, choices: Iterable[str]) -> str | None:
    """The choice a customer's free-text source stands for ("walk-in", "Trade show
    Shanghai 2026" -> "trade show"), or None when none fits."""
    text = " ".join((source or "").casefold().replace("_", " ").split())
    if not text:
        return None
    options = list(choices)
    for choice in options:
        if " ".join(choice.casefold().replace("_", " ").split()) == text:
            return choice
    for choice in options:
        words = " ".join(choice.casefold().replace("_", " ").split())
        if words and (words in text or (words == "trade show" and is_trade_show(text))):
            return choice
    return None


def cadence_title(language: str, customer: str, grade: str | None, days: int) -> str:
    template = CADENCE_TITLES.get(language) or CADENCE_TITLES["en"]
    return template.format(customer=customer, grade=grade or "C", days=days)


def rule_repeated(
    playbook: Playbook,
    task: TaskState,
    done_at: datetime,
    workday: Workday,
    values: dict[str, object],
) -> list[NewTask]:
    """The next round of a repeating rule's task (a key account's monthly visit), due
    `every` after this one was done, while the field that started it still holds."""
    if task.origin_kind != TaskOrigin.RULE.value:
        return []
    for rule in playbook.timed_rules:
        if rule.key != task.origin or rule.every is None:
            continue
        holds = values.get(rule.when) == rule.equals if rule.equals is not None else None
        if not (holds if holds is not None else is_filled(values.get(rule.when))):
            return []
        return [
            NewTask(
                title=rule.title,
                origin_kind=TaskOrigin.RULE.value,
                origin=rule.key,
                due_at=workday.due(done_at, rule.every),
            )
        ]
    return []
