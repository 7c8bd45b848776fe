"""Opaque pagination cursors and ISO times for the listing endpoints."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from service.errors import ApiError


def encode_cursor(seq: int | None) -> str | None:
    return None if seq is None else base64.urlsafe_b64encode(f"s{seq}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith("s") or not raw[1:].isdigit():
            raise ValueError(raw)
        return int(raw[1:])
    except (ValueError, UnicodeError) as error:
        raise ApiError(
            400, "invalid_cursor", "cursor is not one this API returned; start without it"
        ) from error


def iso_times(row: dict[str, Any]) -> dict[str, Any]:
    """Naive UTC datetimes from the store as ISO 8601 strings with a Z."""
    return {k: (v.isoformat() + "Z" if isinstance(v, datetime) else v) for k, v in row.items()}
