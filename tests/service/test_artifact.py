import json
import shutil
from pathlib import Path

import pytest

from service import artifact
from service.detector import Detector


@pytest.fixture()
def copy(model_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(model_dir / "current", target)
    return target


def test_a_verified_model_loads(copy: Path) -> None:
    assert Detector.from_directory(copy).version == artifact.read_manifest(copy).version


def test_a_tampered_model_file_is_refused(copy: Path) -> None:
    with (copy / "model.joblib").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(artifact.ArtifactError, match="the file was changed after training"):
        Detector.from_directory(copy)


def test_a_version_mismatch_is_refused(copy: Path) -> None:
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["sklearn_version"] = "0.0.1"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(artifact.ArtifactError, match="built with sklearn version 0.0.1"):
        artifact.load(copy)


def test_missing_and_broken_manifests_are_refused(copy: Path) -> None:
    (copy / "manifest.json").write_text("{not json")
    with pytest.raises(artifact.ArtifactError, match="is not readable JSON"):
        artifact.verify(copy)
    (copy / "manifest.json").write_text(json.dumps({"version": "x"}))
    with pytest.raises(artifact.ArtifactError, match="manifest is missing fields"):
        artifact.verify(copy)
    (copy / "manifest.json").unlink()
    with pytest.raises(artifact.ArtifactError, match="no manifest.json"):
        artifact.verify(copy)


def test_current_link_is_switched(model_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "models"
    version = (model_dir / "current").resolve().name
    shutil.copytree(model_dir / version, root / version)
    artifact.set_current(root, version)
    assert artifact.resolve(root) == (root / version).resolve()
    with pytest.raises(artifact.ArtifactError):
        artifact.set_current(root, "no-such-version")


def test_save_refuses_to_overwrite(copy: Path) -> None:
    with pytest.raises(artifact.ArtifactError, match="already holds a model"):
        artifact.save(object(), {}, copy)


def test_a_model_built_with_other_feature_code_is_refused(copy: Path) -> None:
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["feature_code_sha256"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(artifact.ArtifactError, match="other feature code"):
        artifact.verify(copy)
