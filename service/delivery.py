"""Sends queued webhook deliveries: signed POSTs, retried with backoff and jitter.

Runs beside the API as one asyncio task; the HTTP calls happen in worker threads, so a slow or
dead receiver never holds up scoring, which only ever writes a row to the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import urllib.error
import urllib.request

from service import signing
from service.config import Settings
from service.metrics import Metrics
from service.store import Store, webhooks

log = logging.getLogger("recruitscan")
BATCH = 16
USER_AGENT = "recruitscan-webhooks/1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: following it would re-send the body somewhere else."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: str, secret: str, delivery_id: str, timeout: float) -> int:
    """POSTs one signed body; returns the HTTP status (raises OSError when nothing answered)."""
    data = body.encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            signing.SIGNATURE_HEADER: signing.sign(secret, timestamp, data),
            signing.TIMESTAMP_HEADER: str(timestamp),
            signing.DELIVERY_HEADER: delivery_id,
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Sender:
    def __init__(self, store: Store, settings: Settings, metrics: Metrics | None = None) -> None:
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.rng = random.Random()

    def _attempt(self, claimed: webhooks.Claimed) -> str:
        status_code: int | None = None
        try:
            status_code = post(
                claimed.url,
                claimed.body,
                claimed.secret,
                claimed.id,
                self.settings.webhook_timeout_seconds,
            )
            error = "" if 200 <= status_code < 300 else f"receiver answered {status_code}"
        except (OSError, ValueError) as failure:  # refused, timeout, DNS, bad URL
            cause = failure.reason if isinstance(failure, urllib.error.URLError) else failure
            name = type(cause).__name__ if isinstance(cause, BaseException) else "URLError"
            error = f"{name}: {cause}"
        with self.store.transaction() as connection:
            if not error:
                webhooks.mark_delivered(connection, claimed.id, status_code or 200)
                outcome = "delivered"
            else:
                retry_in = None
                if claimed.attempts + 1 < self.settings.webhook_max_attempts:
                    retry_in = webhooks.backoff_seconds(
                        claimed.attempts,
                        self.settings.webhook_backoff_base_seconds,
                        self.settings.webhook_backoff_max_seconds,
                        self.rng,
                    )
                status = webhooks.mark_failed_attempt(
                    connection, claimed.id, status_code=status_code, error=error, retry_in=retry_in
                )
                outcome = "retry" if status == "pending" else "failed"
        if self.metrics is not None:
            self.metrics.observe_delivery(outcome)
        if outcome != "delivered":
            log.warning(
                "webhook delivery failed",
                extra={"delivery_id": claimed.id, "outcome": outcome, "reason": error},
            )
        return outcome

    def _claim(self) -> list[webhooks.Claimed]:
        with self.store.transaction() as connection:
            return webhooks.claim_due(connection, BATCH)

    def deliver_due(self) -> list[str]:
        """One pass: sends what is due (sequentially); returns the outcomes."""
        return [self._attempt(c) for c in self._claim()]

    async def run(self) -> None:
        """Sends due deliveries until cancelled; several in parallel, each in its own thread."""
        while True:
            try:
                claimed = await asyncio.to_thread(self._claim)
            except Exception:  # noqa: BLE001 - a store hiccup must not end the sender
                log.exception("could not read the webhook outbox")
                claimed = []
            if claimed:
                results = await asyncio.gather(
                    *(asyncio.to_thread(self._attempt, c) for c in claimed),
                    return_exceptions=True,
                )
                for result in results:
                    if isinstance(result, BaseException):
                        log.error("webhook attempt not recorded: %s", result)
            else:
                await asyncio.sleep(self.settings.webhook_poll_seconds)
