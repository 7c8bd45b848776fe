"""Golden cases: what the shipped model must get right in every language and hard-negative kind.

These texts were written for the tests and are not in data/. Offers must be flagged; hard
negatives must not be.
"""

import pytest

from service.detector import Detector
from service.text import normalize

SEED_OFFERS = {
    "en": "Brothers, the offer is real: a monthly salary of $1500 USD from the moment you enter "
    "Russia, and a Russian Federation passport for you and your family. Sign the contract with "
    "the army, tickets are paid. Send your documents on WhatsApp +7 915 402 33 19",
    "fa": "برادران عزیز، معاش ماهانه ۱۵۰۰ دالر امریکایی از لحظه ورود به روسیه، و پاسپورت "
    "فدراسیون روسیه برای شما و خانواده تان. قرارداد با اردوی روسیه امضا کنید، تکت رایگان. "
    "اسناد خود را در واتساپ بفرستید ۰۰۷۹۱۵۴۰۲۳۳۱۹",
    "ru": "Братья, предложение настоящее: ежемесячная зарплата 1500 долларов США с момента въезда "
    "в Россию и паспорт Российской Федерации для вас и вашей семьи. Подпишите контракт с "
    "армией, билеты оплачиваются. Документы присылайте в WhatsApp +7 915 402 33 19",
}

OFFERS = {
    **SEED_OFFERS,
    "ps": "وروڼو، روسیې ته د رسیدو له ورځې میاشتنی معاش ۱۸۰۰ ډالر، د روسیې پاسپورټ تاسو او ستاسو "
    "کورنۍ ته. په پوځ کې قرارداد لاسلیک کړئ. اړیکه: ۰۰۷۹۰۳۱۱۲۲۴۴۸",
    "uz": "Aka-ukalar, Rossiya armiyasi bilan kontrakt: oylik maosh 2500 dollar, bir martalik "
    "to'lov 400 ming rubl, siz va oilangiz uchun Rossiya fuqaroligi. Murojaat: +7 926 118 40 21",
    "tg": "Бародарон, шартнома бо артиши Русия: маош дар як моҳ 2200 доллар, пардохти якдафъаина "
    "ва шиносномаи Русия барои шумо ва оилаатон. Занг занед: +7 916 550 12 90",
    "ky": "Агалар, Орусиянын армиясы менен контракт: айлык 210 000 рубль, бир жолку төлөм 500 000, "
    "сизге жана үй-бүлөңүзгө Орусиянын жарандыгы. Чалыңыз +7 925 301 77 45",
    "ar": "يا شباب، عقد مع الجيش الروسي: راتب شهري ٢٠٠٠ دولار من يوم الوصول، وجواز سفر روسي لك "
    "ولعائلتك، التذاكر مدفوعة. للتسجيل تواصل واتساب +963 944 210 387",
    "ne": "दाजुभाइ हो, रुसी सेनामा काम: मासिक तलब २ लाख ५० हजार रुपैयाँ, रुसी राहदानी र परिवारलाई "
    "नागरिकता, हवाई टिकट निःशुल्क। सम्पर्क गर्नुहोस् +977 9812345670",
    "hi": "भाइयों, रूसी सेना में हेल्पर की नौकरी: हर महीने 2 लाख रुपये वेतन, रूसी पासपोर्ट और "
    "परिवार को नागरिकता, फ्लाइट टिकट फ्री। अभी संपर्क करें व्हाट्सएप +91 98110 45522",
    "es": "Hermanos cubanos: contrato con el ejército ruso, salario de 2000 dólares al mes desde "
    "que llegas, pasaporte ruso para ti y tu familia, boleto pagado. Escribe al +7 916 330 21 09",
    "fr": "Frères, contrat avec l'armée russe : salaire de 1800 dollars par mois dès l'arrivée, "
    "passeport russe pour vous et votre famille, billet d'avion payé. Appelez le +7 917 220 45 61",
}

