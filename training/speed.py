"""In-process scoring speed, measured the same way by `make bench` and the model-selection run."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from sklearn.feature_extraction.text import HashingVectorizer

from service.detector import Detector
from service.signals import clear_cache
from training.dataset import load_records

ROOT = Path(__file__).resolve().parent.parent


def typical_messages(count: int, seed: int = 7, data_dir: Path = ROOT / "data") -> list[str]:
    """Messages drawn with replacement from data/ (every kind and language)."""
    texts = [r.text for r in load_records(data_dir)]
    rng = random.Random(seed)
    return [rng.choice(texts) for _ in range(count)]


def best_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def in_process(detector: Detector, batch: int = 1000, runs: int = 5) -> dict[str, float]:
    """Seconds for one batch with explanations, against a bare HashingVectorizer pass."""
    texts = typical_messages(batch)
    detector.score(texts[:50])
    baseline = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5))
    bare = best_of(runs, lambda: baseline.transform(texts))
    full = best_of(runs, lambda: (clear_cache(), detector.score(texts)))
    return {
        "batch": batch,
        "seconds_per_batch": round(full, 4),
        "messages_per_second": round(batch / full, 1),
        "hashing_vectorizer_seconds": round(bare, 4),
        "ratio_to_hashing_vectorizer": round(full / bare, 2),
        "mean_characters": round(sum(map(len, texts)) / len(texts), 1),
    }
