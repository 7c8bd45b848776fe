"""Prometheus metrics: requests, latency, decisions, the model in use, the review queue and
webhook deliveries.

One registry per application instance, so that several apps in one process (tests) do not
collide, and nothing is registered at import time.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "recruitscan_requests",
            "HTTP requests by route and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "recruitscan_request_seconds",
            "HTTP request latency by route",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.decisions = Counter(
            "recruitscan_decisions",
            "scored messages by decision",
            ["decision"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "recruitscan_webhook_deliveries",
            "webhook delivery attempts by outcome (delivered, retry, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "recruitscan_webhook_outbox",
            "webhook deliveries in the store by status",
            ["status"],
            registry=self.registry,
        )
        self.queue = Gauge(
            "recruitscan_review_queue_pending",
            "review items waiting for a verdict",
            registry=self.registry,
        )
        self.store_errors = Counter(
            "recruitscan_store_errors",
            "decisions that could not be written to the store",
            registry=self.registry,
        )
        self.model = Gauge(
            "recruitscan_model_info",
            "the model version in use (value 1)",
            ["version"],
            registry=self.registry,
        )

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route=route, status=str(status)).inc()
        self.latency.labels(route=route).observe(seconds)

    def observe_decisions(self, decisions: Iterable[str]) -> None:
        for decision in decisions:
            self.decisions.labels(decision=decision).inc()

    def observe_delivery(self, outcome: str) -> None:
        self.deliveries.labels(outcome=outcome).inc()

    def set_store_state(self, pending_reviews: int, outbox: dict[str, int]) -> None:
        self.queue.set(pending_reviews)
        for status, count in outbox.items():
            self.outbox.labels(status=status).set(count)

    def set_model(self, version: str | None) -> None:
        self.model.clear()
        if version:
            self.model.labels(version=version).set(1)

    def render(self) -> bytes:
        return generate_latest(self.registry)
