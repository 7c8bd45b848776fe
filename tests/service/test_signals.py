import pytest

from service.labels import SIGNAL_TYPES
from service.signals import FEATURE_NAMES, count_features, extract

# (language, message, signal types that must be found). Written for these tests only.
CASES = [
    (
        "en",
        "Monthly salary of $1500, Russian passport for you and your family. Free flight tickets, "
        "sign-up bonus, residence permit, citizenship. Army contract. WhatsApp +7 916 204 11 88",
        SIGNAL_TYPES,
    ),
    (
        "fa",
        "معاش ماهانه ۱۵۰۰ دالر، پاداش، پاسپورت روسیه، تابعیت و اقامت برای شما و خانواده. "
        "قرارداد نظامی با ارتش. بلیط رایگان. تماس: ۰۹۱۲۳۴۵۶۷۸۹",
        SIGNAL_TYPES,
    ),
    (
        "ps",
        "میاشتنی معاش ۲۰۰۰ ډالر، بونس، پاسپورټ، تابعیت او اقامت ستاسو کورنۍ ته. "
        "په پوځ کې قرارداد. ټکټ وړیا. اړیکه: +98 912 345 6789",
        SIGNAL_TYPES,
    ),
    (
        "ru",
        "Зарплата от 210 000 руб в месяц, единовременная выплата, паспорт и гражданство РФ, "
        "ВНЖ для семьи, контракт с Минобороны, билеты за наш счёт. Звоните +7 900 123-45-67",
        SIGNAL_TYPES,
    ),
    (
        "uz",
        "Oylik maosh 2000$, bir martalik mukofot, pasport va fuqarolik, yashash uchun ruxsat, "
        "oilangiz uchun. Harbiy kontrakt. Chipta bepul. Murojaat: @ish_rossiya",
        SIGNAL_TYPES,
    ),
    (
        "tg",
        "Маош дар як моҳ 2000 доллар, бонус, шиноснома ва шаҳрвандӣ, иҷозати истиқомат барои "
        "оила. Шартномаи ҳарбӣ. Чипта ройгон. Занг занед: +7 999 111 22 33",
        SIGNAL_TYPES,
    ),
    (
        "ky",
        "Айлык 180 000 рубль, бир жолку төлөм, паспорт жана жарандык, жашоого уруксат үй-бүлөгө. "
        "Аскердик контракт. Билет бекер. Чалыңыз +7 901 555 44 33",
        SIGNAL_TYPES,
    ),
    (
        "ar",
        "راتب شهري ٢٠٠٠ دولار، مكافأة، جواز سفر وجنسية روسية، إقامة للعائلة. عقد مع الجيش. "
        "تذكرة طيران مجانية. تواصل واتساب +963 944 123 456",
        SIGNAL_TYPES,
    ),
    (
        "ne",
        "मासिक तलब २ लाख रुपैयाँ, बोनस, रुसी राहदानी र नागरिकता, रेसिडेन्सी, परिवारलाई पनि। "
        "रुसी सेनामा काम। हवाई टिकट निःशुल्क। सम्पर्क +977 980 1234567",
        SIGNAL_TYPES,
    ),
    (
        "hi",
        "वेतन 2 लाख रुपये महीना, बोनस, रूसी पासपोर्ट और नागरिकता, निवास परमिट, पूरे परिवार को। "
        "रूसी सेना में हेल्पर। फ्लाइट टिकट फ्री। संपर्क करें +91 98765 43210",
        SIGNAL_TYPES,
    ),
    (
        "es",
        "Salario de 2000 dólares al mes, bono, pasaporte y ciudadanía rusa, residencia para tu "
        "familia. Contrato militar con el ejército. Boletos pagados. Escribe al +53 5 555 1234",
        SIGNAL_TYPES,
    ),
    (
        "fr",
        "Salaire de 1500 dollars par mois, prime, passeport et nationalité russe, titre de séjour "
        "pour votre famille. Contrat militaire avec l'armée. Billet d'avion payé. Appelez +7 916 777 00 11",
        SIGNAL_TYPES,
    ),
]

# A benefit (housing, debts, schooling...) in each language, appended to the case above.
_BENEFITS = {
    "en": "Free housing and debt write-off.",
    "fa": "مسکن رایگان و بخشش قرض.",
    "ps": "وړیا کور او د پورونو بخښنه.",
    "ru": "Служебное жильё и списание долгов.",
    "uz": "Bepul uy-joy va qarzlar kechiriladi.",
    "tg": "Хобгоҳ ва табобати ройгон.",
    "ky": "Бекер жатакана жана карыздар кечирилет.",
    "ar": "سكن مجاني وإعفاء من الديون.",
    "ne": "बस्ने ठाउँ र ऋण माफ।",
    "hi": "मुफ्त रहना-खाना और कर्ज माफ।",
    "es": "Vivienda gratis y condonación de deudas.",
    "fr": "Logement gratuit et effacement des dettes.",
}
CASES = [(lang, f"{text} {_BENEFITS[lang]}", types) for lang, text, types in CASES]


@pytest.mark.parametrize(("lang", "text", "types"), CASES, ids=[c[0] for c in CASES])
def test_every_signal_type_in_every_language(lang: str, text: str, types: tuple[str, ...]) -> None:
    found = {s.type for s in extract(text)}
    assert set(types) <= found, f"{lang}: missing {sorted(set(types) - found)}"


@pytest.mark.parametrize(("lang", "text", "types"), CASES, ids=[c[0] for c in CASES])
def test_spans_index_the_original_text(lang: str, text: str, types: tuple[str, ...]) -> None:
    for signal in extract(text):
        assert text[signal.start : signal.end] == signal.text
        assert signal.text.strip() == signal.text and signal.text


