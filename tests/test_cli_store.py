"""The store commands: db upgrade / purge, keys create / list / revoke, and the retrain gate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import get_settings
from service.store import Store, keys
from training.cli import main
from training.retrain import Figures, gate, read_verdict_file


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RECRUITSCAN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("RECRUITSCAN_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


def test_db_upgrade_creates_the_sqlite_store_under_the_data_dir(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (data_dir / "recruitscan.db").is_file()
    assert "is at revision 0001" in capsys.readouterr().out
    assert main(["db", "purge"]) == 0
    assert "purged 0 review items" in capsys.readouterr().out


def test_keys_create_prints_the_key_alone_on_the_last_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create", "--role", "review", "--name", "alice"]) == 0
    out, err = capsys.readouterr()
    key = out.splitlines()[-1]
    assert key.startswith("rs_") and len(key) > 30 and "shown only now" in err
    store = Store.open(get_settings().store_url())
    with store.reading() as connection:
        found = keys.authenticate(connection, key)
    assert found is not None and (found.name, found.role) == ("alice", "review")
    with pytest.raises(SystemExit, match="already exists"):
        main(["keys", "create", "--role", "admin", "--name", "alice"])
    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    assert "alice\treview" in listed and key not in listed
    assert main(["keys", "revoke", "alice"]) == 0
    with store.reading() as connection:
        assert keys.authenticate(connection, key) is None
    with pytest.raises(SystemExit, match="no key named"):
        main(["keys", "revoke", "alice"])
    store.dispose()


def _figures(ap: float, recall: float, fp: float) -> Figures:
    return Figures(ap, recall, fp, positives=100, negatives=900)


def test_gate_allows_small_noise_but_no_more_false_positives() -> None:
    champion = _figures(0.97, 0.90, 0.010)
    assert gate(champion, _figures(0.966, 0.891, 0.010), "test") == []
    assert gate(champion, _figures(0.99, 0.95, 0.005), "test") == []
    reasons = gate(champion, _figures(0.96, 0.88, 0.011), "test")
    assert len(reasons) == 3
    assert any("average precision" in r for r in reasons)
    assert any("recall at flag" in r for r in reasons)
    assert any("false-positive rate" in r for r in reasons)


def test_exported_verdicts_are_read_and_checked(tmp_path: Path) -> None:
    row = {
        "id": "review-1",
        "text": "Контракт, выплата 2 млн",
        "label": 1,
        "lang": "ru",
        "kind": "offer",
        "group": "review-1",
        "source": "reviewer-verdict",
        "tags": ["queue"],
        "reviewer": "ana",
    }
    path = tmp_path / "verdicts.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n")
    [record] = read_verdict_file(path)
    assert record.label == 1 and record.source == "reviewer-verdict"
    path.write_text(json.dumps(row | {"kind": "warning"}) + "\n")
    with pytest.raises(ValueError, match="implies label 0"):
        read_verdict_file(path)
    path.write_text("{not json\n")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_verdict_file(path)
