"""Scoring, explanation and decisions over one verified artifact.

The pipeline in the artifact has three named steps: ``normalize`` (raw text to normalised text),
``features`` (a FeatureUnion of ``char`` and ``word`` n-grams and ``signals`` counts) and
``classifier`` (a calibrated linear model). The detector runs them step by step so that each
message is normalised once and the same feature matrix feeds both the score and the explanation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from service import artifact
from service.artifact import Manifest
from service.chunking import pooled_scores
from service.language import detect_language
from service.signals import Signal, extract_normalized
from service.text import Normalized, normalize

EXPLANATION_SPANS = 5
_CANDIDATE_FEATURES = 6
_OCCURRENCES_PER_FEATURE = 2


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text and how much it pushed the score (log-odds units)."""

    text: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class Score:
    score: float
    decision: str
    signals: list[Signal]
    explanation: list[Span]
    language: str | None
    thresholds: dict[str, float]


def decide(score: float, thresholds: dict[str, float]) -> str:
    if score >= thresholds["flag"]:
        return "flag"
    if score >= thresholds["review"]:
        return "review"
    return "pass"


class _WordChars(dict):
    """char -> is it part of a word; filled on first sight, then a C-level dict lookup."""

    def __missing__(self, char: str) -> bool:
        value = char.isalnum() or char in "'’@$" or unicodedata.category(char).startswith("M")
        self[char] = value
        return value


_is_word_char = _WordChars().__getitem__


def _expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widens a span to whole words, so "ssp" inside "passport" shows as "passport"."""
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
        end += 1
    return start, end


@lru_cache(maxsize=65536)
def _word_pattern(token: str) -> re.Pattern[str]:
    return re.compile(r"\W+".join(re.escape(part) for part in token.split(" ")))


class Detector:
    """Scores messages with one artifact; immutable, so it can be swapped atomically."""

    def __init__(self, pipeline: Any, manifest: Manifest) -> None:
        # The gradient-boosted combiner predicts through OpenMP; with one request per web-server
        # thread, OpenMP's own thread team per call oversubscribes two cores several times over
        # and made concurrent single-message requests about three times slower.
        threadpool_limits(limits=1, user_api="openmp")
        self.manifest = manifest
        self.version = manifest.version
        self.thresholds = dict(manifest.thresholds)
        self.flag_by_language = dict(manifest.flag_by_language)
        self._features = pipeline.named_steps["features"]
        self._classifier = pipeline.named_steps["classifier"]
        self._coef = self._linear_coefficients(self._classifier)
        names = self._features.get_feature_names_out()
        self._feature_kind: list[str] = []
        self._feature_token: list[str] = []
        for name in names:
            kind, _, token = str(name).partition("__")
            self._feature_kind.append(kind)
            self._feature_token.append(token)

    @classmethod
    def from_directory(cls, directory: Path) -> Detector:
        pipeline, manifest = artifact.load(directory)
        return cls(pipeline, manifest)

    @staticmethod
    def _linear_coefficients(classifier: Any) -> np.ndarray:
        calibrated = getattr(classifier, "calibrated_classifiers_", None)
        if calibrated:
            return np.mean([c.estimator.coef_[0] for c in calibrated], axis=0)
        return np.asarray(classifier.coef_[0])

    def score(self, texts: Sequence[str], *, explain: bool = True) -> list[Score]:
        """Scores a batch; ``explain=False`` leaves explanations empty (bulk evaluation)."""
        if not texts:
            return []
        normalized = [normalize(t) for t in texts]
        matrix = self._features.transform([n.text for n in normalized])
        probabilities = pooled_scores(
            self._probabilities, texts, self._classifier.predict_proba(matrix)[:, 1]
        )
        contributions = matrix.multiply(self._coef).tocsr() if explain else None
        results = []
        for row, (text, norm) in enumerate(zip(texts, normalized, strict=True)):
            signals = extract_normalized(text, norm)
            explanation: list[Span] = []
            if explain:
                start, end = contributions.indptr[row], contributions.indptr[row + 1]
                explanation = self._explain(
                    text,
                    norm,
                    signals,
                    contributions.indices[start:end],
                    contributions.data[start:end],
                )
            value = float(probabilities[row])
            language = detect_language(text)
            thresholds = self.thresholds_for(language)
            results.append(
                Score(
                    score=value,
                    decision=decide(value, thresholds),
                    signals=signals,
                    explanation=explanation,
                    language=language,
                    thresholds=thresholds,
                )
            )
        return results

    def _probabilities(self, texts: list[str]) -> np.ndarray:
        matrix = self._features.transform([normalize(t).text for t in texts])
        return self._classifier.predict_proba(matrix)[:, 1]

    def thresholds_for(self, language: str | None) -> dict[str, float]:
        """The thresholds that apply to a message: a language's own flag cap, where it has one."""
        cap = self.flag_by_language.get(language or "")
        if cap is None:
            return self.thresholds
        return {**self.thresholds, "flag": max(cap, self.thresholds["flag"])}

    def _locate(
        self, feature: int, norm: Normalized, signals: list[Signal]
    ) -> list[tuple[int, int]]:
        """Original-text spans where a feature occurs (at most a few)."""
        kind, token = self._feature_kind[feature], self._feature_token[feature]
        spans: list[tuple[int, int]] = []
        if kind == "char":
            padded = f" {norm.text} "
            position = padded.find(token)
            while position != -1 and len(spans) < _OCCURRENCES_PER_FEATURE:
                begin = max(0, position - 1)
                finish = min(len(norm.text), position - 1 + len(token))
                stripped = norm.text[begin:finish]
                begin += len(stripped) - len(stripped.lstrip())
                finish -= len(stripped) - len(stripped.rstrip())
                if finish > begin:
                    spans.append(norm.to_original(begin, finish))
                position = padded.find(token, position + 1)
        elif kind == "word" and " " not in token:
            text = norm.text
            position = text.find(token)
            while position != -1 and len(spans) < _OCCURRENCES_PER_FEATURE:
                end = position + len(token)
                before = text[position - 1] if position else " "
                after = text[end] if end < len(text) else " "
                if not _is_word_char(before) and not _is_word_char(after):
                    spans.append(norm.to_original(position, end))
                position = text.find(token, position + 1)
        elif kind == "word":
            for match in _word_pattern(token).finditer(norm.text):
                spans.append(norm.to_original(match.start(), match.end()))
                if len(spans) >= _OCCURRENCES_PER_FEATURE:
                    break
        elif kind == "signals" and token.startswith("lure:"):
            lure = token.removeprefix("lure:")
            spans = [(s.start, s.end) for s in signals if s.type == lure][:_OCCURRENCES_PER_FEATURE]
        return spans

    def _explain(
        self,
        text: str,
        norm: Normalized,
        signals: list[Signal],
        indices: np.ndarray,
        values: np.ndarray,
    ) -> list[Span]:
        if values.size == 0:
            return []
        order = np.argsort(-values)[:_CANDIDATE_FEATURES]
        weights: dict[tuple[int, int], float] = {}
        for position in order:
            value = float(values[position])
            if value <= 0:
                break
            spans = self._locate(int(indices[position]), norm, signals)
            for start, end in spans:
                key = _expand_to_words(text, start, end)
                weights[key] = weights.get(key, 0.0) + value / len(spans)
        chosen: list[Span] = []
        for (start, end), weight in sorted(weights.items(), key=lambda item: -item[1]):
            if any(start < span.end and span.start < end for span in chosen):
                continue
            chosen.append(Span(text[start:end], start, end, round(weight, 4)))
            if len(chosen) == EXPLANATION_SPANS:
                break
        return chosen
