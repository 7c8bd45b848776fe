"""The FastAPI application: settings, lifespan (model loading), routes and error handlers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from service import errors, logs
from service.auth import Guard
from service.config import Settings, get_settings
from service.delivery import Sender
from service.metrics import Metrics
from service.model_holder import ModelHolder
from service.routes import admin, health, observability, reviews, scoring, webhooks
from service.store import Store, StoreError

log = logging.getLogger("recruitscan")

MAX_BODY_BYTES = 32 * 1024 * 1024


async def _watch(holder: ModelHolder, interval: float) -> None:
    """Picks up a model promoted while the service runs (``models/current`` switched)."""
    while True:
        await asyncio.sleep(interval)
        await asyncio.to_thread(holder.reload_if_changed)


async def _purge(store: Store, retention_days: float, interval: float) -> None:
    """Deletes stored items past their retention, at start-up and then every ``interval``."""
    while True:
        try:
            removed = await asyncio.to_thread(store.purge, retention_days)
            if any(removed.values()):
                log.info("purged expired items", extra=removed)
        except Exception:  # noqa: BLE001 - try again next time
            log.exception("purge failed")
        await asyncio.sleep(interval)


def _open_store(app: FastAPI, settings: Settings) -> Store | None:
    """Opens and migrates the store; on failure keeps the reason for the 503s that follow."""
    try:
        app.state.store = Store.open(settings.store_url())
        app.state.store_problem = None
    except StoreError as error:
        app.state.store, app.state.store_problem = None, str(error)
        log.error("store unavailable", extra={"reason": str(error)})
    return app.state.store


async def _store_tasks(app: FastAPI, settings: Settings, retry_seconds: float = 5.0) -> None:
    """Runs the purge and the webhook sender; when the database was down at start-up, keeps
    trying to open it first (PostgreSQL may come up after the service)."""
    store = app.state.store
    while store is None:
        await asyncio.sleep(retry_seconds)
        store = await asyncio.to_thread(_open_store, app, settings)
    tasks = []
    if settings.purge_interval_seconds > 0:
        tasks.append(_purge(store, settings.retention_days, settings.purge_interval_seconds))
    if settings.webhook_poll_seconds > 0:
        tasks.append(Sender(store, settings, app.state.metrics).run())
    await asyncio.gather(*tasks)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logs.configure(settings.log_level)
        app.state.models.load()
        await asyncio.to_thread(_open_store, app, settings)
        tasks: list[asyncio.Task] = []
        if settings.reload_interval_seconds > 0:
            tasks.append(
                asyncio.create_task(_watch(app.state.models, settings.reload_interval_seconds))
            )
        tasks.append(asyncio.create_task(_store_tasks(app, settings)))
        yield
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if app.state.store is not None:
            app.state.store.dispose()

    app = FastAPI(
        title="recruitscan",
        version="0.1.0",
        summary="Scores messages for recruitment into armed service with material lures.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.models = ModelHolder(settings.model_dir)
    app.state.metrics = Metrics()
    app.state.store = None
    app.state.store_problem = "the store is not open yet"
    app.state.guard = Guard(settings.open_scoring)
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
    app.include_router(reviews.router)
    app.include_router(webhooks.router)
    app.include_router(admin.router)
    return app


__all__ = ["create_app"]
