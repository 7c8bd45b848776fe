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


@dataclass(frozen=True, slots=True)
class Signal:
    """One lure found in a message; ``start``/``end`` index the original text."""

    type: str
    text: str
    start: int
    end: int


_META = set("\\.^$*+?{}[]|()")
_QUANTIFIERS = set("?*+{")
# Word lists are matched from the start of a word only when they begin with a Latin or Cyrillic
# letter; Arabic-script and Devanagari words are often written joined to a particle.
_WORD_START_AFTER_FIRST = r"(?<![^\W\d_].)"
_DIGIT_LED = re.compile(r"(?:\\b|\(\?:)*\\d")


def _split_literal_prefix(fragment: str) -> tuple[str, str]:
    """("salar", "(?:y|ies)") for "salar(?:y|ies)"; ("t.me/", "") for "t\\.me/".

    Escaped punctuation counts as literal; a quantified last character stays in the tail.
    """
    literal: list[str] = []
    index = 0
    while index < len(fragment):
        char = fragment[index]
        if char == "\\" and index + 1 < len(fragment) and not fragment[index + 1].isalnum():
            step, char = 2, fragment[index + 1]
        elif char in _META:
            break
        else:
            step = 1
        following = fragment[index + step : index + step + 1]
        if following and following in _QUANTIFIERS:
            break
        literal.append(char)
        index += step
    return "".join(literal), fragment[index:]


def _bounded(char: str) -> bool:
    return char.isalpha() and (char.isascii() or "\u0400" <= char <= "\u04ff")


@dataclass(frozen=True, slots=True)
class _TypedScanner:
    """Finds typed matches of many word lists in one left-to-right pass.

    Every fragment that opens with a literal goes into ONE prefix tree for all types, ending in an
    empty marker group that names its type; such a pattern opens with a set of first characters,
    which the regex engine skips through in C instead of trying hundreds of words (or a dozen
    per-type alternations) at every position. Fragments that open with a digit class (amounts,
    phone numbers) form a second pattern guarded by a digit look-ahead. Matches of the two are
    merged left to right without overlaps, like a single ``finditer``.
    """

    words: re.Pattern[str]
    digits: re.Pattern[str] | None
    types: dict[str, str]

    @classmethod
    def build(cls, groups: dict[str, tuple[str, ...]]) -> _TypedScanner:
        trie: dict = {}
        led_by_digit: list[tuple[str, str]] = []
        for name, fragments in groups.items():
            for fragment in fragments:
                folded = fold_literal(fragment)
                literal, tail = _split_literal_prefix(folded)
                if not literal:
                    if not _DIGIT_LED.match(folded):
                        raise ValueError(
                            f"{name}: {fragment!r} opens with neither text nor a digit"
                        )
                    led_by_digit.append((name, folded))
                    continue
                node = trie
                for char in literal:
                    node = node.setdefault(char, {})
                node.setdefault("", []).append((name, tail))
        types: dict[str, str] = {}

        def marker(name: str) -> str:
            group = f"m{len(types)}"
            types[group] = name
            return f"(?P<{group}>)"

        def render(node: dict, depth: int) -> str:
            options = []
            for char, child in node.items():
                if char == "":
                    continue
                head = re.escape(char)
                if depth == 0 and _bounded(char):
                    head += _WORD_START_AFTER_FIRST
                options.append(head + render(child, depth + 1))
            options += [tail + marker(name) for name, tail in node.get("", [])]
            return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

        words = re.compile(render(trie, 0))
        digits = None
        if led_by_digit:
            body = "|".join(f"(?:{fragment}){marker(name)}" for name, fragment in led_by_digit)
            digits = re.compile(f"(?=\\d)(?:{body})")
        return cls(words, digits, types)

    def scan(self, text: str) -> list[tuple[str, int, int]]:
        """Non-overlapping (type, start, end) matches, leftmost first."""
        found = [
            (m.start(), m.end(), self.types[m.lastgroup or ""]) for m in self.words.finditer(text)
        ]
        if self.digits is not None:
            extra = [
                (m.start(), m.end(), self.types[m.lastgroup or ""])
                for m in self.digits.finditer(text)
            ]
            if extra:
                merged: list[tuple[int, int, str]] = []
                for match in sorted(found + extra):
                    if not merged or match[0] >= merged[-1][1]:
                        merged.append(match)
                found = merged
        return [(kind, start, end) for start, end, kind in found]


