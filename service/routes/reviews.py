"""The review queue, reviewers' verdicts, feedback, and the export for retraining."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from service.errors import ApiError
from service.labels import KINDS, LANGUAGES, label_for_kind
from service.language import detect_language
from service.routes.deps import ReviewKey, SettingsDep, StoreDep
from service.routes.pages import decode_cursor, encode_cursor, iso_times
from service.routes.texts import check_text
from service.schemas import ErrorBody, FeedbackRequest, ReviewItem, ReviewPage, Verdict
from service.store import reviews

router = APIRouter(prefix="/v1", tags=["review"])
_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 403, 404, 422, 503)}


def _item(row: dict[str, Any]) -> ReviewItem:
    row = iso_times(row)
    if row.get("history") is not None:
        row["history"] = [iso_times(h) for h in row["history"]]
    return ReviewItem(**row)


def _not_found(item_id: str) -> ApiError:
    return ApiError(404, "review_not_found", f"no review item {item_id!r} (purged or never stored)")


def _check_kind(kind: str | None, label: int) -> None:
    if kind is None:
        return
    if kind not in KINDS:
        raise ApiError(422, "unknown_kind", f"kind must be one of: {', '.join(KINDS)}")
    if label_for_kind(kind) != label:
        raise ApiError(
            422, "kind_label_mismatch", f"kind '{kind}' means label {label_for_kind(kind)}"
        )


@router.get("/reviews", response_model=ReviewPage, responses=_ERRORS)
def list_reviews(
    store: StoreDep,
    _key: ReviewKey,
    status: Literal["pending", "labelled"] | None = None,
    decision: Literal["pass", "review", "flag"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = None,
) -> ReviewPage:
    """Stored items, newest first; follow ``next_cursor`` for older ones."""
    with store.reading() as connection:
        rows, next_seq = reviews.list_items(
            connection,
            status=status,
            decision=decision,
            limit=limit,
            before_seq=decode_cursor(cursor),
        )
    return ReviewPage(items=[_item(r) for r in rows], next_cursor=encode_cursor(next_seq))


@router.get("/reviews/export", responses=_ERRORS)
def export_reviews(store: StoreDep, _key: ReviewKey, format: str = "jsonl") -> StreamingResponse:
    """Every labelled item, one JSON object per line, in the schema of ``data/``."""
    if format != "jsonl":
        raise ApiError(400, "unsupported_format", "format must be 'jsonl'")

    def lines() -> Iterator[bytes]:
        with store.reading() as connection:
            for record in reviews.labelled_records(connection):
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="recruitscan-verdicts.jsonl"'},
    )


@router.get("/reviews/{item_id}", response_model=ReviewItem, responses=_ERRORS)
def get_review(item_id: str, store: StoreDep, _key: ReviewKey) -> ReviewItem:
    """One item with every verdict it received."""
    with store.reading() as connection:
        row = reviews.get_item(connection, item_id)
    if row is None:
        raise _not_found(item_id)
    return _item(row)


@router.post("/reviews/{item_id}/decision", response_model=ReviewItem, responses=_ERRORS)
def decide(
    item_id: str, body: Verdict, request: Request, store: StoreDep, _key: ReviewKey
) -> ReviewItem:
    """Records a verdict; the same verdict again changes nothing, a new one replaces it (audited)."""
    _check_kind(body.kind, body.label)
    with store.transaction() as connection:
        row, _changed = reviews.record_verdict(
            connection,
            item_id,
            label=body.label,
            kind=body.kind,
            reviewer=body.reviewer,
            note=body.note,
        )
    if row is None:
        raise _not_found(item_id)
    return _item(row)


@router.post("/feedback", response_model=ReviewItem, status_code=201, responses=_ERRORS)
def feedback(
    body: FeedbackRequest, store: StoreDep, settings: SettingsDep, _key: ReviewKey
) -> ReviewItem:
    """A labelled message that did not come through the queue (a missed offer, a false alarm)."""
    check_text(body.text, "text", settings.max_text_chars, action="label")
    _check_kind(body.kind, body.label)
    if body.lang is not None and body.lang not in LANGUAGES:
        raise ApiError(422, "unknown_lang", f"lang must be one of: {', '.join(LANGUAGES)}")
    with store.transaction() as connection:
        row, _created = reviews.insert_feedback(
            connection,
            text=body.text,
            label=body.label,
            kind=body.kind,
            reviewer=body.reviewer,
            note=body.note,
            message_id=body.id,
            language=body.lang or detect_language(body.text),
        )
    return _item(row)
