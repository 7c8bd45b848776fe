"""The review queue: scored messages kept for review, reviewers' verdicts with their audit trail,
feedback that did not come through the queue, the export for retraining, and the purge.

Every function takes an open connection so that the caller decides the transaction (a scored
batch is stored together with its webhook deliveries, or not at all).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from service.labels import LANGUAGES, label_for_kind
from service.store.paging import newest_first
from service.store.schema import review_items, utcnow, verdicts

EXPORT_SOURCE = "reviewer-verdict"
DEFAULT_KIND = {1: "offer", 0: "other"}


@dataclass(frozen=True)
class NewItem:
    """A scored message the caller (or the server setting) asked to keep for review."""

    message_id: str | None
    text: str
    score: float
    decision: str
    signals: list[dict[str, Any]]
    language: str | None
    model_version: str


def _public(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    item.pop("seq", None)
    return item


def insert_items(connection: Connection, items: list[NewItem]) -> list[str]:
    """Queues ``items`` as pending; returns their new ids in the same order."""
    now = utcnow()
    rows = [
        {
            "id": str(uuid.uuid4()),
            "origin": "queue",
            "message_id": item.message_id,
            "text": item.text,
            "score": item.score,
            "decision": item.decision,
            "signals": item.signals,
            "language": item.language,
            "model_version": item.model_version,
            "created_at": now,
            "status": "pending",
        }
        for item in items
    ]
    if rows:
        connection.execute(insert(review_items), rows)
    return [row["id"] for row in rows]


def list_items(
    connection: Connection,
    *,
    status: str | None,
    decision: str | None,
    limit: int,
    before_seq: int | None,
) -> tuple[list[dict[str, Any]], int | None]:
    """One page, newest first; the second value is the cursor of the next page (None at the end)."""
    query = select(review_items)
    if status:
        query = query.where(review_items.c.status == status)
    if decision:
        query = query.where(review_items.c.decision == decision)
    rows, next_seq = newest_first(connection, query, review_items.c.seq, limit, before_seq)
    return [_public(row) for row in rows], next_seq


def get_item(connection: Connection, item_id: str) -> dict[str, Any] | None:
    """The item with its verdict history, oldest verdict first."""
    row = connection.execute(select(review_items).where(review_items.c.id == item_id)).first()
    if row is None:
        return None
    item = _public(row)
    history = connection.execute(
        select(verdicts).where(verdicts.c.item_id == item_id).order_by(verdicts.c.seq)
    ).all()
    item["history"] = [
        {k: v for k, v in h._mapping.items() if k not in ("seq", "item_id")} for h in history
    ]
    return item


def record_verdict(
    connection: Connection,
    item_id: str,
    *,
    label: int,
    kind: str | None,
    reviewer: str,
    note: str | None,
) -> tuple[dict[str, Any] | None, bool]:
    """Sets the item's verdict; returns (item, changed).

    Sending the same verdict again changes nothing (safe to retry); a different one replaces it
    and both stay in the audit trail.
    """
    kind = kind or DEFAULT_KIND[label]
    label_for_kind(kind)
    row = connection.execute(
        select(review_items).where(review_items.c.id == item_id).with_for_update()
    ).first()
    if row is None:
        return None, False
    same = (row.label, row.kind, row.reviewer, row.note) == (label, kind, reviewer, note)
    if row.status == "labelled" and same:
        return get_item(connection, item_id), False
    now = utcnow()
    connection.execute(
        update(review_items)
        .where(review_items.c.id == item_id)
        .values(
            status="labelled", label=label, kind=kind, reviewer=reviewer, note=note, decided_at=now
        )
    )
    connection.execute(
        insert(verdicts).values(
            item_id=item_id,
            label=label,
            kind=kind,
            reviewer=reviewer,
            note=note,
            decided_at=now,
            replaced_label=row.label,
        )
    )
    return get_item(connection, item_id), True


def insert_feedback(
    connection: Connection,
    *,
    text: str,
    label: int,
    kind: str | None,
    reviewer: str,
    note: str | None,
    message_id: str | None,
    language: str | None,
) -> tuple[dict[str, Any], bool]:
    """Records a labelled message from outside the queue; returns (item, created).

    With a caller ``message_id`` the call is idempotent: the same id again updates that item
    (text and verdict) instead of adding a second one.
    """
    existing = None
    if message_id is not None:
        existing = connection.execute(
            select(review_items.c.id).where(
                review_items.c.origin == "feedback", review_items.c.message_id == message_id
            )
        ).first()
    if existing is not None:
        connection.execute(
            update(review_items)
            .where(review_items.c.id == existing.id)
            .values(text=text, language=language)
        )
        item, _ = record_verdict(
            connection, existing.id, label=label, kind=kind, reviewer=reviewer, note=note
        )
        assert item is not None
        return item, False
    item_id = str(uuid.uuid4())
    connection.execute(
        insert(review_items).values(
            id=item_id,
            origin="feedback",
            message_id=message_id,
            text=text,
            signals=[],
            language=language,
            created_at=utcnow(),
            status="pending",
        )
    )
    item, _ = record_verdict(
        connection, item_id, label=label, kind=kind, reviewer=reviewer, note=note
    )
    assert item is not None
    return item, True


def labelled_records(connection: Connection) -> Iterator[dict[str, Any]]:
    """Labelled items in the data schema of ``data/`` (see ``training/dataset.py``)."""
    query = (
        select(review_items)
        .where(review_items.c.status == "labelled")
        .order_by(review_items.c.seq)
        .execution_options(yield_per=500)
    )
    for row in connection.execute(query):
        tags = [row.origin]
        lang = row.language
        if lang not in LANGUAGES:
            lang, tags = "en", [*tags, "lang-unknown"]
        yield {
            "id": f"review-{row.id}",
            "text": row.text,
            "label": row.label,
            "lang": lang,
            "kind": row.kind,
            "group": f"review-{row.id}",
            "source": EXPORT_SOURCE,
            "tags": tags,
            "reviewer": row.reviewer,
            "note": row.note,
            "decided_at": row.decided_at.isoformat() + "Z" if row.decided_at else None,
        }


def pending_count(connection: Connection) -> int:
    return connection.execute(
        select(func.count()).select_from(review_items).where(review_items.c.status == "pending")
    ).scalar_one()


def purge(connection: Connection, older_than: datetime) -> int:
    """Deletes items (and their verdicts) created before ``older_than``; returns how many."""
    old = select(review_items.c.id).where(review_items.c.created_at < older_than)
    connection.execute(delete(verdicts).where(verdicts.c.item_id.in_(old)))
    return connection.execute(
        delete(review_items).where(review_items.c.created_at < older_than)
    ).rowcount


def retention_cutoff(days: float) -> datetime:
    return utcnow() - timedelta(days=days)
