"""The FastAPI application: settings, lifespan (model loading), routes and error handlers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from service import errors, logs
from service.config import Settings, get_settings
from service.metrics import Metrics
from service.model_holder import ModelHolder
from service.routes import health, observability, scoring

MAX_BODY_BYTES = 32 * 1024 * 1024


async def _watch(holder: ModelHolder, interval: float) -> None:
    """Picks up a model promoted while the service runs (``models/current`` switched)."""
    while True:
        await asyncio.sleep(interval)
        await asyncio.to_thread(holder.reload_if_changed)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logs.configure(settings.log_level)
        app.state.models.load()
        watcher = None
        if settings.reload_interval_seconds > 0:
            watcher = asyncio.create_task(
                _watch(app.state.models, settings.reload_interval_seconds)
            )
        yield
        if watcher is not None:
            watcher.cancel()

    app = FastAPI(
        title="recruitscan",
        version="0.1.0",
        summary="Scores messages for recruitment into armed service with material lures.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.models = ModelHolder(settings.model_dir)
    app.state.metrics = Metrics()
    errors.install(app)

    @app.middleware("http")
    async def measure(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        app.state.metrics.observe_request(
            getattr(route, "path", "unmatched"), response.status_code, time.perf_counter() - started
        )
        return response

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return errors.error_response(
                413,
                "body_too_large",
                f"request body over {MAX_BODY_BYTES} bytes; send smaller batches",
            )
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and media and media != "application/json":
            return errors.error_response(
                415,
                "unsupported_media_type",
                f"the body is sent as {media}; send JSON with content-type: application/json",
            )
        return await call_next(request)

    app.include_router(health.router)
    app.include_router(observability.router)
    app.include_router(scoring.router)
    return app


__all__ = ["create_app"]
