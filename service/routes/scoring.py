"""POST /v1/score and /v1/score/batch."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request

from service.errors import ApiError
from service.routes.deps import DetectorDep, SettingsDep
from service.schemas import BatchRequest, BatchResult, ErrorBody, ScoreRequest, ScoreResult

router = APIRouter(prefix="/v1", tags=["scoring"])
log = logging.getLogger("recruitscan")
_ERRORS = {status: {"model": ErrorBody} for status in (400, 413, 422, 503)}


def _check_text(text: str, where: str, limit: int) -> None:
    if not text.strip():
        raise ApiError(
            422, "empty_text", f"{where} is empty or only whitespace; send the message to score"
        )
    if len(text) > limit:
        raise ApiError(
            422,
            "text_too_long",
            f"{where} has {len(text)} characters; the limit is {limit}. Split the message or score "
            "its first part",
        )


def _score(
    request: Request, detector: DetectorDep, ids: list[str | None], texts: list[str]
) -> list[ScoreResult]:
    started = time.perf_counter()
    scores = detector.score(texts)
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    results = [
        ScoreResult.build(message_id, score, detector.version)
        for message_id, score in zip(ids, scores, strict=True)
    ]
    request.app.state.metrics.observe_decisions(r.decision for r in results)
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
    request: Request, body: ScoreRequest, detector: DetectorDep, settings: SettingsDep
) -> ScoreResult:
    """Scores one message: score, decision, lure signals and the spans that weighed most."""
    _check_text(body.text, "text", settings.max_text_chars)
    return _score(request, detector, [body.id], [body.text])[0]


@router.post("/score/batch", response_model=BatchResult, responses=_ERRORS)
def score_batch(
    request: Request, body: BatchRequest, detector: DetectorDep, settings: SettingsDep
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
        _check_text(message.text, f"messages[{index}].text", settings.max_text_chars)
    results = _score(
        request, detector, [m.id for m in body.messages], [m.text for m in body.messages]
    )
    return BatchResult(results=results, model_version=detector.version)
