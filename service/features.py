"""Custom scikit-learn transformers that live inside the pickled pipeline.

They are in ``service/`` because the service unpickles the pipeline and must be able to import
them; training only assembles them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

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


class HashedCharTfidf(TransformerMixin, BaseEstimator):
    """Character n-gram TF-IDF computed through the hashing trick, with a readable vocabulary.

    Same features as ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True, min_df=...)``, but
    the n-grams are hashed instead of looked up in a Python dict, which made vectorising a batch
    about twice as fast. Columns that were rare in training are dropped, and for every kept column
    the most frequent training n-gram that hashes to it is kept as its name, so explanations can
    still point at text.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2**20,
        min_df: int = 2,
        max_features: int = 300_000,
    ) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.min_df = min_df
        self.max_features = max_features

    def _hasher(self) -> HashingVectorizer:
        return HashingVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float64,
        )

    def fit(self, texts: Iterable[str], y: object = None) -> HashedCharTfidf:
        texts = list(texts)
        hasher = self._hasher()
        counts = hasher.transform(texts)
        df = np.bincount(counts.indices, minlength=self.n_features)
        kept = np.nonzero(df >= self.min_df)[0]
        if len(kept) > self.max_features:
            kept = np.sort(kept[np.argsort(-df[kept], kind="stable")[: self.max_features]])
        self.columns_ = kept
        self.lookup_ = np.full(self.n_features, -1, dtype=np.int32)
        self.lookup_[kept] = np.arange(len(kept), dtype=np.int32)
        self.idf_ = np.log((1 + len(texts)) / (1 + df[kept])) + 1.0
        analyzer = hasher.build_analyzer()
        seen: Counter[str] = Counter()
        for text in texts:
            seen.update(analyzer(text))
        names = [""] * len(kept)
        best = np.zeros(len(kept), dtype=np.int64)
        for gram, frequency in seen.items():
            column = self.lookup_[abs(murmurhash3_32(gram, seed=0)) % self.n_features]
            if column >= 0 and frequency > best[column]:
                best[column], names[column] = frequency, gram
        self.names_ = np.asarray(names, dtype=object)
        self.n_features_in_ = 1
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        counts = self._hasher().transform(list(texts)).tocsr()
        columns = self.lookup_[counts.indices]
        keep = columns >= 0
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[keep]
        indptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=counts.shape[0]), out=indptr[1:])
        values = (1.0 + np.log(counts.data[keep])) * self.idf_[columns[keep]]
        matrix = sparse.csr_matrix(
            (values, columns[keep], indptr), shape=(counts.shape[0], len(self.columns_))
        )
        return normalize(matrix)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.names_

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
