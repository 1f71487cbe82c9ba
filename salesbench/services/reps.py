"""Reps: who owns customers, opportunities and tasks."""

from __future__ import annotations

import uuid

from sqlmodel import Session, func, select

from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.fields import REP_FIELDS, parse_record
from salesbench.core.reps import acting_rep_row, check_language, find_rep_row
from salesbench.store.engine import Store
from salesbench.store.models import Rep
from salesbench.store.raw import rep_rows, session_rows, to_uuid


def find_rep(session: Session, ref: str) -> Rep:
    """The rep `ref` names, by the rules of core.reps (the fast readers use them too)."""
    row = find_rep_row(rep_rows(session_rows(session)), ref)
    return session.get_one(Rep, to_uuid(row["id"]))


def known_rep(store: Store, ref: str) -> bool:
    """Whether `ref` names a rep in the database (a choice remembered from before may
    not), read without an engine (store/raw.py)."""
    from salesbench.core.errors import NotFound
    from salesbench.store.raw import store_rows

    with store_rows(store) as rows:
        try:
            find_rep_row(rep_rows(rows), ref)
        except NotFound:
            return False
    return True


def acting_rep(session: Session, ref: str | None = None) -> Rep:
    """The rep a command acts as: the one `ref` names (the shells pass `--rep`, else
    SALESBENCH_REP), else the only rep there is."""
    row = acting_rep_row(rep_rows(session_rows(session)), ref)
    return session.get_one(Rep, to_uuid(row["id"]))


def add_rep(store: Store, raw: dict[str, str | None], *, clock: Clock) -> Rep:
    """A new rep from REP_FIELDS, and optionally their `timezone` (an IANA name; the
    shells default it to the machine's) and `language` (en or zh-CN)."""
    given = {k: v for k, v in raw.items() if v is not None}
    values = parse_record(REP_FIELDS, {k: v for k, v in raw.items() if k in REP_FIELDS})
    if "timezone" in given:
        values["timezone"] = checked_timezone(given["timezone"])
    if "language" in given:
        values["language"] = check_language(given["language"])
    with store.write(clock) as session:
        taken = session.exec(
            select(Rep).where(func.lower(Rep.email) == values["email"].lower())
        ).first()
        if taken is not None:
            raise Conflict(f"a rep with {values['email']} exists already", field="email")
        rep = Rep(**values)
        session.add(rep)
    return rep


def list_reps(store: Store, *, team: str | None = None) -> list[Rep]:
    with store.read() as session:
        query = select(Rep).order_by(Rep.team, Rep.name)
        if team:
            query = query.where(Rep.team == team)
        return list(session.exec(query))


_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_workdays(text: str) -> str:
    """`mon-fri`, `mon,tue,sat` or `0,1,2` into the stored form `0,1,2`."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        if "-" in part:
            lo, _, hi = part.partition("-")
            if lo not in _DAYS or hi not in _DAYS:
                raise BadInput(f"{part!r} is not a range of weekdays", field="workdays")
            a, b = _DAYS.index(lo), _DAYS.index(hi)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        elif part in _DAYS:
            days.add(_DAYS.index(part))
        elif part.isdigit() and int(part) < 7:
            days.add(int(part))
        else:
            raise BadInput(f"{part!r} is not a weekday (mon..sun)", field="workdays")
    if not days:
        raise BadInput("at least one working day is needed", field="workdays")
    return ",".join(str(d) for d in sorted(days))


def edit_rep(store: Store, ref: str, raw: dict[str, str | None], *, clock: Clock) -> Rep:
    from salesbench.core.workday import parse_hhmm, workday_of

    given = {k: v for k, v in raw.items() if v is not None}
    basic = parse_record(
        REP_FIELDS, {k: v for k, v in given.items() if k in REP_FIELDS}, partial=True
    )
    with store.write(clock) as session:
        rep = find_rep(session, ref)
        for key, value in basic.items():
            setattr(rep, key, value)
        if "timezone" in given:
            rep.timezone = checked_timezone(given["timezone"])
        try:
            for key in ("workday_start", "workday_end"):
                if key in given:
                    setattr(rep, key, parse_hhmm(given[key]).strftime("%H:%M"))
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        if "workdays" in given:
            rep.workdays = parse_workdays(given["workdays"])
        if "language" in given:
            rep.language = check_language(given["language"])
        try:  # the working week must still make a Workday, the one way every reader builds it
            workday_of(rep.timezone, rep.workday_start, rep.workday_end, rep.workdays)
        except ValueError as exc:
            raise BadInput(str(exc), field="workday") from None
        session.add(rep)
    return rep


def checked_timezone(name: str, *, field: str = "timezone") -> str:
    """`name` if it is a timezone this machine knows (IANA, e.g. Asia/Shanghai)."""
    from salesbench.core.workday import zone

    try:
        zone(name)
    except ValueError as exc:
        raise BadInput(str(exc), field=field) from None
    return name


def has_rep(store: Store) -> bool:
    """Whether anyone has been added yet (`init` asks for the first rep when not)."""
    with store.read() as session:
        return session.exec(select(Rep.id).limit(1)).first() is not None


def rep_id(store: Store, ref: str) -> uuid.UUID:
    """The id of the rep `ref` names (a name, an email or an id prefix)."""
    with store.read() as session:
        return find_rep(session, ref).id
