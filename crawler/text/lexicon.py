"""Word lists shared by the extractor and the pipelines, each in one place.

Phrases are written once in their usual spelling; :func:`crawler.text.arabic.fuzzy_pattern`
makes them match hamza/ya/ta-marbuta variants, tashkeel, tatweel and missing
or doubled spaces.
"""

from __future__ import annotations

import re

from crawler.lens.gazetteer import OUTLETS, Outlet, form_key
from crawler.text.arabic import fuzzy_pattern

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
    "روابط ذات صلة",
    "قراءات ذات صلة",
    "مواد ذات صلة",
    "موضوعات مقترحة",
    "مواضيع قد تهمك",
    "أخبار قد تهمك",
    "قد يعجبك أيضا",
    "قد يعجبك",
    "يهمك أيضا",
    "مقالات مشابهة",
    "أخبار مشابهة",
    "مواضيع مشابهة",
    "المزيد حول هذه القصة",
    "المزيد حول هذا الموضوع",
    "ذات صلة",
    "Read also",
    "Read more",
    "Related articles",
    "Related stories",
    "Related news",
    "Related posts",
    "Related",
    "More on this story",
    "You may also like",
    "See also",
    "Read next",
    "Also read",
    "Further reading",
    "Recommended reading",
    "Keep reading",
)

# Labels are also built from their parts, the way outlets compose them: a noun of
# articles and a word of relation ("مواضيع مرتبطة", "قصص ذات صلة"), a reading verb
# and "also" ("طالع كذلك"), a "may" and an interest ("ربما يهمك"). The parts are the
# grammar of the label; the list above keeps the set phrases and other languages.
LABEL_NOUNS: tuple[str, ...] = (
    "مواضيع",
    "موضوعات",
    "أخبار",
    "مقالات",
    "قصص",
    "تقارير",
    "مواد",
    "روابط",
    "قراءات",
    "عناوين",
    "تغطيات",
)
LABEL_RELATIONS: tuple[str, ...] = (
    "ذات صلة",
    "ذات علاقة",
    "متعلقة",
    "مرتبطة",
    "مشابهة",
    "مقترحة",
    "قد تهمك",
    "قد تعجبك",
    "في نفس السياق",
    "في السياق",
)
LABEL_VERBS: tuple[str, ...] = ("اقرأ", "إقرأ", "طالع", "شاهد", "تابع", "تصفح", "انظر")
LABEL_ALSO: tuple[str, ...] = ("أيضا", "كذلك", "المزيد", "أيضا في هذا الملف")
LABEL_MAY: tuple[str, ...] = ("قد", "ربما")
LABEL_INTERESTS: tuple[str, ...] = ("يهمك", "تهمك", "يعجبك", "تعجبك", "يهمك أيضا", "يثير اهتمامك")


def _either(words: tuple[str, ...], *, article: bool = False) -> str:
    """One alternation of fuzzy word patterns, longest first (with the article "ال" if asked)."""
    forms = [
        form for word in words for form in ((word, "ال" + word) if article and " " not in word else (word,))
    ]
    return "(?:" + "|".join(fuzzy_pattern(form) for form in sorted(forms, key=len, reverse=True)) + ")"


# Composed labels as three pairs of alternations: compact, and as fast to match as a
# set phrase, however many parts the lists grow to.
_COMPOSED = (
    rf"{_either(LABEL_NOUNS, article=True)}\s*{_either(LABEL_RELATIONS, article=True)}"
    rf"|{_either(LABEL_VERBS)}\s*{_either(LABEL_ALSO)}"
    rf"|{_either(LABEL_MAY)}\s*{_either(LABEL_INTERESTS)}"
)
# A label at the start of a line, optionally after a bullet, followed by its
# punctuation. Longest phrases first so "اقرأ أيضا" wins over "اقرأ في".
_LABEL_ALTERNATION = (
    "|".join(fuzzy_pattern(label) for label in sorted(READ_ALSO_LABELS, key=len, reverse=True))
    + "|"
    + _COMPOSED
)
READ_ALSO_RE = re.compile(
    r"^\s*(?:[-–—•▪■►◄◀▶*|»«>]\s*)?(?:" + _LABEL_ALTERNATION + r")\s*[:：\-–—.…|»«>]*\s*",
    re.IGNORECASE,
)

