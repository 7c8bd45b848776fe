"""Retraining with reviewers' verdicts, and the gate a challenger must pass to go live.

The challenger is trained on ``data/`` plus the verdicts (training split only). Champion and
challenger are then scored by the same runtime the service uses (thresholds and language caps
included) on the same frozen held-out sets: the test split of ``data/`` (its membership is a
hash of each group's name, so it never moves) and the same split with one seeded obfuscation per
message. The challenger goes live only if, on every set, its average precision and its recall
at the flag threshold are not worse than the champion's beyond the tolerances below, and its
false-positive rate at the flag threshold is not higher at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from service import artifact
from service.detector import Detector
from training.augment import random_obfuscation
from training.dataset import DataError, Record, load_records, parse_record, split_records
from training.train import train_model

AP_TOLERANCE = 0.005
RECALL_TOLERANCE = 0.01
LOG_NAME = "retrain-log.jsonl"


@dataclass
class Figures:
    average_precision: float
    recall_at_flag: float
    fp_rate_at_flag: float
    positives: int
    negatives: int


@dataclass
class GateResult:
    champion: str | None
    challenger: str
    promoted: bool
    reasons: list[str] = field(default_factory=list)
    sets: dict[str, dict[str, Figures | None]] = field(default_factory=dict)
    verdicts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def verdict_records(rows: list[dict[str, Any]], where: str) -> list[Record]:
    """Exported verdicts (the data schema) as training records; extra fields are ignored."""
    records = [parse_record(row, f"{where}:{n}") for n, row in enumerate(rows, start=1)]
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise DataError(f"{where}: id {record.id!r} appears twice")
        seen.add(record.id)
    return records


def read_verdict_file(path: Path) -> list[Record]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from error
    return verdict_records(rows, str(path))


def read_store_verdicts(url: str) -> list[Record]:
    from service.store import Store, reviews

    store = Store.open(url)
    try:
        with store.reading() as connection:
            rows = list(reviews.labelled_records(connection))
    finally:
        store.dispose()
    return verdict_records(rows, "store")


def held_out_sets(data_dir: Path, seed: int) -> dict[str, tuple[list[str], np.ndarray]]:
    """The frozen sets champion and challenger are compared on."""
    test = split_records(load_records(data_dir)).test
    labels = np.asarray([r.label for r in test])
    clean = [r.text for r in test]
    obfuscated = [random_obfuscation(text, seed)[1] for text in clean]
    return {"test": (clean, labels), "test_obfuscated": (obfuscated, labels)}


def figures(detector: Detector, texts: list[str], labels: np.ndarray) -> Figures:
    results = detector.score(texts)
    scores = np.asarray([r.score for r in results])
    flagged = np.asarray([r.decision == "flag" for r in results])
    positives, negatives = labels == 1, labels == 0
    return Figures(
        average_precision=round(float(average_precision_score(labels, scores)), 4),
        recall_at_flag=round(float(flagged[positives].mean()), 4),
        fp_rate_at_flag=round(float(flagged[negatives].mean()), 5),
        positives=int(positives.sum()),
        negatives=int(negatives.sum()),
    )


def gate(champion: Figures, challenger: Figures, name: str) -> list[str]:
    """Why the challenger is worse on this set; empty when it may go live."""
    reasons = []
    if challenger.average_precision < champion.average_precision - AP_TOLERANCE:
        reasons.append(
            f"{name}: average precision {challenger.average_precision} < champion "
            f"{champion.average_precision} - {AP_TOLERANCE}"
        )
    if challenger.recall_at_flag < champion.recall_at_flag - RECALL_TOLERANCE:
        reasons.append(
            f"{name}: recall at flag {challenger.recall_at_flag} < champion "
            f"{champion.recall_at_flag} - {RECALL_TOLERANCE}"
        )
    if challenger.fp_rate_at_flag > champion.fp_rate_at_flag:
        reasons.append(
            f"{name}: false-positive rate at flag {challenger.fp_rate_at_flag} > champion "
            f"{champion.fp_rate_at_flag}"
        )
    return reasons


def _champion(model_dir: Path) -> Detector | None:
    if artifact.current_version(model_dir) is None:
        return None
    try:
        return Detector.from_directory(artifact.resolve(model_dir))
    except artifact.ArtifactError:
        return None


def retrain(
    data_dir: Path,
    model_dir: Path,
    verdicts: list[Record],
    *,
    design: str = "stacked",
    seed: int = 13,
) -> GateResult:
    """Trains a challenger, compares it with the current model, and promotes it if it passes."""
    champion = _champion(model_dir)
    manifest = train_model(
        data_dir, model_dir, design=design, seed=seed, extra_train=verdicts, make_current=False
    )
    challenger = Detector.from_directory(model_dir / manifest.version)
    result = GateResult(
        champion=champion.version if champion else None,
        challenger=manifest.version,
        promoted=False,
        verdicts=len(verdicts),
    )
    for name, (texts, labels) in held_out_sets(data_dir, seed).items():
        theirs = figures(challenger, texts, labels)
        ours = figures(champion, texts, labels) if champion else None
        result.sets[name] = {"champion": ours, "challenger": theirs}
        if ours is not None:
            result.reasons += gate(ours, theirs, name)
    result.promoted = not result.reasons
    if champion is None:
        result.reasons.append("there was no verifiable current model, so the challenger goes live")
    if result.promoted:
        artifact.set_current(model_dir, manifest.version, action="retrain")
    _log(model_dir, result)
    return result


def _log(model_dir: Path, result: GateResult) -> None:
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **result.to_dict()}
    with (model_dir / LOG_NAME).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def describe(result: GateResult) -> str:
    lines = [
        f"champion {result.champion or '(none)'} vs challenger {result.challenger} "
        f"(trained with {result.verdicts} reviewer verdicts)",
        f"{'set':<17}{'model':<12}{'AP':>8}{'recall@flag':>13}{'FP rate@flag':>14}",
    ]
    for name, pair in result.sets.items():
        for role, fig in pair.items():
            if fig is not None:
                lines.append(
                    f"{name:<17}{role:<12}{fig.average_precision:>8.4f}"
                    f"{fig.recall_at_flag:>13.4f}{fig.fp_rate_at_flag:>14.5f}"
                )
    lines.append(
        f"gate: AP and recall may drop by at most {AP_TOLERANCE} and {RECALL_TOLERANCE}; "
        "the false-positive rate may not rise"
    )
    if result.promoted:
        lines += [f"note: {reason}" for reason in result.reasons]
        lines.append(f"promoted {result.challenger}: models/current now points at it")
    else:
        lines.append(f"kept {result.champion}; the challenger stays in models/ unpromoted because:")
        lines += [f"  - {reason}" for reason in result.reasons]
    return "\n".join(lines)
