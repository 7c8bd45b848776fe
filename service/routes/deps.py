"""Dependencies shared by routes: the loaded detector, the settings, the store and the key check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.config import Settings
from service.detector import Detector
from service.errors import ApiError
from service.store import Store
from service.store.keys import ApiKey


def _detector(request: Request) -> Detector:
    holder = request.app.state.models
    if holder.detector is None:
        raise ApiError(503, "model_not_loaded", f"no verified model is loaded: {holder.problem}")
    return holder.detector


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _store(request: Request) -> Store:
    store = request.app.state.store
    if store is None:
        raise ApiError(
            503,
            "store_unavailable",
            f"the store is not available: {request.app.state.store_problem}",
        )
    return store


def _role(role: str):  # type: ignore[no-untyped-def]
    def check(request: Request) -> ApiKey | None:
        return request.app.state.guard.check(request, request.app.state.store, role)

    return check


DetectorDep = Annotated[Detector, Depends(_detector)]
SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
ScoreKey = Annotated[ApiKey | None, Depends(_role("score"))]
ReviewKey = Annotated[ApiKey | None, Depends(_role("review"))]
AdminKey = Annotated[ApiKey | None, Depends(_role("admin"))]