# Labels of link lists that are not the article's related module: a module headed
# by one of these is never taken as a read-also chain, wherever it sits.
NOT_RELATED_LABELS: tuple[str, ...] = (
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "الأكثر تداولا",
    "الأكثر تعليقا",
    "الأكثر شعبية",
    "الأكثر انتشارا",
    "الأكثر",
    "آخر الأخبار",
    "أحدث الأخبار",
    "آخر الأخبار العاجلة",
    "أخبار عاجلة",
    "الأخبار العاجلة",
    "عاجل",
    "شريط الأخبار",
    "الأحدث",
    "الأخير",
    "آخر المقالات",
    # "more from the author / from the section": another list of the site's, not this story's
    "المزيد من",
    "مزيد من",
    "مقالات أخرى",
    "المزيد للكاتب",
    "More from",
    "الوسوم",
    "كلمات مفتاحية",
    "الكلمات المفتاحية",
    "Most read",
    "Most popular",
    "Most viewed",
    "Popular",
    "Trending",
    "Latest",
    "Latest news",
    "Breaking",
    "Tags",
    "Related topics",
    "Topics",
    "Topic",
    "الموضوع",
    "القسم",
    "التصنيف",
    "مواضيع",
    "المواضيع",
)
NOT_RELATED_RE = re.compile(
    r"^\s*(?:"
    + "|".join(fuzzy_pattern(label) for label in sorted(NOT_RELATED_LABELS, key=len, reverse=True))
    + r")",
    re.IGNORECASE,
)


def is_not_related_label(text: str) -> bool:
    """A heading that names another kind of list ("الأكثر قراءة", "Related topics").

    The longer label wins where both lists know the text: "Related topics" is a tag
    list although it starts with "Related"; "مواضيع ذات صلة" is related although it
    starts with "مواضيع".
    """
    other = NOT_RELATED_RE.match(text)
    if other is None:
        return False
    related = READ_ALSO_RE.match(text)
    return related is None or len(other.group(0).strip()) > len(related.group(0).strip(" :：-–—.…|»«>"))


# Labels of a source line: "المصدر: الأسبوع", "المصدر : وكالات", "مصدر الخبر: ...".
SOURCE_LABELS: tuple[str, ...] = ("المصدر", "المصادر", "مصدر الخبر", "نقلا عن", "Source")
# The same label with or without its punctuation, for a label printed in an element of its own.
SOURCE_LABEL_RE = re.compile(
    r"^\s*(?:" + "|".join(fuzzy_pattern(label) for label in SOURCE_LABELS) + r")\s*[:：\-–—]?\s*",
    re.IGNORECASE,
)
# Labels that are prepositions: the name follows them without punctuation ("نقلاً عن
# الوكالة الوطنية للإعلام" on a line of its own).
SOURCE_PREPOSITIONS: tuple[str, ...] = ("نقلا عن", "منقول عن", "Via")
SOURCE_LINE_RE = re.compile(
    r"^\s*(?:(?:"
    + "|".join(fuzzy_pattern(label) for label in SOURCE_LABELS)
    + r")\s*[:：\-–—]\s*|(?:"
    + "|".join(fuzzy_pattern(label) for label in SOURCE_PREPOSITIONS)
    + r")\s*[:：\-–—]?\s+)",
    re.IGNORECASE,
)

# News agencies and outlets, as (canonical name, spellings), built from the
# gazetteer (crawler/lens/gazetteer.py, where an outlet is added). Used for
# agency credits ("(رويترز)", "- أ ف ب", "دمشق (CNN) --"), which hold nothing
# but the name: there an agency's guarded forms count too (a line "(قنا)" is a
# credit), while other outlets' common-word forms could be a subheading
# ("الشرق الأوسط", "الحياة") and bound forms a person or a word ("فارس", "كان").
_LINE_CREDIT_EXCEPTIONS = ("روسيا اليوم",)  # a bound form credited as a line before the gazetteer


def _credit_forms(outlet: Outlet) -> tuple[str, ...]:
    context_bound = set(outlet.bound) | (set() if outlet.kind == "agency" else set(outlet.guarded))
    forms = (form for form in outlet.forms() if form not in context_bound or form in _LINE_CREDIT_EXCEPTIONS)
    return tuple(dict.fromkeys(forms))


# Credits that name no single outlet but are credits all the same ("المصدر: وكالات").
_GENERIC_CREDITS: tuple[tuple[str, tuple[str, ...]], ...] = (("وكالات", ("وكالات", "وكالات الأنباء")),)
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    tuple((outlet.name_ar, forms) for outlet in OUTLETS if (forms := _credit_forms(outlet)))
    + _GENERIC_CREDITS
)

