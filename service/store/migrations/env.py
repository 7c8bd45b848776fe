"""Alembic environment: runs migrations on the connection the store hands over.

The store passes its own connection in ``config.attributes["connection"]`` so that the CLI, the
service and the tests migrate exactly the database they use; there is no alembic.ini.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from service.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)

if connection.dialect.name == "postgresql":
    # Several replicas may start at once: one migrates, the others wait and then find nothing to do.
    connection.execute(text("SELECT pg_advisory_xact_lock(7301442)"))

with context.begin_transaction():
    context.run_migrations()
