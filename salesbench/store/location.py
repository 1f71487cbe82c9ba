"""Where the database is: what the shell was given (`--db`, or SALESBENCH_DB, which
Typer reads for the option), else the user data dir.

Kept free of SQLAlchemy so fast paths can resolve a location without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DbLocation:
    url: str
    path: Path | None  # the file, for SQLite; None for a server database

    def display(self) -> str:
        """The location without a password, safe for messages and logs."""
        if self.path is not None:
            return str(self.path)
        scheme, sep, rest = self.url.partition("://")
        userinfo, at, host = rest.rpartition("@")
        if at and ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        return f"{scheme}{sep}{userinfo}{at}{host}"


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("salesbench", appauthor=False) / "salesbench.db"


def resolve(db: str | None = None) -> DbLocation:
    value = db or ""
    if "://" in value:
        if value.startswith("sqlite:///"):
            raw = value.removeprefix("sqlite:///")
            if raw and raw != ":memory:":
                path = Path(raw).expanduser().resolve()
                return DbLocation(f"sqlite:///{path}", path)
        return DbLocation(value, None)
    path = Path(value).expanduser().resolve() if value else default_path()
    return DbLocation(f"sqlite:///{path}", path)
