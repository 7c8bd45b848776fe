"""Scoring long messages paragraph by paragraph as well as whole.

An offer is often one paragraph in a long post (greetings, news, family matters, then the pitch).
Scored whole, its words are a small share of the text and the score stays low; scored on its own
it is plainly an offer. A message's score is the highest of its whole-text score and the scores
of its paragraph chunks. Training chooses thresholds with the same function, so the thresholds
mean the same thing in both places.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

MIN_CHUNK_CHARS = 200
_PARAGRAPHS = re.compile(r"\n+")


def chunks(text: str) -> list[str]:
    """Paragraph chunks of at least ``MIN_CHUNK_CHARS`` characters; empty for short texts."""
    if len(text) < 2 * MIN_CHUNK_CHARS:
        return []
    merged: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in _PARAGRAPHS.split(text)):
        if not paragraph:
            continue
        current = f"{current}\n{paragraph}" if current else paragraph
        if len(current) >= MIN_CHUNK_CHARS:
            merged.append(current)
            current = ""
    if current:
        if merged and len(current) < MIN_CHUNK_CHARS:
            merged[-1] = f"{merged[-1]}\n{current}"
        else:
            merged.append(current)
    return merged if len(merged) > 1 else []


def pooled_scores(
    score: Callable[[list[str]], np.ndarray], texts: Sequence[str], whole: np.ndarray | None = None
) -> np.ndarray:
    """Per text, the maximum of its whole-text score and its chunks' scores."""
    result = np.asarray(score(list(texts)) if whole is None else whole, dtype=float).copy()
    owners: list[int] = []
    pieces: list[str] = []
    for index, text in enumerate(texts):
        for piece in chunks(text):
            owners.append(index)
            pieces.append(piece)
    if pieces:
        np.maximum.at(result, np.asarray(owners), np.asarray(score(pieces), dtype=float))
    return result
