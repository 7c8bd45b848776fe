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


_META = set("\\.^$*+?{}[]|()")
_QUANTIFIERS = set("?*+{")


def _split_literal_prefix(fragment: str) -> tuple[str, str]:
    """("salar", "(?:y|ies)") for "salar(?:y|ies)"; a quantified last letter stays in the tail."""
    end = 0
    while end < len(fragment) and fragment[end] not in _META:
        end += 1
    if end < len(fragment) and fragment[end] in _QUANTIFIERS and end > 0:
        end -= 1
    return fragment[:end], fragment[end:]


def _trie_regex(fragments: list[str]) -> str:
    """One alternation shaped as a prefix tree, so the regex engine branches once per character.

    A flat alternation of hundreds of words is tried word by word at every position, which made
    signal extraction the slowest step of scoring; the tree tries only the words that share the
    characters seen so far.
    """
    trie: dict = {}
    for fragment in fragments:
        literal, tail = _split_literal_prefix(fragment)
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node.setdefault("", []).append(tail)

    def render(node: dict) -> str:
        options = [re.escape(char) + render(child) for char, child in node.items() if char != ""]
        tails = node.get("", [])
        options += [t for t in tails if t]
        optional = "" in tails
        if not options:
            return ""
        body = options[0] if len(options) == 1 and not optional else "(?:" + "|".join(options) + ")"
        if optional:
            body = (body if body.startswith("(?:") else f"(?:{body})") + "?"
        return body

    return render(trie)


def _alternation(fragments: tuple[str, ...]) -> str:
    bounded: list[str] = []
    free: list[str] = []
    for fragment in fragments:
        folded = fold_literal(fragment)
        first = folded[0]
        if first.isalpha() and (first.isascii() or "\u0400" <= first <= "\u04ff"):
            bounded.append(folded)
        else:
            free.append(folded)
    parts = []
    if bounded:
        parts.append(f"{_WORD_START}{_trie_regex(bounded)}")
    if free:
        parts.append(_trie_regex(free))
    return "|".join(f"(?:{p})" for p in parts)


def _named(groups: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """One regex with a named group per type, so a text is scanned once, not once per type."""
    return re.compile("|".join(f"(?P<{name}>{_alternation(f)})" for name, f in groups.items()))


@lru_cache(maxsize=1)
def _lure_pattern() -> re.Pattern[str]:
    missing = set(SIGNAL_TYPES) - set(LURES)
    if missing:
        raise RuntimeError(f"lexicon has no patterns for signal types {sorted(missing)}")
    return _named({kind: LURES[kind] for kind in SIGNAL_TYPES})


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    return _named(dict(CUES))


CUE_NAMES: tuple[str, ...] = tuple(CUES)


@lru_cache(maxsize=4096)
def _scan(normalized_text: str) -> tuple[tuple[str, int, int], ...]:
    """Lure matches (type, start, end) in normalised text.

    Cached because one scoring call needs them twice, as features and as signals for the answer.
    """
    found = []
    for match in _lure_pattern().finditer(normalized_text):
        raw = match.group()
        text = raw.strip()
        if text:
            lead = len(raw) - len(raw.lstrip())
            start = match.start() + lead
            found.append((match.lastgroup or "", start, start + len(text)))
    return tuple(found)


def clear_cache() -> None:
    """Forgets cached scans (benchmarks call it so that repeated runs measure real work)."""
    _scan.cache_clear()


def extract_normalized(original: str, normalized: Normalized) -> list[Signal]:
    """Signals of a text that has already been normalised (the scoring path does this once)."""
    found = []
    for kind, start, end in _scan(normalized.text):
        begin, finish = normalized.to_original(start, end)
        found.append(Signal(kind, original[begin:finish], begin, finish))
    found.sort(key=lambda s: (s.start, s.end, s.type))
    return found


def extract(text: str) -> list[Signal]:
    """All lure signals in ``text``, ordered by position."""
    return extract_normalized(text, normalize(text))


_LURE_TYPES = ("salary", "bonus", "passport", "citizenship", "residence", "travel", "family")
INTERACTION_NAMES: tuple[str, ...] = (
    "and:armed+lure",
    "and:armed+ask",
    "and:lure+ask",
    "and:armed+lure+ask",
    "and:armed+lure+ask-warn",
    "and:armed+lure+warn",
    "and:armed+lure+report",
)


def count_features(normalized_text: str) -> list[float]:
    """Per-type lure counts, cue counts, then the policy's conjunctions as 0/1 features.

    The label policy asks for an ask AND an armed-service destination AND a lure; a linear model
    over counts cannot express "all three", so the conjunctions are given to it directly.
    """
    lures = dict.fromkeys(SIGNAL_TYPES, 0)
    for kind, _, _ in _scan(normalized_text):
        lures[kind] += 1
    cues = dict.fromkeys(CUE_NAMES, 0)
    for match in _cue_pattern().finditer(normalized_text):
        cues[match.lastgroup or ""] += 1
    armed = lures["armed_service"] > 0
    lure = any(lures[t] for t in _LURE_TYPES)
    ask = lures["contact"] > 0 or cues["solicit"] > 0
    warn, report = cues["warn"] > 0, cues["report"] > 0
    conjunctions = [
        armed and lure,
        armed and ask,
        lure and ask,
        armed and lure and ask,
        armed and lure and ask and not warn,
        armed and lure and warn,
        armed and lure and report,
    ]
    return [*lures.values(), *cues.values(), *(float(c) for c in conjunctions)]


FEATURE_NAMES: tuple[str, ...] = (
    tuple(f"lure:{t}" for t in SIGNAL_TYPES)
    + tuple(f"cue:{c}" for c in CUE_NAMES)
    + INTERACTION_NAMES
)