_AGENCY_SPELLINGS: list[tuple[str, str]] = sorted(
    ((spelling, name) for name, spellings in AGENCIES for spelling in spellings),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
# Whole-word match of any spelling, after an optional proclitic (و ف ب ل: "ورويترز");
# Latin acronyms are case-sensitive (AP, not "ap"). The name is group "name".
AGENCY_RE = re.compile(
    r"(?<![\w\u064b-\u065f\u0670])[وفبل]?(?P<name>"
    + "|".join(
        fuzzy_pattern(spelling, strict_spaces=True) if not spelling.isascii() else re.escape(spelling)
        for spelling, _ in _AGENCY_SPELLINGS
    )
    + r")(?![\w\u064b-\u065f\u0670])"
)
_AGENCY_BY_KEY: dict[str, str] = {}
for _spelling, _name in reversed(_AGENCY_SPELLINGS):
    _AGENCY_BY_KEY[form_key(_spelling)] = _name


def agency_name(spelling: str) -> str:
    """The canonical name of an agency spelling matched by :data:`AGENCY_RE`."""
    return _AGENCY_BY_KEY.get(form_key(spelling), spelling)


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(fuzzy_pattern(phrase) for phrase in sorted(phrases, key=len, reverse=True))


# Verbs that credit what follows ("أفادت وكالة ...", "وقالت صحيفة ...", "نقلت رويترز عن"),
# in the past and present forms news copy uses; an object pronoun may follow
# ("بحسب ما أوردته الوكالة").
CITING_VERBS: tuple[str, ...] = (
    "قال",
    "قالت",
    "تقول",
    "يقول",
    "أفاد",
    "أفادت",
    "ذكر",
    "ذكرت",
    "أورد",
    "أوردت",
    "نقل",
    "نقلت",
    "نشر",
    "نشرت",
    "أعلن",
    "أعلنت",
    "كشف",
    "كشفت",
    "أكد",
    "أكدت",
    "أشار",
    "أشارت",
    "أضاف",
    "أضافت",
    "بث",
    "بثت",
    "أبلغ",  # "وأبلغ مسؤول رويترز" (the outlet is the object)
    "أبلغت",
    "أبلغوا",
    "صرح",  # "صرح لـ"سبوتنيك""
    "أوضح",
    "أوضحت",
    "كتب",  # "وكتبت صحيفة التلغراف أن"
    "كتبت",
    "تابع",  # "وتابعت الوكالة": continuing a report
    "تابعت",
    "لفتت",
    "رأت",  # "ورأت صحيفة هآرتس أن": an outlet's own view is credited to it
    "اعتبرت",
)
# Prepositions of attribution. Those ending in ل are matched without it: the
# ل is written on the name ("وفقا لرويترز", "وفقاً لـ"CNN"") and read with it.
CITING_PREPOSITIONS: tuple[str, ...] = (
    "حسب",
    "بحسب",
    "حسبما",
    "وفق",
    "وفقا",
    "طبقا",
    "تبعا",
    "نقلا عن",
    "استنادا إلى",
    "استنادا ل",
    "على ذمة",
)
# Nouns after which "لـ X" or "مع X" names the outlet spoken to or published in:
# "في تصريحات لـ"سبوتنيك"", "في مقابلة مع CNN", "في تقرير لصحيفة هآرتس".
CITING_NOUNS: tuple[str, ...] = (
    "تصريح",
    "تصريحات",
    "حديث",
    "مقابلة",
    "حوار",
    "مداخلة",
    "تقرير",
    "مقال",
    "تحقيق",
)
_CUE_BOUNDARY = r"(?<![\w\u064b-\u065f\u0670])"
_CUE_END = r"(?![\w\u064b-\u065f\u0670])"
# One citing cue; what it credits starts at the match's end.
CITING_RE = re.compile(
    _CUE_BOUNDARY
    + r"[وف]?(?:"
    + "(?:"
    + _alternation(CITING_VERBS)
    + r")(?:ه|ها|وه)?"
    + "|(?:"
    + _alternation(CITING_PREPOSITIONS)
    + ")"
    + "|(?:"
    + _alternation(CITING_NOUNS)
    + r")(?:\s+(?:"
    + _alternation(("خاص", "خاصة", "صحفي", "صحفية", "صحافي", "صحافية", "هاتفي", "هاتفية", "متلفز", "متلفزة"))
    + r"))?(?:\s+مع)?"
    + ")"
    + _CUE_END
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
