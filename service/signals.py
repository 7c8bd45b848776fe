"""Typed lure spans (salary, passport, armed service, ...) located in the ORIGINAL text.

Signals serve two readers: the moderator, who sees which words in the message are lures, and the
classifier, which gets per-type counts as features. Matching runs on the normalised text so that
obfuscated words are found; spans are mapped back through the normaliser's offset map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from service.labels import SIGNAL_TYPES
from service.lexicon import CUES, LURES
from service.text import Normalized, fold_literal, normalize

_WORD_START = r"(?<![^\W\d_])"


@dataclass(frozen=True, slots=True)
class Signal:
    """One lure found in a message; ``start``/``end`` index the original text."""

    type: str
    text: str
    start: int
    end: int


def _compile(fragments: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for fragment in fragments:
        folded = fold_literal(fragment)
        first = folded[0]
        needs_boundary = first.isalpha() and (first.isascii() or "\u0400" <= first <= "\u04ff")
        parts.append(f"{_WORD_START}{folded}" if needs_boundary else folded)
    return re.compile("|".join(f"(?:{p})" for p in parts))


@lru_cache(maxsize=1)
def _lure_patterns() -> dict[str, re.Pattern[str]]:
    missing = set(SIGNAL_TYPES) - set(LURES)
    if missing:
        raise RuntimeError(f"lexicon has no patterns for signal types {sorted(missing)}")
    return {kind: _compile(LURES[kind]) for kind in SIGNAL_TYPES}


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    return {name: _compile(fragments) for name, fragments in CUES.items()}


CUE_NAMES: tuple[str, ...] = tuple(CUES)


def extract_normalized(original: str, normalized: Normalized) -> list[Signal]:
    """Signals of a text that has already been normalised (the scoring path does this once)."""
    found: list[Signal] = []
    for kind, pattern in _lure_patterns().items():
        last_end = -1
        for match in pattern.finditer(normalized.text):
            text = match.group().strip()
            if not text or match.end() <= last_end:
                continue
            lead = len(match.group()) - len(match.group().lstrip())
            start, end = normalized.to_original(
                match.start() + lead, match.start() + lead + len(text)
            )
            found.append(Signal(kind, original[start:end], start, end))
            last_end = match.end()
    found.sort(key=lambda s: (s.start, s.end, s.type))
    return found


def extract(text: str) -> list[Signal]:
    """All lure signals in ``text``, ordered by position."""
    return extract_normalized(text, normalize(text))


def count_features(normalized_text: str) -> list[int]:
    """Per-type lure counts followed by cue counts, for the classifier's signal features."""
    counts = [len(p.findall(normalized_text)) for p in _lure_patterns().values()]
    counts.extend(len(p.findall(normalized_text)) for p in _cue_patterns().values())
    return counts


FEATURE_NAMES: tuple[str, ...] = tuple(f"lure:{t}" for t in SIGNAL_TYPES) + tuple(
    f"cue:{c}" for c in CUE_NAMES
)
