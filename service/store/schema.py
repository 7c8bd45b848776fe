"""The store's tables, as SQLAlchemy Core tables: the one description queries are written against.

Alembic migrations (``migrations/versions``) create and change these tables; a migration is
written out in full rather than derived from this module, so that old migrations keep meaning
what they meant when this module changes.

Times are naive UTC everywhere, so SQLite and PostgreSQL compare them the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite only auto-increments INTEGER PRIMARY KEY, PostgreSQL wants BIGINT for long-lived tables.
Serial = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


review_items = Table(
    "review_items",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("origin", String(16), nullable=False),  # "queue" (scored) or "feedback"
    Column("message_id", String(200)),
    Column("text", Text, nullable=False),
    Column("score", Float),
    Column("decision", String(8)),
    Column("signals", JSON, nullable=False),
    Column("language", String(8)),
    Column("model_version", String(80)),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False),  # "pending" or "labelled"
    Column("label", Integer),
    Column("kind", String(32)),
    Column("reviewer", String(200)),
    Column("note", Text),
    Column("decided_at", DateTime),
    Index("ix_review_items_status_seq", "status", "seq"),
    Index("ix_review_items_created_at", "created_at"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column(
        "item_id",
        String(36),
        ForeignKey("review_items.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("label", Integer, nullable=False),
    Column("kind", String(32)),
    Column("reviewer", String(200), nullable=False),
    Column("note", Text),
    Column("decided_at", DateTime, nullable=False),
    Column("replaced_label", Integer),  # the verdict this one replaced, None for the first
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("events", JSON, nullable=False),
    Column("include_text", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("deleted_at", DateTime),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("webhook_id", String(36), ForeignKey("webhooks.id"), nullable=False, index=True),
    Column("event", String(16), nullable=False),
    Column("body", Text, nullable=False),  # exactly the bytes that are signed and sent
    Column("status", String(16), nullable=False),  # pending, delivered, failed, cancelled
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("lease_until", DateTime),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("delivered_at", DateTime),
    Index("ix_deliveries_status_next", "status", "next_attempt_at"),
)
