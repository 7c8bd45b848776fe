"""GET /metrics in Prometheus text format (readable without a key, like /healthz)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from service.metrics import CONTENT_TYPE

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Requests by route and status, latency histograms, decisions, the model version."""
    holder = request.app.state.models
    request.app.state.metrics.set_model(holder.detector.version if holder.detector else None)
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
