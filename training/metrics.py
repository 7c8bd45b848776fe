"""Threshold choice and the evaluation figures every report is made of."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve

FLAG_PRECISION = 0.95
REVIEW_RECALL = 0.98


@dataclass(frozen=True)
class Labelled:
    """One evaluated message: its truth, its score, and what to break figures down by."""

    label: int
    score: float
    lang: str
    kind: str
    source: str
    flag: float | None = None  # the message's own flag threshold (a language cap), if any


MAX_NEGATIVE_FP_RATE = 0.01
MAX_WARNING_FP_RATE = 0.05
MIN_FLAGGED_FOR_PRECISION = 40


def choose_thresholds(
    labels: Sequence[int], scores: Sequence[float], warnings: Sequence[bool] | None = None
) -> tuple[dict[str, float], dict[str, str]]:
    """Picks both thresholds on validation data.

    ``flag`` is the lowest threshold at which, on validation, precision stays >= 0.95 there and at
    every higher threshold that flags at least 40 messages, at most 1% of negatives are flagged,
    and at most 5% of warnings (the hardest negatives) are flagged. Validation holds far more positives than real traffic, so
    precision alone would set the line too low for a feed where recruitment is rare; the
    false-positive caps keep it where ordinary traffic stays quiet.

    The caps count whole messages, rounded up (5% of 92 warnings allows 5): a validation set
    holds few warnings per language, and a cap that one message can breach would trade many
    points of recall for a single warning.

    ``review`` is the highest threshold that still catches 98% of validation positives, never
    above ``flag``.
    """
    y = np.asarray(labels)
    s = np.asarray(scores, dtype=float)
    if y.sum() == 0 or y.sum() == len(y):
        raise ValueError("threshold choice needs both positive and negative validation messages")
    is_warning = (
        np.asarray(warnings, dtype=bool) if warnings is not None else np.zeros(len(y), bool)
    )
    precision, recall, thresholds = precision_recall_curve(y, s)
    precision, recall = precision[:-1], recall[:-1]
    flagged = len(s) - np.searchsorted(np.sort(s), thresholds, side="left")
    # "At and above" looks only at thresholds that flag enough messages for a precision to mean
    # something: otherwise one warning scored above nearly every offer sinks every threshold.
    settled = np.where(flagged >= MIN_FLAGGED_FOR_PRECISION, precision, 1.0)
    holds = (np.minimum.accumulate(settled[::-1])[::-1] >= FLAG_PRECISION) & (
        precision >= FLAG_PRECISION
    )
    negatives = np.sort(s[y == 0])
    warning_scores = np.sort(s[(y == 0) & is_warning])
    ok = (
        holds
        & (_flagged_counts(negatives, thresholds) <= _allowed(MAX_NEGATIVE_FP_RATE, len(negatives)))
        & (
            _flagged_counts(warning_scores, thresholds)
            <= _allowed(MAX_WARNING_FP_RATE, len(warning_scores))
        )
    )
    flag = float(thresholds[np.argmax(ok)]) if ok.any() else float(s.max())
    reaching = np.nonzero(recall >= REVIEW_RECALL)[0]
    review = float(thresholds[reaching[-1]]) if reaching.size else float(thresholds[0])
    review = min(review, flag)
    method = {
        "flag": (
            f"lowest validation threshold with precision >= {FLAG_PRECISION} at and above it "
            f"(above it: where >= {MIN_FLAGGED_FOR_PRECISION} messages are flagged), "
            f"<= {MAX_NEGATIVE_FP_RATE:.0%} of negatives and <= {MAX_WARNING_FP_RATE:.0%} of "
            "warnings flagged (whole messages, rounded up)"
        ),
        "review": f"highest validation threshold keeping recall >= {REVIEW_RECALL}, capped at flag",
    }
    return {"review": round(review, 6), "flag": round(flag, 6)}, method


MIN_LANGUAGE_POSITIVES = 15


def language_flag_caps(
    labels: Sequence[int], scores: Sequence[float], languages: Sequence[str], flag: float
) -> tuple[dict[str, float], dict[str, dict[str, float | int]]]:
    """Per-language flag thresholds where the global one misses the precision target.

    For each language with at least 15 validation positives, precision at the global ``flag``
    is measured; where it is below 0.95 the language gets its own, higher threshold (the lowest
    one at which its precision holds at and above). Returns (caps, precision table).
    """
    y, s, lang = np.asarray(labels), np.asarray(scores, dtype=float), np.asarray(languages)
    caps: dict[str, float] = {}
    table: dict[str, dict[str, float | int]] = {}
    for language in sorted(set(languages)):
        mask = lang == language
        positives = int(y[mask].sum())
        flagged = s[mask] >= flag
        precision = float(y[mask][flagged].mean()) if flagged.any() else 1.0
        table[language] = {
            "positives": positives,
            "flagged": int(flagged.sum()),
            "precision_at_flag": round(precision, 4),
        }
        if (
            positives < MIN_LANGUAGE_POSITIVES
            or precision >= FLAG_PRECISION
            or mask.sum() == positives
        ):
            continue
        p, _, t = precision_recall_curve(y[mask], s[mask])
        holds = (np.minimum.accumulate(p[:-1][::-1])[::-1] >= FLAG_PRECISION) & (t >= flag)
        caps[language] = round(
            float(t[np.argmax(holds)]) if holds.any() else float(s[mask].max()), 6
        )
        table[language]["cap"] = caps[language]
    return caps, table


def _flagged_counts(sorted_scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return len(sorted_scores) - np.searchsorted(sorted_scores, thresholds, side="left")


def _allowed(rate: float, count: int) -> int:
    return math.ceil(rate * count - 1e-9)


def _at(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float | int]:
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    negatives = int((labels == 0).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "false_positive_rate": round(fp / negatives, 5) if negatives else 0.0,
    }


def evaluate(items: Sequence[Labelled], thresholds: dict[str, float]) -> dict[str, Any]:
    """Every figure the reports quote, as plain JSON-ready values."""
    labels = np.asarray([i.label for i in items])
    scores = np.asarray([i.score for i in items], dtype=float)
    result: dict[str, Any] = {
        "messages": len(items),
        "positives": int(labels.sum()),
        "thresholds": thresholds,
        "average_precision": (
            round(float(average_precision_score(labels, scores)), 4)
            if 0 < labels.sum() < len(labels)
            else None
        ),
    }
    flags = np.asarray([i.flag if i.flag is not None else thresholds["flag"] for i in items])
    result["at_review"] = _at(labels, (scores >= thresholds["review"]).astype(int))
    result["at_flag"] = _at(labels, (scores >= flags).astype(int))
    flag = thresholds["flag"]
    by_lang: dict[str, list[Labelled]] = defaultdict(list)
    by_kind: dict[str, list[Labelled]] = defaultdict(list)
    by_source: dict[str, list[Labelled]] = defaultdict(list)
    for item in items:
        by_lang[item.lang].append(item)
        by_kind[item.kind].append(item)
        by_source[item.source].append(item)

    def breakdown(groups: dict[str, list[Labelled]], label: int) -> dict[str, Any]:
        figure = _group_recall if label == 1 else _group_false_positives
        return {
            name: figure(group, flag)
            for name, group in sorted(groups.items())
            if any(i.label == label for i in group)
        }

    result["recall_by_language"] = breakdown(by_lang, 1)
    result["false_positives_by_kind"] = breakdown(by_kind, 0)
    result["false_positives_by_source"] = breakdown(by_source, 0)
    result["false_positives_by_language"] = breakdown(by_lang, 0)
    result["warning_false_positives_by_language"] = {
        lang: _group_false_positives(warnings, flag)
        for lang, group in sorted(by_lang.items())
        if (warnings := [i for i in group if i.kind == "warning"])
    }
    result["decisions"] = dict(
        Counter(
            "flag" if _flagged(i, flag) else "review" if i.score >= thresholds["review"] else "pass"
            for i in items
        )
    )
    return result


def _flagged(item: Labelled, threshold: float) -> bool:
    return item.score >= (item.flag if item.flag is not None else threshold)


def _group_recall(group: list[Labelled], threshold: float) -> dict[str, float | int]:
    positives = [i for i in group if i.label == 1]
    caught = sum(1 for i in positives if _flagged(i, threshold))
    return {
        "positives": len(positives),
        "caught": caught,
        "recall": round(caught / len(positives), 4),
    }


def _group_false_positives(group: list[Labelled], threshold: float) -> dict[str, float | int]:
    negatives = [i for i in group if i.label == 0]
    flagged = sum(1 for i in negatives if _flagged(i, threshold))
    return {
        "negatives": len(negatives),
        "flagged": flagged,
        "rate": round(flagged / len(negatives), 5),
    }


def format_report(title: str, metrics: dict[str, Any]) -> str:
    """The human-readable form printed by ``recruitscan evaluate``."""
    lines = [f"# {title}", ""]
    lines.append(f"messages: {metrics['messages']}  positives: {metrics['positives']}")
    lines.append(f"average precision: {metrics['average_precision']}")
    for name in ("review", "flag"):
        at = metrics[f"at_{name}"]
        lines.append(
            f"at {name} threshold {metrics['thresholds'][name]:.4f}: precision {at['precision']:.4f}"
            f"  recall {at['recall']:.4f}  F1 {at['f1']:.4f}  false positives {at['false_positives']}"
            f" (rate {at['false_positive_rate']:.5f})"
        )
    lines += ["", "recall by language (flag threshold):"]
    for lang, row in metrics["recall_by_language"].items():
        lines.append(f"  {lang:<8} {row['caught']:>5}/{row['positives']:<5} {row['recall']:.4f}")
    for key, heading in (
        ("false_positives_by_kind", "false positives by kind (flag threshold):"),
        ("false_positives_by_source", "false positives by source (flag threshold):"),
        ("warning_false_positives_by_language", "warnings flagged, by language (flag threshold):"),
    ):
        if not metrics[key]:
            continue
        lines += ["", heading]
        for name, row in metrics[key].items():
            lines.append(
                f"  {name:<26} {row['flagged']:>5}/{row['negatives']:<6} {row['rate']:.5f}"
            )
    return "\n".join(lines) + "\n"
