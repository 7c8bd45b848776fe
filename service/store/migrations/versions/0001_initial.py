"""Review queue, verdict audit, API keys, webhooks and their delivery outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("message_id", sa.String(200)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("decision", sa.String(8)),
        sa.Column("signals", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("model_version", sa.String(80)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("label", sa.Integer),
        sa.Column("kind", sa.String(32)),
        sa.Column("reviewer", sa.String(200)),
        sa.Column("note", sa.Text),
        sa.Column("decided_at", sa.DateTime),
    )
    op.create_index("ix_review_items_status_seq", "review_items", ["status", "seq"])
    op.create_index("ix_review_items_created_at", "review_items", ["created_at"])
    op.create_table(
        "verdicts",
        sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
        sa.Column(
            "item_id",
            sa.String(36),
            sa.ForeignKey("review_items.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("label", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32)),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("replaced_label", sa.Integer),
    )
    op.create_index("ix_verdicts_item_id", "verdicts", ["item_id"])
    op.create_table(
        "api_keys",
        sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("include_text", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime),
    )
    op.create_table(
        "deliveries",
        sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("webhook_id", sa.String(36), sa.ForeignKey("webhooks.id"), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("lease_until", sa.DateTime),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("delivered_at", sa.DateTime),
    )
    op.create_index("ix_deliveries_webhook_id", "deliveries", ["webhook_id"])
    op.create_index("ix_deliveries_status_next", "deliveries", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("webhooks")
    op.drop_table("api_keys")
    op.drop_table("verdicts")
    op.drop_table("review_items")
