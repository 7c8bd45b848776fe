"""Settings, read from ``RECRUITSCAN_*`` environment variables when first asked for, never at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """One validated place for every knob the service and the CLI share."""

    model_config = SettingsConfigDict(env_prefix="RECRUITSCAN_", extra="ignore")

    model_dir: Path = Field(Path("models"), description="folder of model versions, or one model")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_text_chars: int = Field(20_000, ge=1)
    max_batch: int = Field(1_000, ge=1)
    log_level: str = "INFO"
    reload_interval_seconds: float = Field(
        5.0, ge=0, description="how often to look for a newly promoted model; 0 turns it off"
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
