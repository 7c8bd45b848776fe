"""Obfuscations recruiters use to slip past filters, applied to messages on purpose.

Used two ways: to augment training (each training message may get an obfuscated twin in the same
group), and as an evaluation suite (recall on the test split under each obfuscation, compared with
clean recall). Every function takes the text and a seeded ``random.Random`` and is deterministic
for a given seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from service.signals import extract

_WORD = re.compile(r"[^\W\d_]{4,}")

_LEET = {
    "a": "4",
    "e": "3",
    "o": "0",
    "i": "1",
    "s": "5",
    "t": "7",
    "а": "@",
    "о": "0",
    "з": "3",
    "б": "6",
    "ч": "4",
}
_TO_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у"}
_TO_LATIN = {v: k for k, v in _TO_CYRILLIC.items()}
_INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u200d")
_EMOJI = {
    "salary": "💵",
    "bonus": "💰",
    "passport": "🛂",
    "citizenship": "🇷🇺",
    "armed_service": "🪖",
    "contact": "📞",
    "travel": "✈️",
    "family": "👨‍👩‍👧",
    "benefits": "🏠",
}
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


def _transliteration(letters: str, romans: str) -> dict[str, str]:
    """Letter-to-Latin table from a string of letters and their space-separated romanisations
    ("_" stands for a letter that is dropped)."""
    return dict(zip(letters, [r.replace("_", "") for r in romans.split()], strict=True))


_CYRILLIC_LATIN = _transliteration(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳӣӯҷңөү",
    "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh sch _ y _ e yu ya o' q g' h i u j ng o u",
)
_ARABIC_LATIN = _transliteration(
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئءآةىيكټډړږښګڼۍېځڅ",
    "a b p t s j ch h kh d z r z zh s sh s z t z a gh f q k g l m n w h i i _ aa a a i k t d r zh x g n ay e dz ts",
)
_DEVANAGARI_LATIN = _transliteration(
    "अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशषसहािीुूेैोौंँः्",
    "a aa i ee u oo e ai o au ka kha ga gha cha chha ja jha ta tha da dha na ta tha da dha na pa pha ba bha ma ya ra la va sha sha sa ha aa i ee u oo e ai o au n n h _",
)


def _pick_words(text: str, rng: random.Random, share: float = 0.35) -> list[re.Match[str]]:
    words = list(_WORD.finditer(text))
    lure_spans = [(s.start, s.end) for s in extract(text)]
    preferred = [w for w in words if any(s < w.end() and w.start() < e for s, e in lure_spans)]
    chosen = set(map(id, preferred))
    others = [w for w in words if id(w) not in chosen]
    rng.shuffle(others)
    extra = others[: max(1, int(len(others) * share * 0.3))]
    return sorted(preferred + extra, key=lambda m: m.start())


def _rewrite_words(text: str, matches: list[re.Match[str]], change: Callable[[str], str]) -> str:
    out, last = [], 0
    for match in matches:
        out.append(text[last : match.start()])
        out.append(change(match.group()))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def spaced_letters(text: str, rng: random.Random) -> str:
    separator = rng.choice([" ", ".", "-", " "])
    return _rewrite_words(text, _pick_words(text, rng), lambda w: separator.join(w))


def leetspeak(text: str, rng: random.Random) -> str:
    def change(word: str) -> str:
        return "".join(_LEET.get(c, c) if rng.random() < 0.6 else c for c in word)

    return _rewrite_words(text, _pick_words(text, rng), change)


def lookalike_letters(text: str, rng: random.Random) -> str:
    def change(word: str) -> str:
        table = _TO_LATIN if any("\u0400" <= c <= "\u04ff" for c in word) else _TO_CYRILLIC
        return "".join(table.get(c, c) if rng.random() < 0.5 else c for c in word)

    return _rewrite_words(text, _pick_words(text, rng), change)


def zero_width(text: str, rng: random.Random) -> str:
    def change(word: str) -> str:
        return "".join(c + (rng.choice(_INVISIBLE) if rng.random() < 0.4 else "") for c in word)

    return _rewrite_words(text, _pick_words(text, rng), change)


def emoji_for_words(text: str, rng: random.Random) -> str:
    spans = [s for s in extract(text) if s.type in _EMOJI and rng.random() < 0.6]
    out, last = [], 0
    for signal in spans:
        if signal.start < last:
            continue
        out.append(text[last : signal.start])
        out.append(_EMOJI[signal.type] if signal.type != "contact" else f"📞 {signal.text}")
        last = signal.end
    out.append(text[last:])
    return "".join(out)


def case_and_punctuation(text: str, rng: random.Random) -> str:
    noisy = []
    for char in text:
        noisy.append(char.upper() if rng.random() < 0.4 else char.lower())
        if char == " " and rng.random() < 0.12:
            noisy.append(rng.choice(["!!", "..", "*", "~", "!!!", "—"]) + " ")
    return "".join(noisy)


def native_digits(text: str, rng: random.Random) -> str:
    if re.search(r"[\u0900-\u097f]", text):
        return text.translate(_DEVANAGARI_DIGITS)
    return text.translate(_PERSIAN_DIGITS if rng.random() < 0.5 else _ARABIC_DIGITS)


def romanise(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        lower = char.lower()
        for table in (_CYRILLIC_LATIN, _ARABIC_LATIN, _DEVANAGARI_LATIN):
            if lower in table:
                out.append(table[lower])
                break
        else:
            out.append(char)
    return "".join(out)


OBFUSCATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "spaced_letters": spaced_letters,
    "leetspeak": leetspeak,
    "lookalike_letters": lookalike_letters,
    "zero_width": zero_width,
    "emoji": emoji_for_words,
    "case_and_punctuation": case_and_punctuation,
    "native_digits": native_digits,
    "romanise": romanise,
}


def obfuscate(text: str, name: str, seed: int) -> str:
    """``text`` under one named obfuscation, reproducibly for a (text, name, seed)."""
    rng = random.Random(f"{seed}:{name}:{text}")
    return OBFUSCATIONS[name](text, rng)


def random_obfuscation(text: str, seed: int) -> tuple[str, str]:
    rng = random.Random(f"{seed}:{text}")
    name = rng.choice(sorted(OBFUSCATIONS))
    return name, obfuscate(text, name, seed)
