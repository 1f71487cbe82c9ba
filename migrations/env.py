"""Alembic environment for salesbench.

Called by salesbench itself with an open connection in
`config.attributes["connection"]`, or by the `alembic` command line
(`alembic -c migrations/alembic.ini ...`) with a URL from SALESBENCH_DB.
"""

from __future__ import annotations

from alembic import context

from salesbench.store.models import metadata

config = context.config


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # SQLite batch migrations copy and drop tables; foreign keys must be off
        # for that, and the pragma is silently ignored inside a transaction, so
        # it goes straight to the driver connection, outside SQLAlchemy's.
        if connection.in_transaction():
            connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if is_sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    if is_sqlite:
        if connection.in_transaction():
            connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve

    engine = make_engine(resolve(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as conn:
        _configure_and_run(conn)
        conn.commit()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
