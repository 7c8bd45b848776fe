import json
import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import artifact
from service.app import create_app
from service.config import Settings
from service.model_holder import ModelHolder
from training.cli import main


@pytest.fixture()
def versions(model_dir: Path, tmp_path: Path) -> Path:
    """A model folder with two good versions (v1 current, v2) and a tampered one (v3)."""
    root = tmp_path / "models"
    source = (model_dir / "current").resolve()
    for name in ("v1", "v2", "v3"):
        shutil.copytree(source, root / name)
        manifest = json.loads((root / name / "manifest.json").read_text())
        manifest["version"] = name
        (root / name / "manifest.json").write_text(json.dumps(manifest))
    with (root / "v3" / "model.joblib").open("ab") as handle:
        handle.write(b"tampered")
    artifact.set_current(root, "v1")
    return root


def test_holder_swaps_to_a_promoted_model_and_refuses_a_broken_one(versions: Path) -> None:
    holder = ModelHolder(versions)
    assert holder.load() and holder.detector.version == "v1"
    assert holder.reload_if_changed() is False
    artifact.set_current(versions, "v2")
    assert holder.reload_if_changed() is True and holder.detector.version == "v2"
    (versions / "current").unlink()
    (versions / "current").symlink_to("v3")  # as if a broken model had been switched in
    assert holder.reload_if_changed() is False
    assert holder.detector.version == "v2" and "changed after training" in holder.problem
    assert holder.reload_if_changed() is False  # refused once, not retried every poll


def test_running_service_picks_up_a_promotion(versions: Path, tmp_path: Path) -> None:
    settings = Settings(model_dir=versions, data_dir=tmp_path / "var", reload_interval_seconds=0.05)
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as client:
        assert client.get("/v1/model").json()["version"] == "v1"
        artifact.set_current(versions, "v2")
        deadline = time.monotonic() + 10
        while client.get("/v1/model").json()["version"] != "v2":
            assert time.monotonic() < deadline, "the service did not pick up the promoted model"
            time.sleep(0.05)
        assert client.post("/v1/score", json={"text": "hello"}).json()["model_version"] == "v2"


def test_models_cli_lists_promotes_and_rolls_back(
    versions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "list", "--model-dir", str(versions)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line[2:].split()[0] for line in listed] == ["v1", "v2", "v3"]
    assert listed[0].startswith("* v1")
    assert main(["models", "promote", "v2", "--model-dir", str(versions)]) == 0
    assert artifact.current_version(versions) == "v2"
    with pytest.raises(SystemExit, match="changed after training"):
        main(["models", "promote", "v3", "--model-dir", str(versions)])
    assert artifact.current_version(versions) == "v2"
    assert main(["models", "rollback", "--model-dir", str(versions)]) == 0
    assert artifact.current_version(versions) == "v1"
    with pytest.raises(SystemExit, match="no earlier model"):
        main(["models", "rollback", "--model-dir", str(versions)])
