"""Alembic's environment: run on the connection `db.migrate` hands over."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from checker.web.db import Base


def run(config: Any) -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic revision --autogenerate` run by a developer
        connection = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://").connect()
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file; imported any other way (the tests import every module) it does nothing.
if getattr(context, "config", None) is not None:
    run(context.config)
