from pathlib import Path

from service import artifact
from service.detector import Detector

OFFER_EN = (
    "Monthly salary $1500 from arrival in Russia, Russian passport for your family. "
    "Sign the army contract. WhatsApp +7 915 402 33 19"
)
OFFER_RU = (
    "Контракт с армией РФ: зарплата 210 000 руб в месяц, паспорт РФ для семьи, "
    "подъёмные 400 тыс. Пишите в WhatsApp +7 915 402 33 19"
)


def test_a_language_cap_applies_to_that_language_only(model_dir: Path) -> None:
    pipeline, manifest = artifact.load(model_dir / "current")
    manifest.flag_by_language = {"en": 1.0}
    detector = Detector(pipeline, manifest)
    english, russian = detector.score([OFFER_EN, OFFER_RU])
    assert english.language == "en" and english.thresholds["flag"] == 1.0
    assert english.decision != "flag"
    assert russian.language == "ru" and russian.thresholds == detector.thresholds
    assert russian.decision == "flag"


def test_explanations_point_into_the_original_text(detector: Detector) -> None:
    text = "Get your p a s s p o r t and s4l4ry 2000$ in the army, call +7 915 402 33 19"
    result = detector.score([text])[0]
    assert result.explanation
    for span in result.explanation:
        assert text[span.start : span.end] == span.text and span.weight > 0
    ordered = [span.weight for span in result.explanation]
    assert ordered == sorted(ordered, reverse=True)
