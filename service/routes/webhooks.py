"""Webhook endpoints (admin only) and the delivery log."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query

from service.errors import ApiError
from service.routes.deps import AdminKey, StoreDep
from service.routes.pages import decode_cursor, encode_cursor, iso_times
from service.schemas import DeliveryOut, DeliveryPage, ErrorBody, WebhookOut, WebhookRequest
from service.store import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 403, 404, 422, 503)}


@router.post("", response_model=WebhookOut, status_code=201, responses=_ERRORS)
def create_webhook(body: WebhookRequest, store: StoreDep, _key: AdminKey) -> WebhookOut:
    """Registers an endpoint; every later matching decision is POSTed to it, signed."""
    parts = urlsplit(body.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(422, "invalid_url", "url must be an absolute http:// or https:// URL")
    with store.transaction() as connection:
        row = webhooks.add_endpoint(
            connection,
            url=body.url,
            secret=body.secret,
            events=list(body.events),
            include_text=body.include_text,
        )
    store.forget_endpoints()
    return WebhookOut(**iso_times(row))


@router.get("", response_model=list[WebhookOut], responses=_ERRORS)
def list_webhooks(store: StoreDep, _key: AdminKey) -> list[WebhookOut]:
    """Registered endpoints; secrets are never shown again."""
    with store.reading() as connection:
        return [WebhookOut(**iso_times(r)) for r in webhooks.list_endpoints(connection)]


@router.get("/deliveries", response_model=DeliveryPage, responses=_ERRORS)
def list_deliveries(
    store: StoreDep,
    _key: AdminKey,
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
    webhook_id: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = None,
) -> DeliveryPage:
    """Deliveries newest first, with attempts, the last error and the next attempt time."""
    with store.reading() as connection:
        rows, next_seq = webhooks.list_deliveries(
            connection,
            status=status,
            webhook_id=webhook_id,
            limit=limit,
            before_seq=decode_cursor(cursor),
        )
    return DeliveryPage(
        items=[DeliveryOut(**iso_times(r)) for r in rows], next_cursor=encode_cursor(next_seq)
    )


@router.post("/deliveries/{delivery_id}/retry", response_model=dict, responses=_ERRORS)
def retry_delivery(delivery_id: str, store: StoreDep, _key: AdminKey) -> dict:
    """Sends a finished (failed, cancelled or delivered) delivery again, now."""
    with store.transaction() as connection:
        if not webhooks.redeliver(connection, delivery_id):
            raise ApiError(
                404,
                "delivery_not_found",
                f"no finished delivery {delivery_id!r} of an existing endpoint",
            )
    return {"id": delivery_id, "status": "pending"}


@router.delete("/{webhook_id}", status_code=204, responses=_ERRORS)
def delete_webhook(webhook_id: str, store: StoreDep, _key: AdminKey) -> None:
    """Removes an endpoint; deliveries still waiting for it are cancelled."""
    with store.transaction() as connection:
        if not webhooks.delete_endpoint(connection, webhook_id):
            raise ApiError(404, "webhook_not_found", f"no webhook {webhook_id!r}")
    store.forget_endpoints()
