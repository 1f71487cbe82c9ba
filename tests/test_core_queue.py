"""The queue's order, term by term: each expected score is worked out by hand in
the comment next to it from the formulas in salesbench/core/queue.py, never by
calling them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from salesbench.core.queue import (
    CustomerFacts,
    Item,
    OppFacts,
    Scored,
    Term,
    build_queue,
    idle_days,
    is_rotting,
    score,
)
from salesbench.core.workday import Workday

# Monday 2026-11-23, 02:00 UTC: 10:00 in Shanghai, the default workday's zone (09:00-18:00)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DAY = Workday()


def customer(grade: str | None = "B", touch: datetime | None = None, cid: str = "c1"):
    return CustomerFacts(id=cid, name=f"Customer {cid}", grade=grade, last_touch=touch)


def opp(
    oid: str = "o1",
    *,
    index: int = 0,
    count: int = 5,
    amount: int | None = None,
    touch: datetime | None = None,
    entered: datetime | None = None,
    rot_days: int | None = None,
    probability: float = 0.5,
) -> OppFacts:
    return OppFacts(
        id=oid,
        title=f"Deal {oid}",
        playbook_key="retail-5",
        stage_key="first_contact",
        stage_name="First contact",
        stage_index=index,
        stage_count=count,
        probability=probability,
        amount=amount,
        stage_entered_at=entered,
        last_touch=touch,
        rot_days=rot_days,
    )


def item(
    due: datetime | None,
    *,
    tid: str = "t1",
    who: CustomerFacts | None = None,
    deal: OppFacts | None = None,
    kind: str = "playbook",
    suggested: bool = False,
) -> Item:
    return Item(
        id=tid,
        title=f"Task {tid}",
        due_at=due,
        status="open",
        origin_kind=kind,
        origin=None,
        customer=who or customer(),
        opportunity=deal,
        suggested=suggested,
    )


def terms(it: Item) -> list[tuple[str, float, str]]:
    return [(t.name, t.value, t.note) for t in score(it, NOW, DAY)]


# ------------------------------------------------------------------ one term at a time


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # 42 hours late = 1.75 days: 8 + 4 * 1.75 / 7 = 8 + 1 = 9
        (NOW - timedelta(hours=42), ("overdue", 9.0, "1 day overdue")),
        # 3 hours late = 0.125 days: 8 + 4 * 0.125 / 7 = 8 + 0.0714 = 8.07
        (NOW - timedelta(hours=3), ("overdue", 8.07, "3 hours overdue")),
        # 10 days late, capped at 7: 8 + 4 * 7 / 7 = 12
        (NOW - timedelta(days=10), ("overdue", 12.0, "10 days overdue")),
        # within the next 24 hours, the less time left the higher: 6 + 2 * (1 - days left)
        # 09:00 UTC is 17:00 in Shanghai, still today there: 6 + 2 * (1 - 7 / 24) = 7.42
        (NOW + timedelta(hours=7), ("due", 7.42, "due today")),
        # 16:00 UTC is 00:00 on Tuesday in Shanghai, tomorrow there but 14 hours away:
        # still today's work, 6 + 2 * (1 - 14 / 24) = 6 + 0.8333 = 6.83
        (NOW + timedelta(hours=14), ("due", 6.83, "due in 14 hours")),
        # 30 hours away is past the day's horizon: 4 - 1.25 / 2 = 3.38
        (NOW + timedelta(hours=30), ("due", 3.38, "due in 1 day")),
        # 2 days ahead: 4 - 2 / 2 = 3
        (NOW + timedelta(days=2), ("due", 3.0, "due in 2 days")),
        # 10 days ahead: 4 - 10 / 2 = -1, floored at 0
        (NOW + timedelta(days=10), ("due", 0.0, "due in 10 days")),
    ],
)
def test_due_terms(due: datetime, expected: tuple[str, float, str]) -> None:
    assert terms(item(due))[0] == expected


def test_no_due_date_means_no_due_term() -> None:
    assert [name for name, _v, _n in terms(item(None))] == ["grade"]


@pytest.mark.parametrize(
    ("grade", "points", "shown"),
    [("A", 3.0, "A"), ("B", 2.0, "B"), ("C", 1.0, "C"), (None, 1.0, "C"), ("X", 1.0, "X")],
)
def test_grade_points(grade: str | None, points: float, shown: str) -> None:
    assert terms(item(None, who=customer(grade))) == [("grade", points, f"grade {shown} customer")]


@pytest.mark.parametrize(
    ("index", "count", "expected"),
    [
        (0, 5, ("stage", 0.0, "stage 1 of 5")),  # 3 * 0 / 4 = 0
        (2, 5, ("stage", 1.5, "stage 3 of 5")),  # 3 * 2 / 4 = 1.5
        (1, 4, ("stage", 1.0, "stage 2 of 4")),  # 3 * 1 / 3 = 1
        (1, 2, ("stage", 3.0, "stage 2 of 2")),  # 3 * 1 / 1 = 3: the last stage
    ],
)
def test_stage_terms(index: int, count: int, expected: tuple[str, float, str]) -> None:
    assert terms(item(None, deal=opp(index=index, count=count)))[1] == expected


def test_a_one_stage_playbook_gives_no_stage_term() -> None:
    assert [n for n, _v, _t in terms(item(None, deal=opp(count=1)))] == ["grade"]


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (100, ("size", 0.0, "deal of 1")),  # log10(1) / 2 = 0
        (1_234_500, ("size", 2.05, "deal of 12,345")),  # log10(12,345) / 2 = 4.0915 / 2
        (100_000_000, ("size", 3.0, "deal of 1,000,000")),  # log10(10^6) / 2 = 3
        (10_000_000_000, ("size", 3.0, "deal of 100,000,000")),  # 8 / 2 = 4, capped at 3
    ],
)
def test_size_terms(cents: int, expected: tuple[str, float, str]) -> None:
    assert terms(item(None, deal=opp(count=1, amount=cents)))[1] == expected


@pytest.mark.parametrize("cents", [None, 0])
def test_no_amount_means_no_size_term(cents: int | None) -> None:
    assert [n for n, _v, _t in terms(item(None, deal=opp(count=1, amount=cents)))] == ["grade"]


def test_idle_counts_from_the_deals_last_contact_before_the_customers() -> None:
    # the deal was touched 15 days ago: 2 * 15 / 30 = 1; the customer's 3 days are ignored
    deal = opp(count=1, touch=NOW - timedelta(days=15))
    who = customer(touch=NOW - timedelta(days=3))
    on_deal = "15 days since the deal's last contact"
    assert terms(item(None, who=who, deal=deal))[1] == ("idle", 1.0, on_deal)
    # without a deal, the customer's: 2 * 3 / 30 = 0.2
    of_customer = "3 days since the customer's last contact"
    assert terms(item(None, who=who))[1] == ("idle", 0.2, of_customer)
    # 45 days, capped at 30: 2 * 30 / 30 = 2
    far = customer(touch=NOW - timedelta(days=45))
    assert terms(item(None, who=far))[1][2] == "45 days since the customer's last contact"
    assert terms(item(None, who=far))[1][:2] == ("idle", 2.0)
    # touched today: no idle term at all
    today = customer(touch=NOW - timedelta(hours=5))
    assert [n for n, _v, _t in terms(item(None, who=today))] == ["grade"]


def test_a_suggestion_costs_a_point() -> None:
    assert terms(item(None, suggested=True))[-1] == ("suggested", -1.0, "only suggested")


# ------------------------------------------------------------------ whole scores


def test_every_term_of_an_overdue_deal_task() -> None:
    deal = opp(index=1, count=4, amount=1_234_500, touch=NOW - timedelta(days=15))
    late = item(NOW - timedelta(hours=42), who=customer("B"), deal=deal)
    assert terms(late) == [
        ("overdue", 9.0, "1 day overdue"),  # 8 + 4 * 1.75 / 7
        ("grade", 2.0, "grade B customer"),
        ("stage", 1.0, "stage 2 of 4"),  # 3 * 1 / 3
        ("size", 2.05, "deal of 12,345"),  # log10(12,345) / 2
        ("idle", 1.0, "15 days since the deal's last contact"),  # 2 * 15 / 30
    ]
    assert Scored(late, score(late, NOW, DAY)).score == 15.05  # 9 + 2 + 1 + 2.05 + 1


def test_every_term_of_a_suggested_customer_task() -> None:
    who = customer(None, touch=NOW - timedelta(days=45))
    hint = item(NOW + timedelta(days=2), who=who, suggested=True)
    # due in 2 days 3, grade C 1, idle capped 2, suggested -1: 5
    assert Scored(hint, score(hint, NOW, DAY)).score == 5.0


def test_the_score_is_the_sum_rounded_to_cents() -> None:
    scored = Scored(item(None), [Term("a", 0.1, ""), Term("b", 0.2, ""), Term("c", 0.004, "")])
    assert scored.score == 0.3  # 0.304 to the cent


# ------------------------------------------------------------------ idle and rotting


def test_idle_days_count_from_the_later_of_touch_and_stage_entry() -> None:
    assert idle_days(opp(), NOW) is None
    deal = opp(touch=NOW - timedelta(days=9), entered=NOW - timedelta(days=4, hours=2))
    assert idle_days(deal, NOW) == 4  # the stage entry is later: 4 days 2 hours, whole days
    assert idle_days(opp(touch=NOW + timedelta(days=1)), NOW) == 0  # never negative


@pytest.mark.parametrize(("idle", "rotting"), [(3, None), (4, 4), (30, 30)])
def test_a_deal_rots_only_when_idle_longer_than_its_stage_allows(idle, rotting) -> None:
    assert is_rotting(opp(rot_days=3, entered=NOW - timedelta(days=idle)), NOW) == rotting


def test_a_stage_without_rot_days_never_rots() -> None:
    assert is_rotting(opp(entered=NOW - timedelta(days=400)), NOW) is None


# ------------------------------------------------------------------ the queue itself


def ids(queue, key: str) -> list[list[str]]:
    section = next(s for s in queue.sections if s.key == key)
    return [[s.item.id for s in g.items] for g in section.groups]


def flat(groups: list[list[str]]) -> list[str]:
    return sorted(i for g in groups for i in g)


def test_items_land_in_their_sections_and_busy_deals_get_no_suggestion() -> None:
    busy, idle_deal = opp("o1"), opp("o2")
    items = [
        item(NOW - timedelta(hours=1), tid="late", deal=busy),
        item(NOW + timedelta(hours=3), tid="today", who=customer(cid="c2")),
        item(NOW + timedelta(hours=4), tid="rule", kind="rule", who=customer(cid="c3")),
        item(NOW + timedelta(days=3), tid="later-busy", deal=busy),
        item(NOW + timedelta(days=3), tid="later-idle", deal=idle_deal),
        item(None, tid="undated", who=customer(cid="c4")),
        item(NOW + timedelta(days=5), tid="hint", suggested=True, who=customer(cid="c5")),
    ]
    queue = build_queue(items=items, open_opportunities=[], now=NOW, workday=DAY, mode="morning")
    assert ids(queue, "overdue") == [["late"]]
    assert ids(queue, "today") == [["today"]]
    assert ids(queue, "rules") == [["rule"]]
    # the flagged suggestion, then the next task of the one deal with nothing due today
    # (the busy deal already has a task in the day); the undated task waits unseen
    assert flat(ids(queue, "suggested")) == ["hint", "later-idle"]
    assert queue.counts.open == 5
    assert queue.counts.overdue == 1 and queue.counts.due_today == 2


def test_suggestions_go_to_the_likeliest_deals_first() -> None:
    deals = [opp(f"o{n}", probability=p) for n, p in enumerate([0.2, 0.8, 0.5])]
    items = [item(NOW + timedelta(days=3), tid=d.id, deal=d) for d in deals]
    queue = build_queue(
        items=items, open_opportunities=[], now=NOW, workday=DAY, mode="morning", suggest_limit=2
    )
    assert flat(ids(queue, "suggested")) == ["o1", "o2"]  # 0.8 and 0.5, not 0.2


def test_groups_by_deal_ordered_by_their_best_score() -> None:
    a_deal, b_deal = opp("oa"), opp("ob")
    items = [
        # deal oa: grade C, 1 hour and 2 days late
        item(NOW - timedelta(hours=1), tid="a1", who=customer("C", cid="ca"), deal=a_deal),
        item(NOW - timedelta(days=2), tid="a2", who=customer("C", cid="ca"), deal=a_deal),
        # deal ob: grade A, 1 hour late
        item(NOW - timedelta(hours=1), tid="b1", who=customer("A", cid="cb"), deal=b_deal),
    ]
    queue = build_queue(items=items, open_opportunities=[], now=NOW, workday=DAY, mode="morning")
    # a1: 8 + 4 * (1/24) / 7 = 8.02, + 1 = 9.02; a2: 8 + 4 * 2 / 7 = 9.14, + 1 = 10.14
    # b1: 8.02 + 3 = 11.02, so ob's group comes first; in oa, a2 before a1
    assert ids(queue, "overdue") == [["b1"], ["a2", "a1"]]
    section = next(s for s in queue.sections if s.key == "overdue")
    assert [g.score for g in section.groups] == [11.02, 10.14]


def test_rotting_deals_are_flagged_and_deals_without_a_next_step_listed() -> None:
    stale = opp("o1", rot_days=3, entered=NOW - timedelta(days=5))
    fresh = opp("o2", rot_days=3, entered=NOW - timedelta(days=1))
    who = customer()
    queue = build_queue(
        items=[item(NOW + timedelta(hours=2), deal=stale)],
        open_opportunities=[(who, stale, True), (who, fresh, False)],
        now=NOW,
        workday=DAY,
        mode="morning",
    )
    assert [(o.id, days) for _c, o, days in queue.rotting] == [("o1", 5)]
    assert [o.id for _c, o in queue.no_next_step] == ["o2"]
    today = next(s for s in queue.sections if s.key == "today")
    assert today.groups[0].flags == ["rotting"]
    assert queue.counts.rotting == 1 and queue.counts.no_next_step == 1
