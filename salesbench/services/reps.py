"""Reps: who owns customers, opportunities and tasks."""

from __future__ import annotations

import os

from sqlmodel import Session, func, select

from salesbench.core.errors import BadInput, Conflict
from salesbench.core.fields import REP_FIELDS, parse_record
from salesbench.services.refs import find
from salesbench.store.engine import Store
from salesbench.store.models import Rep

REP_ENV = "SALESBENCH_REP"


def find_rep(session: Session, ref: str) -> Rep:
    return find(session, Rep, ref, label="rep", names=("email", "name"))


def acting_rep(session: Session, ref: str | None = None) -> Rep:
    """The rep a command acts as: `--rep`, then SALESBENCH_REP, then the only rep there is."""
    ref = ref or os.environ.get(REP_ENV)
    if ref:
        return find_rep(session, ref)
    reps = list(session.exec(select(Rep).limit(2)))
    if len(reps) == 1:
        return reps[0]
    if not reps:
        raise BadInput("there is no rep yet: add one with `salesbench rep add NAME EMAIL`")
    raise BadInput(f"there are several reps: say which with --rep or {REP_ENV}")


def add_rep(store: Store, raw: dict[str, str | None]) -> Rep:
    values = parse_record(REP_FIELDS, raw)
    with store.write() as session:
        taken = session.exec(
            select(Rep).where(func.lower(Rep.email) == values["email"].lower())
        ).first()
        if taken is not None:
            raise Conflict(f"email: a rep with {values['email']} exists already")
        rep = Rep(**values)
        session.add(rep)
    return rep


def list_reps(store: Store, *, team: str | None = None) -> list[Rep]:
    with store.read() as session:
        query = select(Rep).order_by(Rep.team, Rep.name)
        if team:
            query = query.where(Rep.team == team)
        return list(session.exec(query))
