"""The second-stage classifier: n-gram evidence, offer-versus-warning stance, and signals, combined.

A linear model over n-grams adds up evidence, so a warning that quotes a whole offer scores like
the offer. Two linear models read the n-grams (one trained on everything, one only on the hard
boundary: offers against warnings and news), and a small gradient-boosted model combines their
out-of-fold scores with the lure/cue counts and the policy's conjunctions, which lets it learn
"all lures present, but framed as a warning". It lives in ``service/`` because the pickled
pipeline contains it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from service.signals import FEATURE_NAMES

SIGNAL_COLUMNS = len(FEATURE_NAMES)


class StanceStackClassifier(ClassifierMixin, BaseEstimator):
    """Expects the feature matrix to end with the signal columns (``SignalCounts`` last)."""

    def __init__(self, c: float = 4.0, folds: int = 5, max_depth: int = 3, seed: int = 13) -> None:
        self.c = c
        self.folds = folds
        self.max_depth = max_depth
        self.seed = seed

    def _linear(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.c, class_weight="balanced", max_iter=2000, random_state=self.seed
        )

    def _split(self, X: Any) -> tuple[sparse.csr_matrix, np.ndarray]:
        X = sparse.csr_matrix(X)
        return X[:, :-SIGNAL_COLUMNS], X[:, -SIGNAL_COLUMNS:].toarray()

    def _out_of_fold(self, ngrams: Any, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
        scores = np.zeros(len(y))
        for train, held in GroupKFold(self.folds).split(ngrams, y, groups):
            scores[held] = (
                self._linear().fit(ngrams[train], y[train]).decision_function(ngrams[held])
            )
        return scores

    def fit(self, X: Any, y: Any, hard: Any = None, groups: Any = None) -> StanceStackClassifier:
        """``hard`` marks offers, warnings and news (the stance model's rows); ``groups`` keeps
        relatives in one fold so out-of-fold scores are honest."""
        y = np.asarray(y)
        ngrams, signals = self._split(X)
        groups = np.asarray(groups) if groups is not None else np.arange(len(y))
        hard = np.asarray(hard, dtype=bool) if hard is not None else np.ones(len(y), dtype=bool)
        self.classes_ = np.unique(y)
        self.general_ = self._linear().fit(ngrams, y)
        self.stance_ = self._linear().fit(ngrams[hard], y[hard])
        general = self._out_of_fold(ngrams, y, groups)
        stance = self.stance_.decision_function(ngrams)
        stance[hard] = self._out_of_fold(ngrams[hard], y[hard], groups[hard])
        self.combiner_ = HistGradientBoostingClassifier(
            max_depth=self.max_depth, learning_rate=0.05, max_iter=300, random_state=self.seed
        ).fit(np.c_[general, stance, signals], y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        ngrams, signals = self._split(X)
        stacked = np.c_[
            self.general_.decision_function(ngrams), self.stance_.decision_function(ngrams), signals
        ]
        return self.combiner_.predict_proba(stacked)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    @property
    def coef_(self) -> np.ndarray:
        """Per-feature weights for explanations: the general model's, zero for signal columns."""
        return np.c_[self.general_.coef_, np.zeros((1, SIGNAL_COLUMNS))]
