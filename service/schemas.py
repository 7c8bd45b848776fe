"""Request and response bodies of the HTTP API (and the CLI's JSONL output, which is the same)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.detector import Score


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ScoreRequest(_Strict):
    text: str = Field(description="The message, as received (up to the configured length).")
    id: str | None = Field(None, max_length=200, description="Your id; generated when absent.")


class BatchMessage(_Strict):
    id: str | None = Field(None, max_length=200)
    text: str


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
