"""Webhook signatures, the way GitHub and Stripe sign theirs.

The signed message is ``"<timestamp>.<body>"`` (timestamp in Unix seconds, body as sent), so a
captured request cannot be replayed later with a fresh timestamp; receivers reject timestamps
older than a few minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Recruitscan-Signature"
TIMESTAMP_HEADER = "X-Recruitscan-Timestamp"
DELIVERY_HEADER = "X-Recruitscan-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is ours for this body and the timestamp is recent enough."""
    if not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
