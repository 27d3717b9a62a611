"""Word lists shared by the extractor and the pipelines, each in one place.

Phrases are written once in their usual spelling; :func:`crawler.arabic.fuzzy_pattern`
makes them match hamza/ya/ta-marbuta variants, tashkeel, tatweel and missing
or doubled spaces.
"""

from __future__ import annotations

import re

from crawler.arabic import fuzzy_pattern

# Labels that open a read-also chain (a list of related article titles) or
# introduce a whole appended article on aggregator pages.
READ_ALSO_LABELS: tuple[str, ...] = (
    "اقرأ أيضا",
    "اقرأ ايضا",
    "اقرأ كذلك",
    "اقرأ المزيد",
    "شاهد أيضا",
    "طالع أيضا",
    "تابع أيضا",
    "قد يهمك أيضا",
    "قد يهمك",
    "ننصحك بقراءة",
    "مواضيع ذات صلة",
    "موضوعات ذات صلة",
    "مواضيع متعلقة",
    "الموضوعات المتعلقة",
    "المواضيع المتعلقة",
    "أخبار ذات صلة",
    "أخبار متعلقة",
    "الأخبار المرتبطة",
    "أخبار مرتبطة",
    "مقالات ذات صلة",
    "المزيد من الأخبار",
    "ذات صلة",
    "Read also",
    "Read more",
)

# A label at the start of a line, optionally after a bullet, followed by its
# punctuation. Longest phrases first so "اقرأ أيضا" wins over "اقرأ في".
_LABEL_ALTERNATION = "|".join(
    fuzzy_pattern(label) for label in sorted(READ_ALSO_LABELS, key=len, reverse=True)
)
READ_ALSO_RE = re.compile(
    r"^\s*(?:[-–—•▪■►◄◀▶*|»«>]\s*)?(?:" + _LABEL_ALTERNATION + r")\s*[:：\-–—.…|»«>]*\s*",
    re.IGNORECASE,
)

# Labels of a source line: "المصدر: الأسبوع", "المصدر : وكالات", "مصدر الخبر: ...".
SOURCE_LABELS: tuple[str, ...] = ("المصدر", "المصادر", "مصدر الخبر", "نقلا عن", "Source")
SOURCE_LINE_RE = re.compile(
    r"^\s*(?:" + "|".join(fuzzy_pattern(label) for label in SOURCE_LABELS) + r")\s*[:：\-–—]\s*",
    re.IGNORECASE,
)

# News agencies and outlets, as (canonical name, spellings). Used for agency
# credits ("(رويترز)", "- أ ف ب") and for outlets a body cites by name.
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("رويترز", ("رويترز", "Reuters")),
    ("فرانس برس", ("فرانس برس", "فرانس بريس", "أ ف ب", "أ.ف.ب", "AFP")),
    ("أسوشيتد برس", ("أسوشيتد برس", "أسوشييتد برس", "اسوشيتد برس", "أ ب", "AP")),
    ("الأناضول", ("الأناضول", "وكالة الأناضول", "Anadolu")),
    ("سبوتنيك", ("سبوتنيك", "Sputnik")),
    ("تاس", ("تاس", "TASS")),
    ("نوفوستي", ("نوفوستي", "ريا نوفوستي", "RIA Novosti")),
    ("شينخوا", ("شينخوا", "Xinhua")),
    ("يونهاب", ("يونهاب", "Yonhap")),
    ("وكالة الأنباء المركزية الكورية", ("وكالة الأنباء المركزية الكورية", "KCNA")),
    ("د ب أ", ("د ب أ", "د.ب.أ", "DPA")),
    ("واس", ("واس", "وكالة الأنباء السعودية")),
    ("وام", ("وام", "وكالة أنباء الإمارات")),
    ("سانا", ("سانا", "الوكالة العربية السورية للأنباء")),
    ("قنا", ("قنا", "وكالة الأنباء القطرية")),
    ("كونا", ("كونا", "وكالة الأنباء الكويتية")),
    ("بترا", ("بترا", "وكالة الأنباء الأردنية")),
    ("واج", ("واج", "وكالة الأنباء الجزائرية")),
    ("ومع", ("ومع", "وكالة المغرب العربي للأنباء")),
    ("أ ش أ", ("أ ش أ", "وكالة أنباء الشرق الأوسط")),
    ("إرنا", ("إرنا", "ارنا", "IRNA")),
    ("وكالات", ("وكالات", "وكالات الأنباء")),
    # Broadcasters and papers that pages credit the same way as agencies.
    ("سي إن إن", ("سي إن إن", "CNN")),
    ("بي بي سي", ("بي بي سي", "BBC")),
    ("روسيا اليوم", ("روسيا اليوم", "RT")),
    ("سكاي نيوز عربية", ("سكاي نيوز عربية", "سكاي نيوز")),
)

_AGENCY_SPELLINGS: list[tuple[str, str]] = sorted(
    ((spelling, name) for name, spellings in AGENCIES for spelling in spellings),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
# Whole-word match of any spelling, after an optional proclitic (و ف ب ل: "ورويترز");
# Latin acronyms are case-sensitive (AP, not "ap"). The name is group "name".
AGENCY_RE = re.compile(
    r"(?<![\w\u0600-\u06ff])[وفبل]?(?P<name>"
    + "|".join(
        fuzzy_pattern(spelling, strict_spaces=True) if not spelling.isascii() else re.escape(spelling)
        for spelling, _ in _AGENCY_SPELLINGS
    )
    + r")(?![\w\u0600-\u06ff])"
)


def agency_name(spelling: str) -> str:
    """The canonical name of an agency spelling matched by :data:`AGENCY_RE`."""
    from crawler.arabic import matching_form

    key = matching_form(spelling)
    for candidate, name in _AGENCY_SPELLINGS:
        if matching_form(candidate) == key:
            return name
    return spelling


# Verbs and prepositions that introduce a cited outlet: "وفقا لـ", "حسب",
# "نقلا عن", "أفادت وكالة", "قالت صحيفة", "ذكرت".
CITING_RE = re.compile(
    "(?:"
    + "|".join(
        fuzzy_pattern(word)
        for word in (
            "وفقا ل",
            "وفقاً ل",
            "طبقا ل",
            "حسب",
            "بحسب",
            "نقلا عن",
            "نقلت",
            "أفادت",
            "أفاد",
            "ذكرت",
            "ذكر",
            "قالت",
            "أوردت",
            "أعلنت",
            "نشرت",
        )
    )
    + ")"
)


# Site furniture that CMSs put inside the body container: comment policies,
# copyright lines, "follow us" promos. A block matching one is not article text.
BOILERPLATE_RE = re.compile(
    "|".join(
        [
            fuzzy_pattern("الآراء الواردة"),
            fuzzy_pattern("لا تعبر عن رأي"),
            fuzzy_pattern("لا يعبر عن رأي"),
            fuzzy_pattern("ترحب") + r".{0,40}" + fuzzy_pattern("بالنقاش"),
            fuzzy_pattern("جميع الحقوق محفوظة"),
            fuzzy_pattern("تابعوا")
            + r".{0,60}"
            + "(?:"
            + fuzzy_pattern("غوغل نيوز")
            + "|"
            + fuzzy_pattern("جوجل نيوز")
            + "|Google News)",
            fuzzy_pattern("تابعونا على"),
            fuzzy_pattern("اضغط هنا للاشتراك"),
            fuzzy_pattern("حمل تطبيق"),
            fuzzy_pattern("أضف تعليق"),
        ]
    ),
    re.IGNORECASE,
)
