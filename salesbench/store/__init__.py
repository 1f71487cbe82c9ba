"""Persistence: SQLModel tables, the engine, and the Alembic glue."""