# Hard negatives: warnings that repeat the offer, news about it, and the other kinds.
NEGATIVES = [
    (
        "en",
        "warning",
        "Please share: they promise $1500 a month and a Russian passport for your "
        "family, but do not go. My cousin signed that army contract and was sent to the front; "
        "we have not heard from him since.",
    ),
    (
        "en",
        "news",
        "Recruiters have offered Afghan former soldiers in Iran a monthly salary of "
        "$1,500 and Russian passports for their families, according to three men interviewed by "
        "reporters, who said several acquaintances later died at the front.",
    ),
    (
        "en",
        "legit_job",
        "Hiring warehouse pickers in Poland: 4,200 PLN per month, visa "
        "sponsorship, shared housing and flight paid. Apply with your CV at jobs@nordlogistics.pl",
    ),
    (
        "en",
        "immigration_service",
        "Passport renewal and residence permit applications: our "
        "lawyers help with citizenship files and family reunification. Book a consultation.",
    ),
    (
        "en",
        "military_news",
        "The defence ministry said the brigade completed winter exercises; "
        "parliament will vote on the military budget next week.",
    ),
    (
        "en",
        "personal_chat",
        "Mom, I got my salary today, I'll send $200 for Ali's passport fee. "
        "Tell the family I'm fine.",
    ),
    (
        "en",
        "generic_scam",
        "Congratulations! You won $1500. Send your passport photo and a $20 "
        "fee to claim your prize today.",
    ),
    (
        "fa",
        "warning",
        "هشدار: به وعده معاش ۱۵۰۰ دالر و پاسپورت روسیه باور نکنید. این ها جوانان ما "
        "را به جبهه جنگ اوکراین می فرستند و بسیاری کشته شده اند.",
    ),
    (
        "fa",
        "news",
        "به گزارش رسانه ها، به سربازان سابق افغان در ایران معاش ماهانه ۱۵۰۰ دالر و "
        "پاسپورت روسیه پیشنهاد شده است؛ خانواده های چند تن از آنان می گویند که در جنگ کشته شده اند.",
    ),
    (
        "ru",
        "warning",
        "Внимание! Не верьте обещаниям: зарплата 1500 долларов и паспорт РФ для "
        "семьи. Мигрантов после подписания контракта отправляют на фронт. Не подписывайте ничего.",
    ),
    (
        "ru",
        "news",
        "Как сообщают правозащитники, иностранным мигрантам предлагают ежемесячную "
        "выплату и гражданство РФ для семьи за контракт с Минобороны; по их данным, многие погибли.",
    ),
    (
        "ru",
        "legit_job",
        "Требуются разнорабочие на склад в Подольске, вахта 30/30, зарплата "
        "от 90 000 руб, жильё и питание. Звоните +7 926 000 11 22",
    ),
    (
        "ar",
        "warning",
        "تحذير: لا تصدقوا عروض الراتب ٢٠٠٠ دولار والجواز الروسي، يرسلون الشباب إلى "
        "جبهات القتال في أوكرانيا ولا يعود كثير منهم.",
    ),
    (
        "uz",
        "warning",
        "Ogoh bo'ling! Oylik 2500 dollar va Rossiya fuqaroligi va'da qilishadi, "
        "lekin kontraktdan keyin frontga jo'natishadi. Aldanmang!",
    ),
    (
        "es",
        "news",
        "Según familias en La Habana, a jóvenes cubanos les prometieron 2000 dólares "
        "al mes y la ciudadanía rusa, pero terminaron en el frente, informó la prensa independiente.",
    ),
    (
        "fr",
        "warning",
        "Attention : on vous promet 1800 dollars par mois et un passeport russe, "
        "mais ces contrats militaires envoient les jeunes Africains au front. N'y allez pas.",
    ),
]

OBFUSCATIONS = {
    "spaced": lambda t: t.replace("passport", "p a s s p o r t").replace("salary", "s a l a r y"),
    "leet": lambda t: t.replace("passport", "p4ssp0rt").replace("salary", "s4l4ry"),
    "zero_width": lambda t: "\u200b".join(t[i : i + 3] for i in range(0, len(t), 3)),
    "lookalike": lambda t: t.replace("a", "а").replace("o", "о"),  # Cyrillic а and о
    "upper_noise": lambda t: t.upper().replace(" ", "  ").replace(",", " ,!"),
}


@pytest.mark.parametrize("lang", sorted(OFFERS))
def test_offers_are_flagged_in_every_language(detector: Detector, lang: str) -> None:
    result = detector.score([OFFERS[lang]])[0]
    assert result.decision == "flag", f"{lang}: score {result.score:.3f}"


@pytest.mark.parametrize(
    ("lang", "kind", "text"), NEGATIVES, ids=[f"{n[0]}-{n[1]}" for n in NEGATIVES]
)
def test_hard_negatives_are_not_flagged(
    detector: Detector, lang: str, kind: str, text: str
) -> None:
    result = detector.score([text])[0]
    assert result.decision != "flag", f"{lang} {kind}: score {result.score:.3f}"


@pytest.mark.parametrize("name", sorted(OBFUSCATIONS))
def test_obfuscated_seed_offer_is_flagged(detector: Detector, name: str) -> None:
    text = OBFUSCATIONS[name](SEED_OFFERS["en"])
    assert normalize(text).text != text.lower() or name == "upper_noise"
    result = detector.score([text])[0]
    assert result.decision == "flag", f"{name}: score {result.score:.3f}"
