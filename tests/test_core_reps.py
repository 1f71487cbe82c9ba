"""Which rep a person means, on plain rows: the rules the ORM services, the queue,
the reports, the importer and doctor all share."""

from __future__ import annotations

import uuid

import pytest

from salesbench.core.errors import BadInput, NotFound
from salesbench.core.reps import DefaultScope, acting_rep_row, default_scope, find_rep_row

ANN = {
    "id": "0000000000000000000000000000a001",
    "name": "Ann",
    "email": "ann@example.com",
    "team": "East",
    "role": "rep",
}
LEE = {
    "id": uuid.UUID("0000000000000000000000000000b002"),  # as PostgreSQL hands it back
    "name": "Lee",
    "email": "Lee@Example.com",
    "team": "East",
    "role": "lead",
}
SAM = {
    "id": "00000000-0000-0000-0000-00000000a0f3",  # with dashes, as psycopg text
    "name": "ann@example.com",  # a name that looks like another rep's email
    "email": "sam@example.com",
    "team": None,
    "role": "lead",
}
REPS = [ANN, LEE, SAM]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("0000000000000000000000000000a001", ANN),  # the full id
        ("00000000-0000-0000-0000-00000000b002", LEE),  # the full id, dashed
        ("lee@example.com", LEE),  # email, any case
        ("  LEE  ", LEE),  # name, any case, spaces trimmed
        ("ann@example.com", ANN),  # an email wins over a name that spells it
    ],
)
def test_a_rep_is_found_by_id_email_or_name(ref: str, expected: dict[str, object]) -> None:
    assert find_rep_row(REPS, ref) is expected


def test_an_id_prefix_of_four_hex_digits_or_more_finds_the_rep() -> None:
    assert find_rep_row([ANN, LEE], "0000000000000000000000000000b0") is LEE
    with pytest.raises(BadInput, match=r"matches several reps: 00000000 .*give more of the id"):
        find_rep_row(REPS, "0000")


def test_nobody_or_an_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound, match="no rep matches 'bo'"):
        find_rep_row(REPS, "bo")
    with pytest.raises(NotFound, match="no rep with id"):
        find_rep_row(REPS, str(uuid.UUID(int=7)))
    with pytest.raises(BadInput, match="empty rep reference"):
        find_rep_row(REPS, "  ")


def test_the_acting_rep_is_the_one_named_else_the_only_one() -> None:
    assert acting_rep_row(REPS, "Lee") is LEE
    assert acting_rep_row([ANN], None) is ANN
    assert acting_rep_row([ANN], " ") is ANN
    with pytest.raises(BadInput, match="several reps: say which with --rep or SALESBENCH_REP"):
        acting_rep_row(REPS, None)
    with pytest.raises(BadInput, match="no rep yet"):
        acting_rep_row([], None)


def test_a_lead_sees_the_team_a_rep_their_own_and_nobody_everything() -> None:
    assert default_scope(REPS, "Lee") == DefaultScope(team="East")
    assert default_scope(REPS, "ann@example.com") == DefaultScope(rep_id=ANN["id"])
    # a lead without a team sees their own book
    assert default_scope(REPS, "sam@example.com") == DefaultScope(
        rep_id="0000000000000000000000000000a0f3"
    )
    assert default_scope(REPS, None).everything
