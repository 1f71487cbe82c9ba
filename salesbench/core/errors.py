"""Errors the shells turn into one-line messages and stable exit codes."""

from __future__ import annotations


class SalesbenchError(Exception):
    """Base of every error a user may see.

    `exit_code` is the CLI's exit status; `field`, when set, names the input at fault
    (an option, a column, a record's field) and `message` says what is wrong with it
    without the name, so a form can show it beside the field. `str()` is the one line
    a person reads: the field, then the message.
    """

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class BadInput(SalesbenchError):
    """A value the user gave is malformed or not allowed (exit 2)."""

    exit_code = 2


class BadInputs(BadInput):
    """Several fields of one record are wrong: a form marks them all at once; a shell
    reads the first (its message and field are the first problem's)."""

    def __init__(self, problems: list[BadInput]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


class NotFound(SalesbenchError):
    """A referenced record does not exist (exit 3)."""

    exit_code = 3


class Conflict(SalesbenchError):
    """The write would clash with existing data (exit 4)."""

    exit_code = 4


class ChangedMeanwhile(Conflict):
    """Someone else changed the record since it was read: a form shows it as it is now.
    (Other Conflicts — a replaced or damaged database, a lock — are no such thing.)"""


class DatabaseUnusable(Conflict):
    """The database this process opened cannot be used any more (its file was removed,
    replaced or found damaged): a long-lived process (the workbench) stops."""


class DatabaseReplaced(DatabaseUnusable):
    """The database file was removed or replaced while this process had it open."""

    @classmethod
    def at(cls, path: object) -> DatabaseReplaced:
        return cls(
            f"the database file {path} was removed or replaced while salesbench "
            "had it open: nothing was written; start again"
        )


class RepNeeded(BadInput):
    """Who is at the keyboard is not known: there is no rep yet, or there are several
    and none was named. The CLI says so; the workbench asks (the first-rep form, the
    rep picker)."""

    def __init__(self, message: str, *, several: bool) -> None:
        super().__init__(message)
        self.several = several


def no_rep_yet() -> RepNeeded:
    return RepNeeded(
        "there is no rep yet: run `salesbench init --name NAME --email EMAIL`, "
        "or try `salesbench demo --db /tmp/demo.db`",
        several=False,
    )
