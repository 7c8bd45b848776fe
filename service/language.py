"""A small, dependency-free guess of a message's language from its script and common words.

It only needs to be good enough to group results and reports per language; it answers ``None``
rather than guess when a message is too short or too mixed to tell.
"""

from __future__ import annotations

import re
from collections import Counter

_WORDS = re.compile(r"[^\s\d.,!?;:()\[\]\"'«»“”،؛؟…\-]+")
_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset("the and you to of for is are with your we in will this from".split()),
    "es": frozenset("el la los las de que y en por para con una usted su del es al".split()),
    "fr": frozenset("le la les de des et en pour vous avec une est du au sur votre".split()),
    "uz": frozenset(
        "va uchun bilan bu siz biz ham oylik ish bor emas qilib oila kerak "
        "ва учун билан бу сиз биз ҳам бор эмас қилиб керак ойлик оила иш пул ҳақида бўйича "
        "орқали йўқ".split()
    ),
    "ru": frozenset("и в не на что с по для вы мы это как от за вас".split()),
    "tg": frozenset(
        "ва дар бо барои аз ин шумо мо ҳам як онҳо буд кор аст ки ба мешавад шуда карда "
        "бояд нест ҳастанд мекунад хеле худ онро".split()
    ),
    "ky": frozenset("жана менен үчүн бул сиз биз да жок бар эмес болот деп".split()),
    "fa": frozenset("و در به از که این را با برای است می شما ما هم یک".split()),
    "ps": frozenset("او په د چې له ته دا دي کې سره لپاره زه موږ تاسو".split()),
    "ar": frozenset("في من على الى إلى عن مع هذا التي الذي هو هي لا ما".split()),
    "ne": frozenset(
        "र मा छ हो पनि लागि भने गर्न हुन्छ छन् तपाईं ले लाई गरेको भएको थियो हुने गर्ने "
        "रहेको तथा भन्ने हामी सबै".split()
    ),
    "hi": frozenset("है और के में की को से हैं यह पर लिए आप हम भी नहीं था थे कि जो गया".split()),
}
_SCRIPT_LANGS = {
    "latin": ("en", "es", "fr", "uz"),
    "cyrillic": ("ru", "uz", "tg", "ky"),
    "arabic": ("fa", "ps", "ar"),
    "devanagari": ("ne", "hi"),
}
_DISTINCT_LETTERS = {
    "tg": re.compile("[ӣӯҷ]"),
    "ky": re.compile("[ңөү]"),
    "uz": re.compile("[ў]"),  # ғ, қ and ҳ are Tajik letters too
    "ps": re.compile("[ټډړږښګڼۍېځڅ]"),
    "fa": re.compile("[گ]"),
    # Nepali plural and case endings joined to the word, and verb endings Hindi does not have.
    "ne": re.compile("हरू|हरु|लाई|छन्|पर्छ|चाहियो|हुन्छ|गर्नु|गर्छ|दिन्छ|थ्यो"),
}


_SCRIPT_RANGES = {
    "latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F)),
    "cyrillic": ((0x400, 0x4FF),),
    "arabic": ((0x600, 0x6FF), (0xFB50, 0xFEFF)),
    "devanagari": ((0x900, 0x97F),),
}
# Every letter of a script becomes one private-use marker, so counting a script's letters is one
# C-level translate and a count instead of a regular-expression scan per script.
_MARKER = {script: chr(0xE000 + i) for i, script in enumerate(_SCRIPT_RANGES)}
_TO_MARKER = {
    code: _MARKER[script]
    for script, ranges in _SCRIPT_RANGES.items()
    for low, high in ranges
    for code in range(low, high + 1)
}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the likely language, or None when the evidence is too thin.

    Reads the first 300 characters: enough to tell the language, and long posts stay cheap.
    """
    text = text[:300]
    marked = text.translate(_TO_MARKER)
    scripts = Counter({name: marked.count(marker) for name, marker in _MARKER.items()})
    if sum(scripts.values()) < 3:
        return None
    script = scripts.most_common(1)[0][0]
    candidates = _SCRIPT_LANGS[script]
    words = Counter(w.casefold() for w in _WORDS.findall(text))
    votes = Counter({lang: 0.0 for lang in candidates})
    for lang in candidates:
        votes[lang] += sum(words[w] for w in _MARKERS[lang].intersection(words))
        letters = _DISTINCT_LETTERS.get(lang)
        if letters:
            votes[lang] += 2 * len(letters.findall(text))
    if script == "latin" and any(s in text for s in ("o'", "g'", "o‘", "g‘", "oʻ", "gʻ")):
        votes["uz"] += 3
    if script == "arabic" and "ة" in text:
        votes["ar"] += 2
    best, score = votes.most_common(1)[0]
    if score == 0:
        return "ru" if script == "cyrillic" else None
    return best
