"""Holds the detector the service is using, so a new one can be swapped in with one assignment."""

from __future__ import annotations

import logging
from pathlib import Path

from service import artifact
from service.detector import Detector

log = logging.getLogger("recruitscan")


class ModelHolder:
    """The current detector (or None) and, when loading failed, the reason."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.detector: Detector | None = None
        self.problem: str | None = "model not loaded yet"

    def load(self) -> Detector | None:
        """Loads and verifies the model in ``model_dir``; on failure keeps the current one."""
        directory = artifact.resolve(self.model_dir)
        try:
            detector = Detector.from_directory(directory)
        except artifact.ArtifactError as error:
            self.problem = str(error)
            log.error("model refused", extra={"model_dir": str(directory), "reason": str(error)})
            return self.detector
        self.detector, self.problem = detector, None
        log.info("model loaded", extra={"model_version": detector.version})
        return detector
