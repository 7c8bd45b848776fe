"""Custom scikit-learn transformers that live inside the pickled pipeline.

They are in ``service/`` because the service unpickles the pipeline and must be able to import
them; training only assembles them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from service.signals import FEATURE_NAMES, count_features
from service.text import normalize_text


class TextNormalizer(TransformerMixin, BaseEstimator):
    """Normalises raw messages (see ``service.text``) so n-grams see through obfuscation."""

    def fit(self, texts: Iterable[str], y: object = None) -> TextNormalizer:
        self.n_features_in_ = 1
        return self

    def transform(self, texts: Iterable[str]) -> list[str]:
        return [normalize_text(t) for t in texts]

    def __sklearn_tags__(self):  # noqa: D105 - tells scikit-learn the input is text
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class SignalCounts(TransformerMixin, BaseEstimator):
    """Lure and cue counts of already normalised texts, log-scaled so one long flyer cannot dominate.

    ``scale`` sets how loud these few dense features are next to thousands of sparse n-grams:
    under L2 regularisation a larger scale lets the model lean on them more cheaply.
    """

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def fit(self, texts: Iterable[str], y: object = None) -> SignalCounts:
        self.n_features_in_ = 1
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        rows = [count_features(t) for t in texts]
        matrix = np.log1p(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES)))
        return sparse.csr_matrix(matrix * self.scale)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(FEATURE_NAMES, dtype=object)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
