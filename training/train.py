"""Training: split, fit, choose thresholds on validation, measure on test, save, reload, compare."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from service import artifact
from service.artifact import Manifest
from service.chunking import pooled_scores
from service.detector import Detector
from service.labels import LABEL_POLICY_VERSION
from training.augment import OBFUSCATIONS, obfuscate, random_obfuscation
from training.dataset import Record, Splits, data_fingerprint, load_records, split_records
from training.metrics import Labelled, choose_thresholds, evaluate, language_flag_caps
from training.pipeline import build_pipeline


def _texts_labels(records: list[Record]) -> tuple[list[str], np.ndarray]:
    return [r.text for r in records], np.asarray([r.label for r in records])


def _labelled(records: list[Record], scores: np.ndarray) -> list[Labelled]:
    return [
        Labelled(r.label, float(s), r.lang, r.kind, r.source)
        for r, s in zip(records, scores, strict=True)
    ]


def new_version(fingerprint: str) -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + fingerprint[:8]


def train_model(
    data_dir: Path,
    model_dir: Path,
    *,
    design: str = "stacked",
    seed: int = 13,
    records: list[Record] | None = None,
    make_current: bool = True,
    augment: bool = True,
    extra_train: list[Record] | None = None,
) -> Manifest:
    """Trains one model from ``data_dir`` (or ``records``) into ``model_dir/<version>``.

    ``extra_train`` (reviewers' verdicts) joins the training split only, so validation and test
    stay exactly the held-out sets earlier models were measured on.
    """
    random.seed(seed)
    np.random.seed(seed)
    records = records if records is not None else load_records(data_dir)
    splits: Splits = split_records(records)
    extra = list(extra_train or [])
    for record in extra:
        record.split_group = record.split_group or record.group
    splits.train = splits.train + extra
    for name in ("train", "validation", "test"):
        if len({r.label for r in getattr(splits, name)}) < 2:
            raise ValueError(f"the {name} split needs both labels; add more data")
    pipeline = build_pipeline(design, seed=seed)
    train_records = splits.train + (augmented(splits.train, seed) if augment else [])
    train_texts, train_labels = _texts_labels(train_records)
    pipeline.fit(train_texts, train_labels, **fit_params(design, train_records))

    validation_texts, validation_labels = _texts_labels(splits.validation)
    validation_scores = pooled_scores(scorer(pipeline), validation_texts)
    thresholds, method = choose_thresholds(
        validation_labels, validation_scores, [r.kind == "warning" for r in splits.validation]
    )
    caps, language_precision = language_flag_caps(
        validation_labels,
        validation_scores,
        [r.lang for r in splits.validation],
        thresholds["flag"],
    )
    test_texts, _ = _texts_labels(splits.test)
    test_scores = pooled_scores(scorer(pipeline), test_texts)

    fingerprint = data_fingerprint(records + extra)
    version = new_version(fingerprint)
    metrics: dict[str, Any] = {
        "validation": evaluate(_labelled(splits.validation, validation_scores), thresholds),
        "validation_precision_by_language": language_precision,
        "test": evaluate(_labelled(splits.test, test_scores), thresholds),
        "robustness": robustness(pipeline, splits.test, thresholds["flag"], seed),
    }
    manifest = artifact.save(
        pipeline,
        {
            "version": version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "training_data_sha256": fingerprint,
            "thresholds": thresholds,
            "threshold_method": {
                **method,
                "flag_by_language": "per language with >= 15 validation positives whose precision "
                "at flag is below 0.95: the lowest threshold at or above flag where it holds",
            },
            "flag_by_language": caps,
            "metrics": metrics,
            "languages": sorted({r.lang for r in records}),
            "label_policy_version": LABEL_POLICY_VERSION,
            "training": {
                "design": design,
                "seed": seed,
                "augmented": augment,
                "reviewer_verdicts": len(extra),
                "messages": {
                    "train": len(splits.train),
                    "validation": len(splits.validation),
                    "test": len(splits.test),
                },
                "near_duplicate_pairs": splits.near_duplicates,
                "near_duplicate_pairs_across_splits": splits.near_duplicates_across,
            },
        },
        model_dir / version,
    )
    _check_reload(model_dir / version, test_texts, test_scores)
    if make_current:
        artifact.set_current(model_dir, version)
    return manifest


HARD_NEGATIVE_KINDS = ("warning", "news")


def fit_params(design: str, records: list[Record]) -> dict[str, Any]:
    """The stacked design needs to know the hard boundary rows and the groups for its folds."""
    if design != "stacked":
        return {}
    return {
        "classifier__hard": [r.label == 1 or r.kind in HARD_NEGATIVE_KINDS for r in records],
        "classifier__groups": [r.split_group for r in records],
    }


def scorer(pipeline: Any) -> Callable[[list[str]], np.ndarray]:
    """The pipeline's positive-class probability, as the pooled scorer expects it."""
    return lambda texts: pipeline.predict_proba(texts)[:, 1]


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(not ("a" <= c.lower() <= "z") for c in letters) > len(letters) / 2


def _twin(record: Record, name: str, text: str, suffix: str) -> Record:
    return Record(
        f"{record.id}~{suffix}",
        text,
        record.label,
        record.lang,
        record.kind,
        record.group,
        record.source,
        [*record.tags, f"augmented:{name}"],
        record.split_group,
    )


def augmented(records: list[Record], seed: int) -> list[Record]:
    """One obfuscated twin per training message, in the same group (so never across splits),
    and for every message written mostly in another script, a second, romanised twin.

    (Session 1 gave every non-Latin message a romanised twin: it lifted recall on the crude
    romanisation suite but lowered recall on the romanised and code-mixed messages people
    wrote. Session 2 settled on 0.6. With session 3's data, which adds messages people wrote in
    Finglish, Arabizi, Hinglish and Russian translit, 0.9 against 0.6 on the same code and
    splits: recall under crude romanisation 0.853 against 0.804 (clean 0.874 and 0.855),
    authored romanised recall 0.963 for both, average precision 0.9795 against 0.9804.
    Session 4, with round 15's data, measured 1.0 against 0.9 on the same code and splits:
    crude romanisation recall 0.818 against 0.796 (clean 0.831 and 0.826, so 0.9 fell outside
    the 3-point goal), authored romanised 0.950 against 0.933, average precision 0.9785 against
    0.9779; so every message written mostly in another script now gets a romanised twin.)
    """
    twins = []
    for record in records:
        name, text = random_obfuscation(record.text, seed)
        if text != record.text:
            twins.append(_twin(record, name, text, name))
        if _mostly_non_latin(record.text):
            text = obfuscate(record.text, "romanise", seed + 1)
            if text != record.text:
                twins.append(_twin(record, "romanise", text, "romanised"))
    return twins


def robustness(pipeline: Any, records: list[Record], flag: float, seed: int) -> dict[str, Any]:
    """Recall at the flag threshold on the test positives, clean and under each obfuscation.

    Also the false-positive rate on test warnings under each obfuscation: an obfuscated warning
    must stay a warning.
    """
    positives = [r.text for r in records if r.label == 1]
    warnings = [r.text for r in records if r.kind == "warning"]

    def rates(transform: Any) -> dict[str, float]:
        scores = pooled_scores(scorer(pipeline), [transform(t) for t in positives + warnings])
        caught = (scores[: len(positives)] >= flag).mean() if positives else 0.0
        false = (scores[len(positives) :] >= flag).mean() if warnings else 0.0
        return {"recall": round(float(caught), 4), "warning_fp_rate": round(float(false), 4)}

    result: dict[str, Any] = {"clean": rates(lambda t: t)}
    written = [
        r.text for r in records if r.label == 1 and {"romanized", "code_mixed"} & set(r.tags)
    ]
    if written:
        caught = pooled_scores(scorer(pipeline), written) >= flag
        result["authored_romanized_or_code_mixed"] = {
            "positives": len(written),
            "recall": round(float(caught.mean()), 4),
        }
    for name in OBFUSCATIONS:
        result[name] = rates(lambda t, n=name: obfuscate(t, n, seed))
    return result


def _check_reload(directory: Path, texts: list[str], expected: np.ndarray) -> None:
    """The saved artifact must score exactly as the pipeline in memory did."""
    detector = Detector.from_directory(directory)
    reloaded = np.asarray([s.score for s in detector.score(texts[:200])])
    if not np.allclose(reloaded, expected[:200], atol=1e-9):
        raise RuntimeError(f"reloaded model in {directory} scores differently from the trained one")


def has_valid_model(model_dir: Path) -> bool:
    try:
        artifact.verify(artifact.resolve(model_dir))
    except artifact.ArtifactError:
        return False
    return True
