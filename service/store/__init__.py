"""The store: review queue, feedback, API keys, webhook endpoints and their outbox (SQLAlchemy).

``Store`` is the one object the service and the CLI hold; each table family has its own module
and every module function takes a connection, so ``Store`` only decides transactions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from service.store import keys, reviews, webhooks
from service.store.engine import StoreError, current_revision, head_revision, make_engine, upgrade
from service.store.reviews import NewItem

# How long a replica trusts what it read about keys and webhook endpoints (scoring asks on every
# request). The replica that changes them forgets at once; the others see the change within this.
CACHE_TTL_SECONDS = 2.0
T = TypeVar("T")


class _Cached(Generic[T]):
    """A value read from the database at most every ``CACHE_TTL_SECONDS``."""

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._value: tuple[float, T] | None = None

    def get(self) -> T:
        now = time.monotonic()
        if self._value is None or now - self._value[0] > CACHE_TTL_SECONDS:
            self._value = (now, self._load())
        return self._value[1]

    def forget(self) -> None:
        self._value = None


__all__ = ["Event", "NewItem", "Store", "StoreError", "keys", "reviews", "webhooks"]


@dataclass(frozen=True)
class Event:
    """A decision webhook endpoints may subscribe to; ``item`` indexes the stored items."""

    decision: str
    payload: dict[str, Any]
    text: str
    item: int | None = None


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._endpoints = _Cached(lambda: self._read(webhooks.active_endpoints))
        self._key_count = _Cached(lambda: self._read(keys.count))

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Opens the database at ``url``; with ``migrate`` applies pending migrations first."""
        store = cls(url)
        if migrate:
            upgrade(store.engine)
        elif current_revision(store.engine) != head_revision():
            raise StoreError("the store's schema is not up to date; run: recruitscan db upgrade")
        return store

    @property
    def where(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def _read(self, query: Callable[[Connection], T]) -> T:
        with self.reading() as connection:
            return query(connection)

    def endpoints(self) -> list[webhooks.Endpoint]:
        """Active webhook endpoints (cached briefly: most requests have nothing to store)."""
        return self._endpoints.get()

    def subscribed_decisions(self) -> set[str]:
        """The decisions at least one active endpoint wants to receive."""
        return {decision for endpoint in self.endpoints() for decision in endpoint.events}

    def forget_endpoints(self) -> None:
        self._endpoints.forget()

    def key_count(self) -> int:
        """How many API keys exist (cached briefly: scoring asks on every request)."""
        return self._key_count.get()

    def forget_keys(self) -> None:
        self._key_count.forget()

    def record_decisions(
        self,
        stored: list[NewItem],
        events: list[Event],
    ) -> list[str]:
        """Keeps ``stored`` for review and queues one delivery per event and matching endpoint,
        in one transaction; returns the new review item ids. Touches the database only when
        there is something to write."""
        endpoints = self.endpoints() if events else []
        due = [
            (event, endpoint)
            for event in events
            for endpoint in endpoints
            if event.decision in endpoint.events
        ]
        if not stored and not due:
            return []
        with self.transaction() as connection:
            ids = reviews.insert_items(connection, stored)
            for event, endpoint in due:
                body = event.payload | {
                    "review_id": ids[event.item] if event.item is not None else None
                }
                if endpoint.include_text:
                    body["text"] = event.text
                webhooks.enqueue(connection, endpoint, event.decision, body)
        return ids

    def purge(self, retention_days: float) -> dict[str, int]:
        cutoff = reviews.retention_cutoff(retention_days)
        with self.transaction() as connection:
            return {
                "review_items": reviews.purge(connection, cutoff),
                "deliveries": webhooks.purge(connection, cutoff),
            }

    def dispose(self) -> None:
        self.engine.dispose()
