"""Dependencies shared by routes: the loaded detector and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.config import Settings
from service.detector import Detector
from service.errors import ApiError


def _detector(request: Request) -> Detector:
    holder = request.app.state.models
    if holder.detector is None:
        raise ApiError(503, "model_not_loaded", f"no verified model is loaded: {holder.problem}")
    return holder.detector


def _settings(request: Request) -> Settings:
    return request.app.state.settings


DetectorDep = Annotated[Detector, Depends(_detector)]
SettingsDep = Annotated[Settings, Depends(_settings)]
