"""Shared fixtures: one model trained from data/ per test session, and an app serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.detector import Detector
from training.train import train_model

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped design trained on the shipped data, as `make run` would do."""
    directory = tmp_path_factory.mktemp("models")
    train_model(DATA_DIR, directory)
    return directory


@pytest.fixture(scope="session")
def detector(model_dir: Path) -> Detector:
    return Detector.from_directory(model_dir / "current")


@pytest.fixture()
def settings(model_dir: Path, tmp_path: Path) -> Settings:
    """The shipped model, and a fresh SQLite store for each test."""
    return Settings(model_dir=model_dir, data_dir=tmp_path / "var")


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    """A client calling from the local interface, where scoring is open while no key exists."""
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as test_client:
        yield test_client
