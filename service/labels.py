"""The label schema: the one place that names labels, kinds, languages and signal types.

Training, evaluation and serving all import these names so that a kind or a language is never
spelled twice. The label policy itself lives in ``shared/label-policy.md``; its version is recorded
in every model manifest so a model can be traced to the rules its data followed.
"""

from __future__ import annotations

LABEL_POLICY_VERSION = "2026-11-v1"

POSITIVE_KINDS: tuple[str, ...] = (
    "offer",
    "disguised_offer",
    "obfuscated_offer",
    "forwarded_offer",
)
NEGATIVE_KINDS: tuple[str, ...] = (
    "warning",
    "news",
    "legit_job",
    "immigration_service",
    "military_news",
    "personal_chat",
    "generic_scam",
    "other",
)
KINDS: tuple[str, ...] = POSITIVE_KINDS + NEGATIVE_KINDS

LANGUAGES: dict[str, str] = {
    "en": "English",
    "fa": "Dari / Persian",
    "ps": "Pashto",
    "ru": "Russian",
    "uz": "Uzbek",
    "tg": "Tajik",
    "ky": "Kyrgyz",
    "ar": "Arabic",
    "ne": "Nepali",
    "hi": "Hindi",
    "es": "Spanish",
    "fr": "French",
}

SIGNAL_TYPES: tuple[str, ...] = (
    "salary",
    "bonus",
    "passport",
    "citizenship",
    "residence",
    "armed_service",
    "contact",
    "travel",
    "family",
    "benefits",
)

DECISIONS: tuple[str, ...] = ("pass", "review", "flag")


def label_for_kind(kind: str) -> int:
    """The label a kind implies; raises for a kind the policy does not know."""
    if kind in POSITIVE_KINDS:
        return 1
    if kind in NEGATIVE_KINDS:
        return 0
    raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
