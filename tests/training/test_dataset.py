import json
from collections import Counter
from pathlib import Path

import pytest

from service.labels import LANGUAGES, NEGATIVE_KINDS, POSITIVE_KINDS
from training.dataset import (
    DataError,
    is_traffic,
    load_records,
    near_duplicate_pairs,
    parse_record,
    split_of,
    split_records,
)

DATA = Path(__file__).resolve().parents[2] / "data"
V1_LANGUAGES = ("en", "fa", "ps", "ru", "uz", "ar")


@pytest.fixture(scope="module")
def records():
    return load_records(DATA)


def test_shipped_data_meets_the_v1_bar(records) -> None:  # noqa: ANN001
    core = [r for r in records if not is_traffic(r)]
    assert len(core) >= 1500
    assert sum(r.label for r in core) / len(core) >= 0.35
    assert all(r.label == 0 for r in records if is_traffic(r))
    langs = {r.lang for r in records}
    assert set(V1_LANGUAGES) <= langs
    kinds_by_lang = {lang: {r.kind for r in records if r.lang == lang} for lang in langs}
    for lang in V1_LANGUAGES:
        missing = set(NEGATIVE_KINDS) - kinds_by_lang[lang]
        assert not missing, f"{lang} lacks hard-negative kinds {sorted(missing)}"


def test_every_language_meets_the_v2_bar(records) -> None:  # noqa: ANN001
    for lang in LANGUAGES:
        mine = [r for r in records if r.lang == lang]
        assert len(mine) >= 300, lang
        assert sum(r.label for r in mine) >= 100, lang
        missing = set(POSITIVE_KINDS + NEGATIVE_KINDS) - {r.kind for r in mine}
        assert not missing, f"{lang} lacks kinds {sorted(missing)}"


def test_groups_never_mix_labels(records) -> None:  # noqa: ANN001
    labels_by_group: dict[str, set[int]] = {}
    for record in records:
        labels_by_group.setdefault(record.group, set()).add(record.label)
    assert [g for g, labels in labels_by_group.items() if len(labels) > 1] == []


def test_splits_keep_groups_and_near_duplicates_together(records) -> None:  # noqa: ANN001
    splits = split_records(records)
    side: dict[str, str] = {}
    for name in ("train", "validation", "test"):
        for record in getattr(splits, name):
            assert side.setdefault(record.split_group, name) == name
    assert splits.near_duplicates_across == 0
    total = len(records)
    assert 0.6 < len(splits.train) / total < 0.8
    assert 0.08 < len(splits.test) / total < 0.22


def test_split_of_is_stable() -> None:
    assert split_of("en-some-seed") == split_of("en-some-seed")
    buckets = Counter(split_of(f"g{i}") for i in range(3000))
    assert 0.65 < buckets["train"] / 3000 < 0.75


def test_near_duplicates_are_found_and_different_texts_are_not() -> None:
    base = "Monthly salary 1500 dollars and a Russian passport for the whole family, call now"
    pairs = near_duplicate_pairs(
        [base, base.replace("call now", "call today"), "Totally different words"]
    )
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]


def test_obfuscated_copies_count_as_near_duplicates() -> None:
    base = "Monthly salary 1500 dollars and a Russian passport for the whole family"
    pairs = near_duplicate_pairs([base, base.replace("passport", "p@ssp0rt").upper()])
    assert len(pairs) == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "expected a JSON object"),
        ({"id": "x"}, "missing fields text, label, lang, kind, group, source"),
        (
            {
                "id": "x",
                "text": " ",
                "label": 0,
                "lang": "en",
                "kind": "news",
                "group": "g",
                "source": "s",
            },
            "text must be a non-empty string",
        ),
        (
            {
                "id": "x",
                "text": "t",
                "label": 2,
                "lang": "en",
                "kind": "news",
                "group": "g",
                "source": "s",
            },
            "label must be 0 or 1, got 2",
        ),
        (
            {
                "id": "x",
                "text": "t",
                "label": 0,
                "lang": "en",
                "kind": "offer",
                "group": "g",
                "source": "s",
            },
            "kind 'offer' implies label 1, not 0",
        ),
        (
            {
                "id": "x",
                "text": "t",
                "label": 0,
                "lang": "xx",
                "kind": "news",
                "group": "g",
                "source": "s",
            },
            "unknown lang 'xx'",
        ),
        (
            {
                "id": "x",
                "text": "t",
                "label": 0,
                "lang": "en",
                "kind": "gossip",
                "group": "g",
                "source": "s",
            },
            "unknown kind 'gossip'",
        ),
    ],
)
def test_bad_records_are_refused_with_their_location(raw, message: str) -> None:  # noqa: ANN001
    with pytest.raises(DataError) as error:
        parse_record(raw, "f.jsonl:3")
    assert str(error.value) == f"f.jsonl:3: {message}"


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    row = {
        "id": "a",
        "text": "t",
        "label": 0,
        "lang": "en",
        "kind": "news",
        "group": "g",
        "source": "s",
    }
    folder = tmp_path / "messages"
    folder.mkdir()
    (folder / "x.jsonl").write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(DataError, match="id 'a' already used"):
        load_records(tmp_path)


def test_every_language_is_known() -> None:
    assert set(LANGUAGES) >= set(V1_LANGUAGES)
    assert not set(POSITIVE_KINDS) & set(NEGATIVE_KINDS)
