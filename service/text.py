"""Text normalisation that remembers where every character came from.

Recruiters write "p a s s p o r t", "s4l4ry", "пaспорт" with a Latin "a", or hide zero-width
characters inside words so that filters miss them. Normalisation undoes those tricks before
features are computed, and keeps, for every output character, the index of the original character
it came from, so that signals and explanations can point at the text the user actually sent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ZWNJ = "\u200c"
# Invisible characters that carry no meaning for us: zero-width space/joiner, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, and the bidi embedding/override/isolate controls.
_INVISIBLE = frozenset(
    "\u200b\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_ARABIC_DIACRITICS = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0640])
_LETTER_VARIANTS = {
    "ي": "ی",
    "ى": "ی",
    "ئ": "ی",
    "ك": "ک",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ۀ": "ه",
    "ة": "ه",
}
_DIGITS = {
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
    **{chr(0x0966 + i): str(i) for i in range(10)},  # Devanagari
}

# Look-alike letters, folded only inside words that mix Latin and Cyrillic.
_LATIN_TO_CYRILLIC = dict(zip("aceopxykmhtbu3", "асеорхукмнтвиз", strict=True))
_CYRILLIC_TO_LATIN = dict(zip("асеорхукмнтвіј", "aceopxykmhtbij", strict=True))
# Leetspeak, folded only when the symbol sits between letters of one script.
_LEET_LATIN = {"4": "a", "3": "e", "0": "o", "1": "i", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_CYRILLIC = {"0": "о", "3": "з", "@": "а", "4": "ч", "6": "б"}

_SPACED_SEPARATORS = " .-_*·•|/"
# Three or more single letters separated by one or two separator characters: "p a s s", "п.а.с".
_SPACED_RUN = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*·•|/]{1,2}){2,}[^\W\d_](?![^\W\d_])")
_WORD = re.compile(r"[\w@$]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and, for each of its characters, the index in the original text."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Maps a span [start, end) of the normalised text to a span of the original text."""
        if not self.text or end <= start:
            return (0, 0)
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.offsets[start], self.offsets[end - 1] + 1


def _script(char: str) -> str:
    code = ord(char)
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if char.isascii() and char.isalpha():
        return "latin"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    return "other"


def _is_arabic_letter(char: str) -> bool:
    return _script(char) == "arabic" and char.isalpha()


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """NFKC, case folding, letter variants and digits for one character (may grow or vanish)."""
    if char in _INVISIBLE or char in _ARABIC_DIACRITICS:
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(_DIGITS.get(c, _LETTER_VARIANTS.get(c, c)) for c in folded)


def _fold_characters(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char == ZWNJ:
            # Persian writes ZWNJ inside words (می‌خواهم); elsewhere it only hides a word.
            before = text[index - 1] if index > 0 else ""
            after = text[index + 1] if index < last else ""
            if before and after and _is_arabic_letter(before) and _is_arabic_letter(after):
                chars.append(ZWNJ)
                offsets.append(index)
            continue
        for out in _fold_char(char):
            chars.append(out)
            offsets.append(index)
    return chars, offsets


def _fold_word(word: str) -> str:
    """Folds look-alikes and leetspeak inside one word; returns a string of the same length."""
    latin = sum(1 for c in word if _script(c) == "latin")
    cyrillic = sum(1 for c in word if _script(c) == "cyrillic")
    if latin == 0 and cyrillic == 0:
        return word
    target = "cyrillic" if cyrillic >= latin else "latin"
    if latin and cyrillic:
        table = _LATIN_TO_CYRILLIC if target == "cyrillic" else _CYRILLIC_TO_LATIN
        word = "".join(table.get(c, c) for c in word)
    if not any(c in _LEET_LATIN or c in _LEET_CYRILLIC for c in word):
        return word
    leet = _LEET_CYRILLIC if target == "cyrillic" else _LEET_LATIN
    out = list(word)
    for i, char in enumerate(word):
        if char not in leet:
            continue
        before = word[i - 1] if i > 0 else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        between_letters = before.isalpha() and after.isalpha()
        # A leading "$" or "@"/"3"/"0" before Cyrillic letters is a disguise too ("$alary", "3арплата").
        leading = (
            i == 0 and after.isalpha() and len(word) >= 4 and (char in "$@" or target == "cyrillic")
        )
        if between_letters or leading:
            out[i] = leet[char]
    return "".join(out)


# A word needs folding only where Latin touches Cyrillic or a leet symbol touches a letter.
_SUSPECT = re.compile(
    r"[a-z][\u0400-\u04ff]|[\u0400-\u04ff][a-z]|[^\W\d_][4301576@$]|[4301576@$][^\W\d_]"
)


def _fold_words(chars: list[str]) -> list[str]:
    text = "".join(chars)
    suspects = [m.start() for m in _SUSPECT.finditer(text)]
    if not suspects:
        return chars
    out = list(text)
    for match in _WORD.finditer(text):
        if not any(match.start() <= p < match.end() for p in suspects):
            continue
        word = match.group()
        folded = _fold_word(word)
        if folded != word:
            out[match.start() : match.end()] = folded
    return out


def _join_spaced(chars: list[str], offsets: list[int]) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    matches = list(_SPACED_RUN.finditer(text))
    if not matches:
        return chars, offsets
    drop: set[int] = set()
    for match in matches:
        for i in range(match.start(), match.end()):
            if text[i] in _SPACED_SEPARATORS:
                drop.add(i)
    kept = [i for i in range(len(chars)) if i not in drop]
    return [chars[i] for i in kept], [offsets[i] for i in kept]


_ONE_TO_ONE = str.maketrans({**_DIGITS, **_LETTER_VARIANTS})
# Characters that folding deletes; a text without them keeps one output character per input one.
_DELETED = re.compile("[" + "".join(sorted(_INVISIBLE | _ARABIC_DIACRITICS)) + ZWNJ + "]")


def _fold_whole(text: str) -> str | None:
    """The folded text when folding keeps every character in place, else None (slow path).

    Most messages in Cyrillic, Arabic or Devanagari script qualify; folding the whole string
    with C-level calls is several times faster than folding it character by character.
    """
    mapped = text.translate(_ONE_TO_ONE)
    if _DELETED.search(mapped) or not unicodedata.is_normalized("NFKC", mapped):
        return None
    folded = mapped.casefold()
    return folded if len(folded) == len(text) else None


def normalize(text: str) -> Normalized:
    """Returns the normalised text with an offset map back into ``text``."""
    if text.isascii():
        folded = text.lower()
        if _SUSPECT.search(folded) is None and _SPACED_RUN.search(folded) is None:
            return Normalized(folded, tuple(range(len(text))), len(text))
    whole = _fold_whole(text)
    if whole is not None:
        chars, offsets = list(whole), list(range(len(text)))
    else:
        chars, offsets = _fold_characters(text)
    chars = _fold_words(chars)
    chars, offsets = _join_spaced(chars, offsets)
    return Normalized("".join(chars), tuple(offsets), len(text))


def normalize_text(text: str) -> str:
    """The normalised text alone, for feature extraction where offsets are not needed."""
    return normalize(text).text


def fold_literal(literal: str) -> str:
    """Folds the non-ASCII characters of a pattern literal the way message text is folded.

    Word lists are written in ordinary spelling; folding them with the message's own rules means
    "جنسية" in a list matches "جنسيه" in a message, and nobody has to write both.
    """
    return "".join(c if c.isascii() else _fold_char(c) for c in literal)
