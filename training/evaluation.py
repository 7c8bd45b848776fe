"""Evaluating a served model on any labelled JSONL file (the test split, real traffic, ...)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from service.detector import Detector
from training.dataset import DataError, read_jsonl
from training.metrics import Labelled, evaluate, format_report

BATCH = 1_000


def read_labelled(path: Path) -> Iterator[dict[str, Any]]:
    """Rows with at least ``text`` and a 0/1 ``label``; lang, kind and source are optional."""
    for number, row in enumerate(read_jsonl(path), start=1):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise DataError(f"{path}:{number}: each line needs a string 'text'")
        if row.get("label") not in (0, 1):
            raise DataError(f"{path}:{number}: each line needs 'label' 0 or 1")
        yield row


def score_file(detector: Detector, path: Path) -> list[Labelled]:
    items: list[Labelled] = []
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        for row, result in zip(
            batch, detector.score([r["text"] for r in batch], explain=False), strict=True
        ):
            items.append(
                Labelled(
                    int(row["label"]),
                    result.score,
                    str(row.get("lang") or result.language or "unknown"),
                    str(row.get("kind") or "unknown"),
                    str(row.get("source") or path.name),
                    result.thresholds["flag"],
                )
            )
        batch.clear()

    for row in read_labelled(path):
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    return items


def evaluate_file(
    detector: Detector, path: Path, name: str | None = None
) -> tuple[dict[str, Any], str, list[Labelled]]:
    """(metrics, printable report, scored items) of ``detector`` on ``path`` (``name`` titles it)."""
    items = score_file(detector, path)
    if not items:
        raise DataError(f"{path} holds no messages")
    metrics = evaluate(items, detector.thresholds)
    metrics["model_version"] = detector.version
    metrics["data"] = str(path)
    return metrics, format_report(f"{name or path.name} — model {detector.version}", metrics), items


def write_json(metrics: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
