"""Webhook endpoints and the durable delivery outbox.

A delivery row is written in the same transaction as the decision it reports, with the exact
body that will be signed and sent, so a crash or a restart loses nothing. Senders claim due rows
with a short lease (a conditional UPDATE, which works the same on SQLite and PostgreSQL), so
several replicas never send the same attempt twice at once; a sender that dies mid-attempt only
delays the row until its lease runs out. Receivers still see a delivery at least once, never
exactly once, and de-duplicate on its id.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from service.store.paging import newest_first
from service.store.schema import deliveries, utcnow, webhooks

STATUSES: tuple[str, ...] = ("pending", "delivered", "failed", "cancelled")
LEASE_SECONDS = 60


@dataclass(frozen=True)
class Endpoint:
    id: str
    url: str
    secret: str
    events: list[str]
    include_text: bool


@dataclass(frozen=True)
class Claimed:
    """A delivery a sender holds the lease on."""

    id: str
    url: str
    secret: str
    body: str
    attempts: int


def _endpoint_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "events": list(row.events),
        "include_text": row.include_text,
        "created_at": row.created_at,
    }


def add_endpoint(
    connection: Connection, *, url: str, secret: str, events: list[str], include_text: bool
) -> dict[str, Any]:
    endpoint_id = str(uuid.uuid4())
    connection.execute(
        insert(webhooks).values(
            id=endpoint_id,
            url=url,
            secret=secret,
            events=sorted(set(events)),
            include_text=include_text,
            created_at=utcnow(),
        )
    )
    row = connection.execute(select(webhooks).where(webhooks.c.id == endpoint_id)).one()
    return _endpoint_out(row)


def list_endpoints(connection: Connection) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(webhooks).where(webhooks.c.deleted_at.is_(None)).order_by(webhooks.c.created_at)
    ).all()
    return [_endpoint_out(r) for r in rows]


def active_endpoints(connection: Connection) -> list[Endpoint]:
    rows = connection.execute(select(webhooks).where(webhooks.c.deleted_at.is_(None))).all()
    return [Endpoint(r.id, r.url, r.secret, list(r.events), r.include_text) for r in rows]


def delete_endpoint(connection: Connection, endpoint_id: str) -> bool:
    """Removes the endpoint; its deliveries that were still waiting are cancelled, not sent."""
    changed = connection.execute(
        update(webhooks)
        .where(webhooks.c.id == endpoint_id, webhooks.c.deleted_at.is_(None))
        .values(deleted_at=utcnow())
    ).rowcount
    if changed:
        connection.execute(
            update(deliveries)
            .where(deliveries.c.webhook_id == endpoint_id, deliveries.c.status == "pending")
            .values(status="cancelled", last_error="endpoint deleted")
        )
    return changed > 0


def enqueue(connection: Connection, endpoint: Endpoint, event: str, payload: dict) -> str:
    """Writes one delivery; the body is frozen now so its signature covers what was decided."""
    delivery_id = str(uuid.uuid4())
    body = json.dumps({"delivery_id": delivery_id, "event": event, **payload}, ensure_ascii=False)
    now = utcnow()
    connection.execute(
        insert(deliveries).values(
            id=delivery_id,
            webhook_id=endpoint.id,
            event=event,
            body=body,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return delivery_id


def claim_due(connection: Connection, limit: int) -> list[Claimed]:
    """Takes the lease on up to ``limit`` deliveries that are due; others see them as taken."""
    now = utcnow()
    free = or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < now)
    due = connection.execute(
        select(deliveries.c.id)
        .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now, free)
        .order_by(deliveries.c.next_attempt_at)
        .limit(limit)
    ).all()
    claimed: list[Claimed] = []
    lease = now + timedelta(seconds=LEASE_SECONDS)
    for (delivery_id,) in due:
        taken = connection.execute(
            update(deliveries)
            .where(and_(deliveries.c.id == delivery_id, deliveries.c.status == "pending", free))
            .values(lease_until=lease)
        ).rowcount
        if not taken:
            continue
        row = connection.execute(
            select(
                deliveries.c.id,
                deliveries.c.body,
                deliveries.c.attempts,
                webhooks.c.url,
                webhooks.c.secret,
            )
            .join(webhooks, webhooks.c.id == deliveries.c.webhook_id)
            .where(deliveries.c.id == delivery_id)
        ).one()
        claimed.append(Claimed(row.id, row.url, row.secret, row.body, row.attempts))
    return claimed


def backoff_seconds(attempts: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: uniform in [base, min(cap, base * 2**attempts)]."""
    ceiling = min(cap, base * (2 ** min(attempts, 40)))
    return rng.uniform(min(base, ceiling), ceiling)


def mark_delivered(connection: Connection, delivery_id: str, status_code: int) -> None:
    now = utcnow()
    connection.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(
            status="delivered",
            attempts=deliveries.c.attempts + 1,
            last_status_code=status_code,
            last_error=None,
            lease_until=None,
            delivered_at=now,
        )
    )


def mark_failed_attempt(
    connection: Connection,
    delivery_id: str,
    *,
    status_code: int | None,
    error: str,
    retry_in: float | None,
) -> str:
    """Records a failed attempt; schedules the next one, or gives up when ``retry_in`` is None."""
    status = "pending" if retry_in is not None else "failed"
    connection.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(
            status=status,
            attempts=deliveries.c.attempts + 1,
            last_status_code=status_code,
            last_error=error[:500],
            lease_until=None,
            next_attempt_at=utcnow() + timedelta(seconds=retry_in or 0),
        )
    )
    return status


def redeliver(connection: Connection, delivery_id: str) -> bool:
    """Puts a failed or cancelled delivery back in the queue, due now."""
    return (
        connection.execute(
            update(deliveries)
            .where(
                deliveries.c.id == delivery_id,
                deliveries.c.status.in_(("failed", "cancelled", "delivered")),
                deliveries.c.webhook_id.in_(
                    select(webhooks.c.id).where(webhooks.c.deleted_at.is_(None))
                ),
            )
            .values(status="pending", next_attempt_at=utcnow(), lease_until=None)
        ).rowcount
        > 0
    )


def list_deliveries(
    connection: Connection,
    *,
    status: str | None,
    webhook_id: str | None,
    limit: int,
    before_seq: int | None,
) -> tuple[list[dict[str, Any]], int | None]:
    query = select(deliveries)
    if status:
        query = query.where(deliveries.c.status == status)
    if webhook_id:
        query = query.where(deliveries.c.webhook_id == webhook_id)
    rows, next_seq = newest_first(connection, query, deliveries.c.seq, limit, before_seq)
    out = [
        {
            "id": r.id,
            "webhook_id": r.webhook_id,
            "event": r.event,
            "status": r.status,
            "attempts": r.attempts,
            "next_attempt_at": r.next_attempt_at if r.status == "pending" else None,
            "last_status_code": r.last_status_code,
            "last_error": r.last_error,
            "created_at": r.created_at,
            "delivered_at": r.delivered_at,
        }
        for r in rows
    ]
    return out, next_seq


def counts_by_status(connection: Connection) -> dict[str, int]:
    rows = connection.execute(
        select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
    ).all()
    return {status: 0 for status in STATUSES} | {r[0]: r[1] for r in rows}


def purge(connection: Connection, older_than: datetime) -> int:
    """Deletes finished deliveries older than the cut-off (waiting ones are kept: never lost)."""
    return connection.execute(
        delete(deliveries).where(
            deliveries.c.created_at < older_than, deliveries.c.status != "pending"
        )
    ).rowcount
