"""Request and response bodies of the HTTP API (and the CLI's JSONL output, which is the same)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.detector import Score


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


_STORE = Field(
    False,
    description="Keep this message (text included) in the review queue, whatever its decision.",
)


class ScoreRequest(_Strict):
    text: str = Field(description="The message, as received (up to the configured length).")
    id: str | None = Field(None, max_length=200, description="Your id; generated when absent.")
    store: bool = _STORE


class BatchMessage(_Strict):
    id: str | None = Field(None, max_length=200)
    text: str
    store: bool = _STORE


class BatchRequest(_Strict):
    messages: list[BatchMessage]


class SignalOut(BaseModel):
    type: str
    text: str
    start: int
    end: int


class SpanOut(BaseModel):
    text: str
    start: int
    end: int
    weight: float


class Thresholds(BaseModel):
    review: float
    flag: float


class ScoreResult(BaseModel):
    id: str
    score: float = Field(ge=0.0, le=1.0)
    decision: Literal["pass", "review", "flag"]
    flagged: bool
    thresholds: Thresholds
    signals: list[SignalOut]
    explanation: list[SpanOut]
    language: str | None
    model_version: str
    review_id: str | None = Field(
        None, description="The review item's id when the message was kept for review."
    )

    @classmethod
    def build(cls, message_id: str | None, score: Score, model_version: str) -> ScoreResult:
        return cls(
            id=message_id if message_id is not None else str(uuid.uuid4()),
            score=round(score.score, 6),
            decision=score.decision,
            flagged=score.decision == "flag",
            thresholds=Thresholds(**score.thresholds),
            signals=[
                SignalOut(type=s.type, text=s.text, start=s.start, end=s.end) for s in score.signals
            ],
            explanation=[
                SpanOut(text=s.text, start=s.start, end=s.end, weight=s.weight)
                for s in score.explanation
            ],
            language=score.language,
            model_version=model_version,
        )


class BatchResult(BaseModel):
    results: list[ScoreResult]
    model_version: str


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str
    model_version: str | None = None


# Review queue, feedback, webhooks and admin ---------------------------------------------------


class Verdict(_Strict):
    label: Literal[0, 1] = Field(description="1: a recruitment offer; 0: not one.")
    reviewer: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=5000)
    kind: str | None = Field(
        None, description="Optional kind from the label policy (e.g. warning, news, offer)."
    )


class FeedbackRequest(_Strict):
    text: str
    label: Literal[0, 1]
    reviewer: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=5000)
    id: str | None = Field(
        None, max_length=200, description="Your id; sending it again updates that item."
    )
    kind: str | None = None
    lang: str | None = Field(None, description="Language code; guessed when absent.")


class VerdictOut(BaseModel):
    label: int
    kind: str | None
    reviewer: str
    note: str | None
    decided_at: str
    replaced_label: int | None


class ReviewItem(BaseModel):
    id: str
    message_id: str | None
    origin: Literal["queue", "feedback"]
    status: Literal["pending", "labelled"]
    text: str
    score: float | None
    decision: str | None
    signals: list[SignalOut]
    language: str | None
    model_version: str | None
    created_at: str
    label: int | None
    kind: str | None
    reviewer: str | None
    note: str | None
    decided_at: str | None
    history: list[VerdictOut] | None = None


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end."
    )


class WebhookRequest(_Strict):
    url: str = Field(min_length=8, max_length=2000)
    secret: str = Field(min_length=16, max_length=500, description="Shared HMAC secret.")
    events: list[Literal["flag", "review", "pass"]] = Field(
        default=["flag", "review"], min_length=1
    )
    include_text: bool = False


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    include_text: bool
    created_at: str


class DeliveryOut(BaseModel):
    id: str
    webhook_id: str
    event: str
    status: Literal["pending", "delivered", "failed", "cancelled"]
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    created_at: str
    delivered_at: str | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class ReloadResult(BaseModel):
    model_version: str | None
    changed: bool
    previous_version: str | None