@lru_cache(maxsize=1)
def _lure_scanner() -> _TypedScanner:
    missing = set(SIGNAL_TYPES) - set(LURES)
    if missing:
        raise RuntimeError(f"lexicon has no patterns for signal types {sorted(missing)}")
    return _TypedScanner.build({kind: LURES[kind] for kind in SIGNAL_TYPES})


@lru_cache(maxsize=1)
def _cue_scanner() -> _TypedScanner:
    return _TypedScanner.build(dict(CUES))


CUE_NAMES: tuple[str, ...] = tuple(CUES)


@lru_cache(maxsize=4096)
def _scan(normalized_text: str) -> tuple[tuple[str, int, int], ...]:
    """Lure matches (type, start, end) in normalised text.

    Cached because one scoring call needs them twice, as features and as signals for the answer.
    """
    found = []
    for kind, start, end in _lure_scanner().scan(normalized_text):
        raw = normalized_text[start:end]
        text = raw.strip()
        if text:
            begin = start + len(raw) - len(raw.lstrip())
            found.append((kind, begin, begin + len(text)))
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


SHORT_MESSAGE_WORDS = 10
_QUOTED = re.compile(r'«[^»]{8,}»|“[^”]{8,}”|„[^“”]{8,}[“”]|"[^"]{8,}"')


def _quoted_spans(normalized_text: str) -> list[tuple[int, int]]:
    """Stretches between quotation marks: warnings and news quote the offer they talk about."""
    return [match.span() for match in _QUOTED.finditer(normalized_text)]


# Every signal type is a lure except where the message points (armed service) and how to answer.
_LURE_TYPES = tuple(t for t in SIGNAL_TYPES if t not in ("armed_service", "contact"))
INTERACTION_NAMES: tuple[str, ...] = (
    "and:armed+lure",
    "and:armed+ask",
    "and:lure+ask",
    "and:armed+lure+ask",
    "and:armed+lure+ask-warn",
    "and:armed+lure+warn",
    "and:armed+lure+report",
    "and:armed+lure+address-warn",
)


def count_features(normalized_text: str) -> list[float]:
    """Per-type lure counts, cue counts, the policy's conjunctions as 0/1 features, then the
    number of lures inside quotation marks, then the number of words.

    The label policy asks for an ask AND an armed-service destination AND a lure; a linear model
    over counts cannot express "all three", so the conjunctions are given to it directly. The
    word count lets the second stage learn that two or three tokens ("1.27v", "Гт 210") cannot
    carry an offer, however their few n-grams happen to weigh. It stops at
    ``SHORT_MESSAGE_WORDS``: beyond that, length says nothing about stance, and the long web
    pages in the data would otherwise teach that long means offer.
    """
    lures = dict.fromkeys(SIGNAL_TYPES, 0)
    quoted = 0
    spans = _scan(normalized_text)
    quotes = _quoted_spans(normalized_text) if spans else []
    for kind, start, _ in spans:
        lures[kind] += 1
        if kind != "contact" and any(begin < start < end for begin, end in quotes):
            quoted += 1
    cues = dict.fromkeys(CUE_NAMES, 0)
    for kind, _, _ in _cue_scanner().scan(normalized_text):
        cues[kind] += 1
    armed = lures["armed_service"] > 0
    lure = any(lures[t] for t in _LURE_TYPES)
    ask = lures["contact"] > 0 or cues["solicit"] > 0
    warn, report = cues["warn"] > 0, cues["report"] > 0
    addressed = cues["address"] > 0
    conjunctions = [
        armed and lure,
        armed and ask,
        lure and ask,
        armed and lure and ask,
        armed and lure and ask and not warn,
        armed and lure and warn,
        armed and lure and report,
        armed and lure and addressed and not warn,
    ]
    words = float(min(len(normalized_text.split()), SHORT_MESSAGE_WORDS))
    return [*lures.values(), *cues.values(), *(float(c) for c in conjunctions), quoted, words]


FEATURE_NAMES: tuple[str, ...] = (
    tuple(f"lure:{t}" for t in SIGNAL_TYPES)
    + tuple(f"cue:{c}" for c in CUE_NAMES)
    + INTERACTION_NAMES
    + ("quote:lures", f"size:words<={SHORT_MESSAGE_WORDS}")
)
