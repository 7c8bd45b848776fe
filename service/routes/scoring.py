"""POST /v1/score and /v1/score/batch."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from fastapi import APIRouter, Request

from service.errors import ApiError
from service.routes.deps import DetectorDep, ScoreKey, SettingsDep
from service.routes.texts import check_text
from service.schemas import BatchRequest, BatchResult, ErrorBody, ScoreRequest, ScoreResult
from service.store import Event, NewItem

router = APIRouter(prefix="/v1", tags=["scoring"])
log = logging.getLogger("recruitscan")
_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 403, 413, 422, 503)}


def _record(
    request: Request, results: list[ScoreResult], texts: list[str], keep: list[bool]
) -> None:
    """Keeps asked-for (or, by setting, every review/flag) messages for review and queues the
    webhook deliveries, in one transaction beside the score.

    When storage was asked for and fails, the request fails (503) so the caller can retry and
    nothing is silently lost; when only webhooks were due, the score is still returned and the
    failure is logged and counted.
    """
    store = request.app.state.store
    settings = request.app.state.settings
    keep = [
        k or (settings.store_decisions and r.decision != "pass")
        for k, r in zip(keep, results, strict=True)
    ]
    if store is None:
        if any(keep):
            raise ApiError(
                503,
                "store_unavailable",
                f"the message could not be kept for review: {request.app.state.store_problem}",
            )
        return
    signals = [[s.model_dump() for s in r.signals] for r in results]
    stored: list[NewItem] = []
    positions: list[int | None] = []
    for result, text, wanted, found in zip(results, texts, keep, signals, strict=True):
        positions.append(len(stored) if wanted else None)
        if wanted:
            stored.append(
                NewItem(
                    message_id=result.id,
                    text=text,
                    score=result.score,
                    decision=result.decision,
                    signals=found,
                    language=result.language,
                    model_version=result.model_version,
                )
            )
    try:
        # Only decisions some webhook endpoint subscribes to become events (usually none).
        subscribed = store.subscribed_decisions()
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        events = [
            Event(
                decision=result.decision,
                payload={
                    "id": result.id,
                    "score": result.score,
                    "decision": result.decision,
                    "signals": found,
                    "language": result.language,
                    "model_version": result.model_version,
                    "time": now,
                },
                text=text,
                item=position,
            )
            for result, text, position, found in zip(
                results, texts, positions, signals, strict=True
            )
            if result.decision in subscribed
        ]
        review_ids = store.record_decisions(stored, events)
    except Exception as error:  # noqa: BLE001 - any database failure
        request.app.state.metrics.store_errors.inc(len(results))
        log.error("could not record decisions", extra={"reason": type(error).__name__})
        if stored:
            raise ApiError(
                503,
                "store_unavailable",
                "the message was scored but could not be kept for review; retry the request",
            ) from error
        return
    for result, position in zip(results, positions, strict=True):
        result.review_id = review_ids[position] if position is not None else None


def _score(
    request: Request,
    detector: DetectorDep,
    ids: list[str | None],
    texts: list[str],
    keep: list[bool],
) -> list[ScoreResult]:
    started = time.perf_counter()
    scores = detector.score(texts)
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    results = [
        ScoreResult.build(message_id, score, detector.version)
        for message_id, score in zip(ids, scores, strict=True)
    ]
    request.app.state.metrics.observe_decisions(r.decision for r in results)
    _record(request, results, texts, keep)
    for result, text in zip(results, texts, strict=True):
        log.info(
            "scored",
            extra={
                "id": result.id,
                "length": len(text),
                "score": result.score,
                "decision": result.decision,
                "latency_ms": latency_ms,
                "batch": len(texts),
            },
        )
    return results


@router.post("/score", response_model=ScoreResult, responses=_ERRORS)
def score(
    request: Request,
    body: ScoreRequest,
    detector: DetectorDep,
    settings: SettingsDep,
    _key: ScoreKey,
) -> ScoreResult:
    """Scores one message: score, decision, lure signals and the spans that weighed most."""
    check_text(body.text, "text", settings.max_text_chars)
    return _score(request, detector, [body.id], [body.text], [body.store])[0]


@router.post("/score/batch", response_model=BatchResult, responses=_ERRORS)
def score_batch(
    request: Request,
    body: BatchRequest,
    detector: DetectorDep,
    settings: SettingsDep,
    _key: ScoreKey,
) -> BatchResult:
    """Scores 1 to 1,000 messages; results come back in input order."""
    count = len(body.messages)
    if count == 0:
        raise ApiError(
            422,
            "empty_batch",
            f"messages is empty; send between 1 and {settings.max_batch} messages",
        )
    if count > settings.max_batch:
        raise ApiError(
            422,
            "batch_too_large",
            f"messages has {count} items; send at most {settings.max_batch} per request",
        )
    for index, message in enumerate(body.messages):
        check_text(message.text, f"messages[{index}].text", settings.max_text_chars)
    results = _score(
        request,
        detector,
        [m.id for m in body.messages],
        [m.text for m in body.messages],
        [m.store for m in body.messages],
    )
    return BatchResult(results=results, model_version=detector.version)
