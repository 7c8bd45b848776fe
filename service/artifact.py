"""The model artifact format: one joblib file and a manifest that describes and verifies it.

Loading a pickle runs code, so nothing is unpickled until the file's SHA-256 matches the manifest
and the Python and scikit-learn versions match the ones it was built with. This is the only module
that imports joblib.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import sklearn

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
CURRENT_LINK = "current"


class ArtifactError(Exception):
    """A model directory that is missing, incomplete, tampered with or built for other versions."""


@dataclass
class Manifest:
    """Everything a reader needs to trust and describe a model without unpickling it."""

    version: str
    created_at: str
    python_version: str
    sklearn_version: str
    model_sha256: str
    training_data_sha256: str
    thresholds: dict[str, float]
    threshold_method: dict[str, str]
    metrics: dict[str, Any]
    languages: list[str]
    label_policy_version: str
    feature_code_sha256: str
    flag_by_language: dict[str, float] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        known = {f for f in cls.__dataclass_fields__}
        missing = known - set(data) - {"training", "format_version", "flag_by_language"}
        if missing:
            raise ArtifactError(f"manifest is missing fields: {', '.join(sorted(missing))}")
        return cls(**{k: v for k, v in data.items() if k in known})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


FEATURE_CODE = ("text.py", "lexicon.py", "signals.py", "features.py", "stacking.py", "chunking.py")


def feature_code_sha256() -> str:
    """Hash of the modules whose code shapes the features and scores of a pickled pipeline.

    A pipeline unpickles fine after its word lists or normaliser changed, but then computes
    features it was never trained on; the hash makes such a model refuse to load instead.
    """
    digest = hashlib.sha256()
    for name in FEATURE_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def runtime_versions() -> dict[str, str]:
    return {
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sklearn_version": sklearn.__version__,
        "feature_code_sha256": feature_code_sha256(),
    }


def save(pipeline: Any, manifest_fields: dict[str, Any], directory: Path) -> Manifest:
    """Writes the pipeline and its manifest into ``directory`` (created; must not hold a model)."""
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    if model_path.exists():
        raise ArtifactError(f"{directory} already holds a model; choose a new version directory")
    joblib.dump(pipeline, model_path, compress=3)
    manifest = Manifest(**manifest_fields, **runtime_versions(), model_sha256=sha256_of(model_path))
    _write_json_atomically(directory / MANIFEST_FILE, manifest.to_dict())
    return manifest


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactError(
            f"no {MANIFEST_FILE} in {directory}; train a model with `recruitscan train`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArtifactError(f"{path} is not readable JSON: {error}") from error
    if not isinstance(data, dict):
        raise ArtifactError(f"{path} must hold a JSON object")
    return Manifest.from_dict(data)


def verify(directory: Path) -> Manifest:
    """Checks hash and versions; returns the manifest or raises ArtifactError saying what is wrong."""
    manifest = read_manifest(directory)
    if manifest.format_version != FORMAT_VERSION:
        raise ArtifactError(
            f"artifact format {manifest.format_version} is not supported (expected {FORMAT_VERSION})"
        )
    model_path = directory / MODEL_FILE
    if not model_path.is_file():
        raise ArtifactError(f"no {MODEL_FILE} in {directory}")
    actual = sha256_of(model_path)
    if actual != manifest.model_sha256:
        raise ArtifactError(
            f"{model_path} has SHA-256 {actual} but the manifest says {manifest.model_sha256}: "
            "the file was changed after training; retrain or restore it"
        )
    runtime = runtime_versions()
    for key in ("python_version", "sklearn_version"):
        if getattr(manifest, key) != runtime[key]:
            raise ArtifactError(
                f"model was built with {key.replace('_', ' ')} {getattr(manifest, key)} but this "
                f"process runs {runtime[key]}; retrain it here with `recruitscan train`"
            )
    if manifest.feature_code_sha256 != runtime["feature_code_sha256"]:
        raise ArtifactError(
            "model was built with other feature code (text normalisation, word lists or signal "
            "features changed since); retrain it with `recruitscan train`"
        )
    return manifest


def load(directory: Path) -> tuple[Any, Manifest]:
    """Verifies, then unpickles. Returns (pipeline, manifest)."""
    manifest = verify(directory)
    try:
        pipeline = joblib.load(directory / MODEL_FILE)
    except Exception as error:  # unpickling can fail in many ways; all mean "unusable artifact"
        raise ArtifactError(f"could not load {directory / MODEL_FILE}: {error}") from error
    return pipeline, manifest


def resolve(model_dir: Path) -> Path:
    """The directory of the model to serve: ``model_dir/current`` if present, else ``model_dir``."""
    current = model_dir / CURRENT_LINK
    if current.exists():
        return current.resolve()
    return model_dir


HISTORY_FILE = "history.jsonl"


def current_version(model_dir: Path) -> str | None:
    link = model_dir / CURRENT_LINK
    return link.resolve().name if link.is_symlink() and link.exists() else None


def set_current(model_dir: Path, version: str, action: str = "promote") -> None:
    """Points ``model_dir/current`` at ``version`` atomically (symlink swapped by rename).

    Each switch is appended to ``history.jsonl`` so that ``rollback`` can return to the model
    that was current before.
    """
    target = model_dir / version
    verify(target)
    previous = current_version(model_dir)
    temporary = model_dir / f".{CURRENT_LINK}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(version)
    os.replace(temporary, model_dir / CURRENT_LINK)
    entry = {
        "action": action,
        "version": version,
        "previous": previous,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with (model_dir / HISTORY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def list_versions(model_dir: Path) -> list[Manifest]:
    """Manifests of every model version in ``model_dir``, oldest first (unreadable ones skipped)."""
    manifests = []
    for folder in sorted(p for p in model_dir.iterdir() if p.is_dir() and not p.is_symlink()):
        try:
            manifests.append(read_manifest(folder))
        except ArtifactError:
            continue
    return manifests


def rollback(model_dir: Path) -> str:
    """Returns to the model that was current before the latest promotion still in effect.

    The history is replayed as a stack (a promotion pushes, a rollback pops), so rolling back
    twice walks two promotions back instead of toggling between two models.
    """
    history = model_dir / HISTORY_FILE
    lines = history.read_text(encoding="utf-8").splitlines() if history.is_file() else []
    stack: list[str] = []
    for entry in (json.loads(line) for line in lines if line):
        if entry.get("action") == "rollback":
            if stack:
                stack.pop()
        else:
            stack.append(entry["version"])
    if len(stack) < 2:
        raise ArtifactError(
            f"no earlier model to roll back to from {current_version(model_dir) or 'nothing'}"
        )
    set_current(model_dir, stack[-2], action="rollback")
    return stack[-2]


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(handle.name, path)
