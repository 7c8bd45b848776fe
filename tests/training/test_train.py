import json
import random
from pathlib import Path

import numpy as np
import pytest

from service import artifact
from service.detector import Detector
from training.dataset import load_records
from training.metrics import Labelled, choose_thresholds, evaluate, language_flag_caps
from training.train import has_valid_model, train_model

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, artifact.Manifest]:
    records = load_records(DATA)
    random.Random(1).shuffle(records)
    directory = tmp_path_factory.mktemp("tiny")
    manifest = train_model(DATA, directory, design="char", records=records[:400])
    return directory, manifest


def test_tiny_model_reloads_and_predicts_the_same(tiny_model) -> None:  # noqa: ANN001
    import joblib

    directory, manifest = tiny_model
    texts = ["salary 1500 USD and a passport", "see you tomorrow", "Контракт, выплата 200 тыс"]
    in_memory = joblib.load(directory / manifest.version / "model.joblib").predict_proba(texts)[
        :, 1
    ]
    served = [s.score for s in Detector.from_directory(directory / "current").score(texts)]
    assert np.allclose(in_memory, served)


def test_manifest_describes_the_model(tiny_model) -> None:  # noqa: ANN001
    directory, manifest = tiny_model
    stored = json.loads((directory / manifest.version / "manifest.json").read_text())
    assert stored["version"] == manifest.version
    assert stored["model_sha256"] == artifact.sha256_of(
        directory / manifest.version / "model.joblib"
    )
    assert len(stored["training_data_sha256"]) == 64
    assert 0 < stored["thresholds"]["review"] <= stored["thresholds"]["flag"] <= 1
    assert set(stored["threshold_method"]) == {"review", "flag", "flag_by_language"}
    assert all(cap >= stored["thresholds"]["flag"] for cap in stored["flag_by_language"].values())
    assert stored["metrics"]["test"]["messages"] > 0
    assert stored["label_policy_version"]
    assert stored["training"]["near_duplicate_pairs_across_splits"] == 0
    assert (directory / "current").resolve() == (directory / manifest.version).resolve()
    assert has_valid_model(directory)


def test_training_is_seeded(tmp_path: Path) -> None:
    records = load_records(DATA)
    random.Random(2).shuffle(records)
    subset = records[:300]
    first = train_model(DATA, tmp_path / "a", design="char", records=subset)
    second = train_model(DATA, tmp_path / "b", design="char", records=subset)
    assert first.thresholds == second.thresholds
    assert first.metrics["test"] == second.metrics["test"]


def test_flag_threshold_reaches_the_precision_target() -> None:
    rng = np.random.default_rng(0)
    labels = np.r_[np.ones(200), np.zeros(400)].astype(int)
    scores = np.r_[rng.uniform(0.4, 1, 200), rng.uniform(0, 0.7, 400)]
    thresholds, method = choose_thresholds(labels, scores)
    flagged = scores >= thresholds["flag"]
    assert labels[flagged].mean() >= 0.95
    assert thresholds["review"] <= thresholds["flag"]
    assert (scores[labels == 1] >= thresholds["review"]).mean() >= 0.98
    assert "0.95" in method["flag"]


def test_one_negative_among_the_very_top_scores_does_not_sink_the_flag() -> None:
    rng = np.random.default_rng(2)
    labels = np.r_[np.ones(300), np.zeros(600), [0]].astype(int)
    scores = np.r_[rng.uniform(0.5, 0.999, 300), rng.uniform(0, 0.5, 600), [0.9995]]
    thresholds, _ = choose_thresholds(labels, scores)
    assert thresholds["flag"] < 0.6  # not pushed above the stray top-scored negative
    assert labels[scores >= thresholds["flag"]].mean() >= 0.95


def test_flag_threshold_keeps_warnings_and_negatives_quiet() -> None:
    rng = np.random.default_rng(1)
    labels = np.r_[np.ones(300), np.zeros(700)].astype(int)
    scores = np.r_[rng.uniform(0.3, 1, 300), rng.uniform(0, 0.5, 600), rng.uniform(0.2, 0.9, 100)]
    warnings = np.r_[np.zeros(900), np.ones(100)].astype(bool)
    plain, _ = choose_thresholds(labels, scores)
    capped, method = choose_thresholds(labels, scores, warnings)
    assert capped["flag"] >= plain["flag"]
    assert (scores[warnings] >= capped["flag"]).mean() <= 0.05
    assert (scores[labels == 0] >= capped["flag"]).mean() <= 0.01
    assert "warnings flagged" in method["flag"]


def test_language_caps_raise_the_flag_only_where_precision_falls_short() -> None:
    labels = [1] * 20 + [0] * 10 + [1] * 20 + [0] * 10
    scores = [0.9] * 20 + [0.1] * 10 + [0.95] * 20 + [0.1] * 7 + [0.92, 0.93, 0.94]
    languages = ["en"] * 30 + ["ky"] * 30
    caps, table = language_flag_caps(labels, scores, languages, flag=0.85)
    assert "en" not in caps and table["en"]["precision_at_flag"] == 1.0
    assert caps == {"ky": 0.94}
    assert table["ky"]["precision_at_flag"] < 0.95


def test_threshold_choice_needs_both_labels() -> None:
    with pytest.raises(ValueError, match="both positive and negative"):
        choose_thresholds([1, 1], [0.2, 0.9])


def test_evaluate_breaks_figures_down() -> None:
    items = [
        Labelled(1, 0.9, "en", "offer", "a"),
        Labelled(1, 0.2, "fa", "offer", "a"),
        Labelled(0, 0.8, "en", "warning", "b"),
        Labelled(0, 0.1, "en", "news", "b"),
    ]
    result = evaluate(items, {"review": 0.15, "flag": 0.5})
    assert result["at_flag"]["precision"] == 0.5 and result["at_flag"]["recall"] == 0.5
    assert result["at_review"]["recall"] == 1.0
    assert result["recall_by_language"]["fa"]["recall"] == 0.0
    assert result["false_positives_by_kind"]["warning"]["flagged"] == 1
    assert result["false_positives_by_kind"]["news"]["flagged"] == 0
    assert result["decisions"] == {"flag": 2, "review": 1, "pass": 1}
