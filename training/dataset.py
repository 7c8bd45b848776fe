"""Loading, validating and splitting the labelled messages in ``data/``.

Splits are by ``group`` (messages that share a seed idea never straddle a split), and groups whose
messages are near-duplicates of each other (character 5-gram Jaccard above 0.8) are merged first,
so that no test message has a near-twin in training. A group's split comes from a hash of its
name: adding data never reshuffles the groups that were already there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from service.labels import KINDS, LANGUAGES, label_for_kind
from service.text import normalize_text

REQUIRED_FIELDS = ("id", "text", "label", "lang", "kind", "group", "source")
SPLITS = ("train", "validation", "test")
_SPLIT_BOUNDS = (0.70, 0.85)  # train below 0.70, validation below 0.85, test above
NEAR_DUPLICATE_JACCARD = 0.8


class DataError(ValueError):
    """A data file or record that breaks the schema; the message names file and line."""


@dataclass
class Record:
    id: str
    text: str
    label: int
    lang: str
    kind: str
    group: str
    source: str
    tags: list[str] = field(default_factory=list)
    split_group: str = ""


def parse_record(raw: object, where: str) -> Record:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a JSON object")
    missing = [f for f in REQUIRED_FIELDS if f not in raw]
    if missing:
        raise DataError(f"{where}: missing fields {', '.join(missing)}")
    text, label, kind, lang = raw["text"], raw["label"], raw["kind"], raw["lang"]
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{where}: text must be a non-empty string")
    if label not in (0, 1) or isinstance(label, bool):
        raise DataError(f"{where}: label must be 0 or 1, got {label!r}")
    if kind not in KINDS:
        raise DataError(f"{where}: unknown kind {kind!r}")
    if label_for_kind(kind) != label:
        raise DataError(f"{where}: kind {kind!r} implies label {label_for_kind(kind)}, not {label}")
    if lang not in LANGUAGES:
        raise DataError(f"{where}: unknown lang {lang!r}")
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DataError(f"{where}: tags must be a list of strings")
    return Record(
        id=str(raw["id"]),
        text=text,
        label=int(label),
        lang=lang,
        kind=kind,
        group=str(raw["group"]),
        source=str(raw["source"]),
        tags=tags,
    )


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from error


COLLECTIONS = ("messages", "traffic")
TRAFFIC_SOURCE = "authored-v2-traffic"


def is_traffic(record: Record) -> bool:
    """Everyday-traffic negatives (``traffic/``), whichever round wrote them."""
    return record.source.startswith(TRAFFIC_SOURCE)


def data_files(data_dir: Path) -> list[Path]:
    """The core labelled set (``messages/``) and the everyday-traffic negatives (``traffic/``)."""
    files = sorted(f for name in COLLECTIONS for f in (data_dir / name).glob("**/*.jsonl"))
    if not files:
        raise DataError(f"no *.jsonl files under {data_dir / 'messages'}")
    return files


def load_records(data_dir: Path) -> list[Record]:
    """Every record under ``data_dir/messages`` and ``data_dir/traffic``, validated, ids unique."""
    records: list[Record] = []
    seen: dict[str, str] = {}
    for path in data_files(data_dir):
        for number, raw in enumerate(read_jsonl(path), start=1):
            record = parse_record(raw, f"{path}:{number}")
            if record.id in seen:
                raise DataError(
                    f"{path}:{number}: id {record.id!r} already used in {seen[record.id]}"
                )
            seen[record.id] = f"{path}:{number}"
            records.append(record)
    return records


def data_fingerprint(records: Iterable[Record]) -> str:
    """SHA-256 over (id, text, label) in id order: names the exact data a model saw."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.id):
        digest.update(
            json.dumps([record.id, record.text, record.label], ensure_ascii=False).encode()
        )
        digest.update(b"\n")
    return digest.hexdigest()


def near_duplicate_pairs(
    texts: list[str], threshold: float = NEAR_DUPLICATE_JACCARD, block: int = 512
) -> list[tuple[int, int, float]]:
    """Index pairs whose normalised character 5-gram sets have Jaccard similarity above threshold."""
    if len(texts) < 2:
        return []
    shingles = HashingVectorizer(
        analyzer="char",
        ngram_range=(5, 5),
        n_features=2**22,
        binary=True,
        norm=None,
        alternate_sign=False,
        lowercase=False,
    ).transform([normalize_text(t) for t in texts])
    shingles.data[:] = 1.0
    sizes = np.asarray(shingles.sum(axis=1)).ravel()
    transposed = shingles.T.tocsc()
    pairs: list[tuple[int, int, float]] = []
    for begin in range(0, len(texts), block):
        overlap = (shingles[begin : begin + block] @ transposed).toarray()
        for offset, row in enumerate(overlap):
            i = begin + offset
            union = sizes[i] + sizes - row
            with np.errstate(divide="ignore", invalid="ignore"):
                jaccard = np.where(union > 0, row / union, 0.0)
            for j in np.nonzero(jaccard > threshold)[0]:
                if j > i:
                    pairs.append((i, int(j), float(jaccard[j])))
    return pairs


def _merge_groups(records: list[Record], pairs: list[tuple[int, int, float]]) -> None:
    parent = {r.group: r.group for r in records}

    def find(group: str) -> str:
        while parent[group] != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    for i, j, _ in pairs:
        a, b = find(records[i].group), find(records[j].group)
        if a != b:
            parent[max(a, b)] = min(a, b)
    for record in records:
        record.split_group = find(record.group)


def split_of(group: str) -> str:
    bucket = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    if bucket < _SPLIT_BOUNDS[0]:
        return "train"
    if bucket < _SPLIT_BOUNDS[1]:
        return "validation"
    return "test"


@dataclass
class Splits:
    train: list[Record]
    validation: list[Record]
    test: list[Record]
    near_duplicates: int
    near_duplicates_across: int


def split_records(records: list[Record]) -> Splits:
    """Group-aware split with near-duplicate groups merged; reports what the audit found."""
    pairs = near_duplicate_pairs([r.text for r in records])
    _merge_groups(records, pairs)
    assigned: dict[str, list[Record]] = {name: [] for name in SPLITS}
    for record in records:
        assigned[split_of(record.split_group)].append(record)
    across = sum(
        1
        for i, j, _ in pairs
        if split_of(records[i].split_group) != split_of(records[j].split_group)
    )
    return Splits(assigned["train"], assigned["validation"], assigned["test"], len(pairs), across)
