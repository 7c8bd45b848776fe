"""GET /metrics in Prometheus text format (readable without a key, like /healthz)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from service.metrics import CONTENT_TYPE
from service.store import reviews, webhooks

log = logging.getLogger("recruitscan")

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Requests by route and status, latency histograms, decisions, the model version, the
    review queue and webhook deliveries."""
    holder = request.app.state.models
    metrics = request.app.state.metrics
    metrics.set_model(holder.detector.version if holder.detector else None)
    store = request.app.state.store
    if store is not None:
        try:
            with store.reading() as connection:
                metrics.set_store_state(
                    reviews.pending_count(connection), webhooks.counts_by_status(connection)
                )
        except Exception:  # noqa: BLE001 - metrics must answer even when the store does not
            log.exception("could not read queue sizes for /metrics")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