def test_obfuscated_lures_are_found_and_point_at_the_obfuscated_text() -> None:
    text = "Get your p a s s p o r t and s4l4ry, пaспорт (Latin a), pass\u200bport"
    passports = [s for s in extract(text) if s.type == "passport"]
    assert [s.text for s in passports] == ["p a s s p o r t", "пaспорт", "pass\u200bport"]


def test_an_innocent_message_has_no_lures() -> None:
    assert extract("See you at dinner tonight, bring the cake!") == []


def test_amounts_without_currency_are_not_salaries() -> None:
    assert [s for s in extract("Room 1500, floor 12") if s.type == "salary"] == []


def test_count_features_has_one_value_per_name() -> None:
    counts = count_features("зарплата 200000 руб, паспорт, не верьте")
    assert len(counts) == len(FEATURE_NAMES)
    named = dict(zip(FEATURE_NAMES, counts, strict=True))
    assert named["lure:passport"] == 1 and named["cue:warn"] >= 1


def _spans(text: str) -> list[tuple[str, str]]:
    return [(s.type, s.text) for s in extract(text)]


def test_amounts_and_phone_numbers_are_found_once_without_overlap():
    text = "Оплата $ 2500 и 300 тыс руб сразу, звоните +7 916 204 11 88 или 495 201 33 40"
    spans = extract(text)
    assert [s.text for s in spans if s.type == "salary"] == ["$ 2500", "300 тыс руб"]
    assert [s.text for s in spans if s.type == "contact"][-2:] == [
        "+7 916 204 11 88",
        "495 201 33 40",
    ]
    for before, after in zip(spans, spans[1:], strict=False):
        assert before.end <= after.start


def test_word_lists_match_from_the_start_of_a_word_only():
    assert ("salary", "usd 900") in _spans("pay usd 900 a month")
    assert not [s for s in extract("he works 12 hours. 5 days") if s.type == "salary"]
    assert ("contact", "imo") in _spans("write on imo now")
    assert not [s for s in extract("Limo service") if s.type == "contact"]


def test_military_id_is_not_a_ticket_and_a_past_participle_is_not_an_ask():
    explainer = "Выплата положена всем, кто заключил контракт; нужен военный билет."
    assert ("travel", "билет") not in _spans(explainer)
    features = dict(zip(FEATURE_NAMES, count_features(explainer.lower()), strict=True))
    assert features["cue:solicit"] == 0
    asking = "Заключите контракт: купим вам билет до Москвы."
    features = dict(zip(FEATURE_NAMES, count_features(asking.lower()), strict=True))
    assert features["cue:solicit"] == 1
    assert ("travel", "билет") in _spans(asking)


def test_lure_emoji_are_signals():
    types = {s.type for s in extract("💸 + ✈ + 👨‍👩‍👧 + 🛂 + 🪖")}
    assert {"bonus", "travel", "family", "passport", "armed_service"} <= types


def test_a_fragment_that_opens_with_a_pattern_other_than_a_digit_is_refused():
    from service.signals import _TypedScanner

    with pytest.raises(ValueError, match="opens with neither"):
        _TypedScanner.build({"salary": (r"[a-z]+pay",)})


def _features(text: str) -> dict[str, float]:
    from service.text import normalize

    return dict(zip(FEATURE_NAMES, count_features(normalize(text).text), strict=True))


def test_lures_inside_quotation_marks_are_counted_apart():
    quoted = _features("Нам прислали: «Зарплата 210 000 руб в месяц и паспорт РФ». Не езжайте!")
    plain = _features("Зарплата 210 000 руб в месяц и паспорт РФ. Звоните!")
    assert quoted["quote:lures"] >= 2
    assert plain["quote:lures"] == 0


def test_word_count_feature_stops_at_the_short_message_limit():
    from service.signals import SHORT_MESSAGE_WORDS

    name = f"size:words<={SHORT_MESSAGE_WORDS}"
    assert _features("Гт 210")[name] == 2
    assert _features(" ".join(["слово"] * 50))[name] == SHORT_MESSAGE_WORDS


def test_no_fragment_is_listed_twice():
    """A second copy of a fragment (also after folding) can never match: the first one wins."""
    from collections import Counter

    from service.lexicon import CUES, LURES
    from service.text import fold_literal

    for groups in (LURES, CUES):
        folded = Counter(fold_literal(f) for fragments in groups.values() for f in fragments)
        assert [f for f, n in folded.items() if n > 1] == []


def test_second_person_address_is_counted_and_joins_the_policy_conjunction():
    offer = _features("Служба по контракту: вы получите 210 000 ₽, ваша семья — жильё.")
    assert offer["cue:address"] == 2
    assert offer["and:armed+lure+address-warn"] == 1
    rule = _features("Кандидаты старше 65 лет к службе по контракту не допускаются.")
    assert rule["cue:address"] == 0 and rule["and:armed+lure+address-warn"] == 0
    warning = _features("Не верьте: вам обещают 210 000 ₽ за контракт, а отправляют на фронт.")
    assert warning["cue:address"] == 1 and warning["and:armed+lure+address-warn"] == 0
    # Arabic "أنت" is found on its own, but not as the tail of a longer word.
    assert _features("أنت وعائلتك")["cue:address"] == 1
    assert _features("كانت الرحلة طويلة")["cue:address"] == 0


def test_contract_and_ministry_words_name_the_destination_in_every_script():
    for text in ("Shartnoma imzolang", "Коргоо министрлиги менен келишим", "العقد مع الجيش"):
        assert "armed_service" in {t for t, _ in _spans(text)}, text
    # "عقد" inside "اعتقد" (I think) is not a contract.
    assert "armed_service" not in {t for t, _ in _spans("اعتقد ان الجو جميل")}
