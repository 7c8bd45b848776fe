"""Keyset pagination, newest first, shared by every listing in the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Select


def newest_first(
    connection: Connection, query: Select, seq: Column, limit: int, before_seq: int | None
) -> tuple[list[Any], int | None]:
    """One page of rows with ``seq`` below ``before_seq``, and the cursor of the next page.

    Keyset rather than offset pagination: new rows arriving while a reviewer pages through the
    queue neither shift nor repeat items.
    """
    query = query.order_by(seq.desc()).limit(limit + 1)
    if before_seq is not None:
        query = query.where(seq < before_seq)
    rows = connection.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].seq if more and rows else None)
