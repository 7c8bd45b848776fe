"""The checks every endpoint that takes a message's text applies to it (scoring, feedback)."""

from __future__ import annotations

from service.errors import ApiError


def check_text(text: str, where: str, limit: int, action: str = "score") -> None:
    """422 for an empty or over-long text; ``action`` names what the caller was doing."""
    if not text.strip():
        raise ApiError(
            422,
            "empty_text",
            f"{where} is empty or only whitespace; send the message to {action}",
        )
    if len(text) > limit:
        raise ApiError(
            422,
            "text_too_long",
            f"{where} has {len(text)} characters; the limit is {limit}. Split the message or "
            f"{action} its first part",
        )
