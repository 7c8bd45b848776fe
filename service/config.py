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
    data_dir: Path = Field(Path("var"), description="where the embedded SQLite store lives")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the store; default sqlite:///<data_dir>/recruitscan.db"
    )
    store_decisions: bool = Field(
        False, description="keep every review and flag decision in the review queue"
    )
    retention_days: float = Field(30.0, gt=0, description="stored items are purged after this")
    purge_interval_seconds: float = Field(3600.0, ge=0, description="0 turns the purge task off")
    open_scoring: bool | None = Field(
        None,
        description="scoring without a key: None = only while no key exists and only from the "
        "local interface; True = always; False = never",
    )
    webhook_poll_seconds: float = Field(0.5, ge=0, description="0 turns webhook delivery off")
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_max_attempts: int = Field(25, ge=1)
    webhook_backoff_base_seconds: float = Field(2.0, gt=0)
    webhook_backoff_max_seconds: float = Field(3600.0, gt=0)

    def store_url(self) -> str:
        """The database URL, with the SQLite default under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'recruitscan.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
