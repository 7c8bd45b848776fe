"""A fresh store per test: SQLite always, PostgreSQL too when RECRUITSCAN_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from service.store import Store
from service.store.schema import metadata

PG_URL = os.environ.get("RECRUITSCAN_TEST_DATABASE_URL")


def _reset_postgres(url: str) -> None:
    """Empties the test database (it is dedicated to tests) so every test starts from scratch."""
    store = Store(url)
    with store.transaction() as connection:
        metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not PG_URL, reason="set RECRUITSCAN_TEST_DATABASE_URL to run against PostgreSQL"
            ),
        ),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    assert PG_URL is not None
    _reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.dispose()
