"""The language of a page from its text: Arabic, its Arabic-script neighbours, and the markup hint."""

from __future__ import annotations

import pytest

from crawler.text.language import LANGUAGES, MAX_CHARS, detect_language, language_scores, normalise_hint

AR = (
    "أعلن المتحدث العسكري اليوم أن منظومات الدفاع الجوي اعترضت ثلاثة صواريخ باليستية أطلقت باتجاه "
    "السفن التجارية في البحر الأحمر، مؤكدا أن القوات البحرية تواصل تأمين خطوط الملاحة الدولية."
)
# Persian: the same script, the letters پ چ ژ گ ی ک, the ZWNJ of "همکاری‌های", "می‌زند".
FA = (
    "وزیر دفاع جمهوری اسلامی ایران روز دوشنبه در دیدار با همتای عراقی خود در تهران گفت که همکاری‌های "
    "دفاعی دو کشور در زمینه آموزش نظامی و تبادل تجربیات گسترش خواهد یافت. او افزود که امنیت منطقه باید "
    "توسط کشورهای منطقه تأمین شود و حضور نیروهای خارجی تنها به بی‌ثباتی دامن می‌زند."
)
# Urdu: ے ہ ں ٹ ڑ, the full stop ۔, postpositions کی کا کے میں.
UR = (
    "پاکستان کی بحریہ نے بحیرہ عرب میں ایک بڑی مشق کا آغاز کیا ہے جس میں جنگی جہاز، آبدوزیں اور لڑاکا "
    "طیارے حصہ لے رہے ہیں۔ ترجمان کے مطابق اس مشق کا مقصد ملک کی سمندری سرحدوں کے دفاع کی صلاحیت کو "
    "جانچنا اور مختلف افواج کے درمیان رابطے کو بہتر بنانا ہے۔"
)
EN = (
    "The defence ministry said on Monday that its air defence systems had intercepted three ballistic "
    "missiles fired towards commercial shipping in the Red Sea, adding that naval forces would keep "
    "escorting vessels through the strait."
)
FR = (
    "Le ministère de la Défense a annoncé lundi que ses systèmes de défense aérienne avaient intercepté "
    "trois missiles balistiques tirés en direction de navires marchands en mer Rouge."
)
TR = (
    "Milli Savunma Bakanlığı, yerli ve milli imkânlarla geliştirilen TAYFUN füzesinin Sinop'ta "
    "gerçekleştirilen test atışında hedefi tam isabetle vurduğunu açıkladı."
)
HE = "משרד הביטחון הודיע היום כי מערכת ההגנה האווירית יירטה שלושה טילים בליסטיים מעל הים האדום."


@pytest.mark.parametrize(
    ("text", "code"),
    [(AR, "ar"), (FA, "fa"), (UR, "ur"), (EN, "en"), (FR, "fr"), (TR, "tr"), (HE, "he")],
)
def test_paragraphs(text: str, code: str) -> None:
    assert detect_language(text) == code
    # the markup does not overrule a paragraph
    for hint in ("ar", "en", "fa"):
        assert detect_language(text, hint) == code


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("الجيش يعلن اعتراض صواريخ باليستية فوق البحر الأحمر", "ar"),
        ("وزیر دفاع ایران با همتای عراقی خود دیدار کرد", "fa"),
        ("پاکستان نیوی کی بحیرہ عرب میں بڑی مشق", "ur"),
    ],
)
def test_titles_of_the_arabic_script(title: str, code: str) -> None:
    assert detect_language(title, "ar") == code


def test_arabic_page_marked_english() -> None:
    assert detect_language(f"وزير الدفاع يستقبل نظيره الأردني\n{AR}", hint="en") == "ar"


def test_title_and_first_paragraphs_only() -> None:
    # what follows the first MAX_CHARS characters (comments, a quoted English statement) does not count
    assert detect_language(AR * (MAX_CHARS // len(AR) + 1) + EN * 50, "en") == "ar"


@pytest.mark.parametrize(
    ("text", "hint", "code"),
    [
        ("", "ar", "ar"),
        ("", "ar-EG", "ar"),
        ("   2024 - 06 - 12  ", "AR", "ar"),
        ("", "", ""),
        # too short to decide: a plausible hint wins ...
        ("وزیر دفاع", "fa", "fa"),
        ("وزیر دفاع", "ur", "ur"),
        # ... one the script contradicts does not
        ("الجيش", "en", "ar"),
        # a language the classifier does not know: nothing contradicts the hint
        ("Bundeswehr", "de-DE", "de"),
    ],
)
def test_markup_hint(text: str, hint: str, code: str) -> None:
    assert detect_language(text, hint) == code


@pytest.mark.parametrize(
    ("hint", "code"),
    [("ar", "ar"), ("ar-SA", "ar"), ("en_US", "en"), (" FA ", "fa"), ("x-default", ""), ("", "")],
)
def test_normalise_hint(hint: str, code: str) -> None:
    assert normalise_hint(hint) == code


def test_scores_fold_the_model_labels() -> None:
    scores = language_scores(AR)
    assert set(scores) == set(LANGUAGES)
    assert scores["ar"] == pytest.approx(1.0, abs=0.01)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
