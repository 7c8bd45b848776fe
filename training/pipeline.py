"""The model design: one scikit-learn Pipeline, the same object that the artifact stores."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from service.features import HashedCharTfidf, SignalCounts, TextNormalizer
from service.stacking import StanceStackClassifier

# Words are runs of anything but spaces and punctuation, so that Devanagari vowel signs, emoji,
# amounts ("1500$") and handles stay inside their token.
WORD_TOKEN = r"[^\s.,!?;:()\[\]{}\"'«»“”„،؛؟…/|*•·]+"
DESIGNS = ("char", "char_word", "full", "stacked")


def build_pipeline(
    design: str = "stacked", seed: int = 13, c: float = 4.0, signal_scale: float = 1.0
) -> Pipeline:
    """``char``: character n-grams only; ``char_word`` adds word n-grams; ``full`` adds signals;
    ``stacked`` feeds n-gram and stance scores with the signals to a second-stage model."""
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; choose one of {', '.join(DESIGNS)}")
    parts: list[tuple[str, Any]] = [("char", HashedCharTfidf(ngram_range=(2, 5), min_df=2))]
    if design in ("char_word", "full", "stacked"):
        parts.append(
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    token_pattern=WORD_TOKEN,
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                    lowercase=False,
                    dtype=np.float64,
                ),
            )
        )
    if design in ("full", "stacked"):
        parts.append(("signals", SignalCounts(scale=signal_scale)))
    if design == "stacked":
        classifier: Any = StanceStackClassifier(c=c, seed=seed)
    else:
        classifier = CalibratedClassifierCV(
            LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed),
            method="sigmoid",
            cv=5,
            ensemble=False,
        )
    return Pipeline(
        [
            ("normalize", TextNormalizer()),
            ("features", FeatureUnion(parts)),
            ("classifier", classifier),
        ]
    )
