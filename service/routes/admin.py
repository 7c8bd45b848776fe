"""Admin actions on the running service."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from service.errors import ApiError
from service.routes.deps import AdminKey
from service.schemas import ErrorBody, ReloadResult

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.post(
    "/reload",
    response_model=ReloadResult,
    responses={s: {"model": ErrorBody} for s in (401, 403, 409)},
)
async def reload(request: Request, _key: AdminKey) -> ReloadResult:
    """Loads the model ``models/current`` points at; a broken one is refused (409) and the
    model in use keeps serving. Requests in flight finish with the model they started with."""
    holder = request.app.state.models
    before = holder.detector.version if holder.detector else None
    loaded = await asyncio.to_thread(holder.load)
    if not loaded:
        raise ApiError(
            409,
            "model_refused",
            f"the model was refused ({holder.problem}); still serving {before or 'nothing'}",
        )
    after = holder.detector.version if holder.detector else None
    return ReloadResult(model_version=after, changed=after != before, previous_version=before)
