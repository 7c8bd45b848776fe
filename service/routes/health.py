"""Liveness, readiness and the model description."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from service.errors import ApiError
from service.routes.deps import DetectorDep
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """Answers while the process lives, model or not."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health)
def readyz(request: Request) -> Health:
    """503 until a verified model is loaded."""
    holder = request.app.state.models
    if holder.detector is None:
        raise ApiError(503, "model_not_loaded", f"not ready: {holder.problem}")
    return Health(status="ready", model_version=holder.detector.version)


@router.get("/v1/model", tags=["model"])
def model(detector: DetectorDep) -> dict[str, Any]:
    """The manifest of the model in use: version, thresholds, metrics, data hash."""
    return detector.manifest.to_dict()
