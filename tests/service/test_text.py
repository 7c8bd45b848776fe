import pytest

from service.text import fold_literal, normalize


def _roundtrip(original: str, needle: str) -> str:
    """The original text behind the first occurrence of ``needle`` in the normalised text."""
    norm = normalize(original)
    index = norm.text.index(needle)
    start, end = norm.to_original(index, index + len(needle))
    return original[start:end]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＰＡＳＳＰＯＲＴ", "passport"),  # NFKC full-width
        ("Паспорт РФ", "паспорт рф"),  # case folding
        ("STRASSE ß", "strasse ss"),
        ("pass\u200bport", "passport"),  # zero-width space
        ("\u202epass\u202cport", "passport"),  # bidi controls
        ("sal\u2060ary\ufeff", "salary"),  # word joiner, BOM
        ("پاسپورت روسيه", "پاسپورت روسیه"),  # Arabic yeh -> Persian yeh
        ("كار", "کار"),  # Arabic kaf -> keheh
        ("۱۵۰۰ دالر", "1500 دالر"),  # Persian digits
        ("٢٠٠٠ دولار", "2000 دولار"),  # Arabic-Indic digits
        ("२००० रुपये", "2000 रुपये"),  # Devanagari digits
        ("пaспорт", "паспорт"),  # Latin a inside a Cyrillic word
        ("pаssport", "passport"),  # Cyrillic а inside a Latin word
        ("s4l4ry", "salary"),
        ("p@ssp0rt", "passport"),
        ("$alary", "salary"),
        ("3арплата", "зарплата"),
        ("p a s s p o r t", "passport"),
        ("s.a.l.a.r.y", "salary"),
        ("п-а-с-п-о-р-т", "паспорт"),
        ("جَيْش", "جیش"),  # diacritics removed
    ],
)
def test_each_transform(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_zwnj_kept_inside_persian_word_and_removed_elsewhere() -> None:
    persian = "می\u200cخواهم"
    assert normalize(persian).text == persian
    assert normalize("pass\u200cport").text == "passport"


def test_plain_numbers_and_words_are_left_alone() -> None:
    text = "Pay 1500 USD in 2024, call 8 800 555 35 35, covid19 and 3rd place"
    assert normalize(text).text == text.lower()


def test_single_letter_words_are_not_joined_when_fewer_than_three() -> None:
    assert normalize("I am a man").text == "i am a man"


@pytest.mark.parametrize(
    ("original", "needle", "expected"),
    [
        ("Get a p a s s p o r t now", "passport", "p a s s p o r t"),
        ("Zero\u200bwidth pass\u200bport!", "passport", "pass\u200bport"),
        ("ＳＡＬＡＲＹ 1500", "salary", "ＳＡＬＡＲＹ"),
        ("معاش ۱۵۰۰ دالر", "1500", "۱۵۰۰"),
        ("Straße paid", "paid", "paid"),
        ("ﬁne salary", "salary", "salary"),
    ],
)
def test_offsets_point_back_to_the_original(original: str, needle: str, expected: str) -> None:
    assert _roundtrip(original, needle) == expected


def test_offsets_cover_every_normalised_character() -> None:
    original = "ＰＡＳＳ\u200b p a y ß ۱۲"
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= o < len(original) for o in norm.offsets)
    assert list(norm.offsets) == sorted(norm.offsets)


def test_fold_literal_matches_message_folding() -> None:
    assert fold_literal("جنسية") == normalize("جنسية").text
    assert fold_literal(r"\d+ руб") == r"\d+ руб"
