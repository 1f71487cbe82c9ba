"""Strong identities the schema keeps unique: a source system's id names one record of
its table (models.unique_external_id). A database that already held two records with
one such id before migration 0009 keeps them, without the index; doctor lists them."""

from __future__ import annotations

IDENTIFIED = ("customer", "contact", "opportunity", "task", "activity")


def index_name(table: str) -> str:
    return f"uq_{table}_external"


def shared_ids_sql(table: str) -> str:
    """(source, external id, how many records) for each id more than one record holds."""
    return (
        f"SELECT coalesce(external_source, ''), external_id, count(*) FROM {table} "
        "WHERE external_id IS NOT NULL GROUP BY coalesce(external_source, ''), external_id "
        "HAVING count(*) > 1 ORDER BY 3 DESC, 1, 2"
    )
