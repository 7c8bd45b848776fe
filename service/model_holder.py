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
        self.source: Path | None = None
        self.refused: Path | None = None

    def reload_if_changed(self) -> bool:
        """Loads the model ``current`` points at when it is neither in use nor already refused.

        A broken or unverifiable model is refused once and the old one keeps serving; requests
        in flight keep the detector they started with, because the swap is one assignment.
        """
        if artifact.resolve(self.model_dir) in (self.source, self.refused):
            return False
        return self.load()

    def load(self) -> bool:
        """Loads and verifies the model in ``model_dir``; on failure keeps the current one."""
        directory = artifact.resolve(self.model_dir)
        try:
            detector = Detector.from_directory(directory)
        except artifact.ArtifactError as error:
            self.problem, self.refused = str(error), directory
            log.error("model refused", extra={"model_dir": str(directory), "reason": str(error)})
            return False
        self.detector, self.source, self.refused, self.problem = detector, directory, None, None
        log.info("model loaded", extra={"model_version": detector.version})
        return True
