import numpy as np
from scipy import sparse

from service.signals import FEATURE_NAMES
from service.stacking import SIGNAL_COLUMNS, StanceStackClassifier


def test_stacked_classifier_fits_predicts_and_exposes_weights() -> None:
    rng = np.random.default_rng(0)
    rows, ngram_columns = 240, 30
    labels = np.r_[np.ones(80), np.zeros(160)].astype(int)
    ngrams = rng.random((rows, ngram_columns)) * 0.1
    ngrams[:80, 0] += 1.0  # an "offer" n-gram
    ngrams[160:, 0] += 1.0  # warnings quote the offer ...
    signals = np.zeros((rows, SIGNAL_COLUMNS))
    signals[160:, FEATURE_NAMES.index("cue:warn")] = 1.0  # ... and carry a warning cue
    matrix = sparse.csr_matrix(np.c_[ngrams, signals])
    hard = np.r_[np.ones(80), np.zeros(80), np.ones(80)].astype(bool)
    model = StanceStackClassifier(folds=3).fit(matrix, labels, hard=hard, groups=np.arange(rows))
    scores = model.predict_proba(matrix)[:, 1]
    assert scores.shape == (rows,)
    assert scores[:80].mean() > 0.8 and scores[160:].mean() < 0.2
    assert model.coef_.shape == (1, ngram_columns + SIGNAL_COLUMNS)
    assert np.all(model.coef_[0, -SIGNAL_COLUMNS:] == 0)
    assert np.array_equal(model.predict(matrix), (scores >= 0.5).astype(int))
