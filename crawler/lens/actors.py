"""Actors an article mentions: countries, alliances, armed forces, armed groups, officials' titles.

A gazetteer declared once, matched on the matching form (crawler.text.arabic) word
by word. Story clustering compares these names across outlets, so every
spelling, metonym and inflection of an actor must give one canonical name, and
common words that look like names (بحماس "with enthusiasm", القاعدة "the
base", مالي "financial") must give nothing. The decisions behind each rule are
in docs/lens.md ("Actors"); the labelled snippets are tests/lens/actors_snippets.jsonl.

How a mention is read, at each word (longest reading wins, then the scan goes on
after it):

* a declared name, after optional proclitics (و ف ب ك ل, and ل before ال
  written لل): "وموسكو", "بالناتو", "للحوثيين";
* a blocked phrase (an outlet, a sea, a continent, a club): nothing;
* a state head noun and a nisba adjective: "الحكومة الروسية" is روسيا,
  "القوات الروسية" is the national armed force "الجيش الروسي", and so is a
  military act: "الغارات الروسية", "هجوم صاروخي روسي";
* an official's title and its owner: "وزير الدفاع الأمريكي", "وزير خارجية
  إيران", "الأمين العام لحلف الناتو" → "وزير الدفاع (الولايات المتحدة)".

A specific actor credits its parents with the same mention: "الجيش الروسي"
counts for روسيا too, "كتائب القسام" for حماس, an official for the state or
organisation in its name, so an analyst filtering on روسيا finds the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from crawler.items import Actor
from crawler.text.arabic import matching_form

COUNTRY = "country"
ALLIANCE = "alliance"
ARMED_FORCE = "armed_force"
ARMED_GROUP = "armed_group"
OFFICIAL = "official"
KINDS: tuple[str, ...] = (COUNTRY, ALLIANCE, ARMED_FORCE, ARMED_GROUP, OFFICIAL)

# Proclitics a name may carry, in matching form. ل before a name that starts
# with ال is written لل (للناتو), handled separately in _readings.
ALL_CLITICS = "وفبكل"


@dataclass(frozen=True, slots=True)
class Country:
    """A state, with the words that stand for it.

    ``nisbas`` are the masculine definite adjectives ("الروسي"): feminine,
    plural and indefinite forms are derived. ``names`` are other names and
    metonyms (capital, seat of government) that count as the state itself.
    """

    name: str
    nisbas: tuple[str, ...]
    names: tuple[str, ...] = ()
    army: tuple[str, ...] = ()  # extra names of the national armed force
    plurals: tuple[str, ...] = ()  # irregular plural adjectives: الروس، الأتراك
    # False when the adjective is a common word ("المالي" is "financial"): then
    # only the army heads, which cannot take that word, read it as the state.
    state_adjective: bool = True
    # When the bare name is a common word too ("مالي"): the words after which
    # it is still the state ("في مالي"), besides a title's "مالي:" opening.
    # Empty: the bare name is always the state.
    name_only_after: tuple[str, ...] = ()

    @property
    def army_name(self) -> str:
        return f"الجيش {self.nisbas[0]}"


@dataclass(frozen=True, slots=True)
class Named:
    """An actor that is only ever written by name (alliances, groups, named forces)."""

    name: str
    kind: str
    variants: tuple[str, ...]
    parent: str | None = None  # credited with every mention of this actor
    clitics: str = ALL_CLITICS  # proclitics this actor's names may carry
    not_before: tuple[str, ...] = ()  # next words that make the name something else
    not_after: tuple[str, ...] = ()  # previous words that make the name something else


@dataclass(frozen=True, slots=True)
class Title:
    """An official's title. ``definite`` forms take a nisba or ل + owner
    ("وزير الدفاع الأمريكي", "الأمين العام للناتو"); ``construct`` forms take
    the owner's name directly ("وزير خارجية إيران", "أمين عام الناتو")."""

    name: str
    definite: tuple[str, ...]
    construct: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# The gazetteer
# --------------------------------------------------------------------------

COUNTRIES: tuple[Country, ...] = (
    # Arab states (all 22).
    Country("مصر", ("المصري",), ("القاهرة", "جمهورية مصر العربية")),
    Country(
        "السعودية",
        ("السعودي",),
        ("الرياض", "المملكة العربية السعودية", "المملكة السعودية"),
    ),
    # أبوظبي is the federal capital and the seat of the UAE government: a metonym.
    Country(
        "الإمارات",
        ("الإماراتي",),
        ("أبوظبي", "أبو ظبي", "الإمارات العربية المتحدة", "دولة الإمارات"),
    ),
    Country("قطر", ("القطري",), ("الدوحة", "دولة قطر")),
    Country("الكويت", ("الكويتي",), ("دولة الكويت",)),
    Country("البحرين", ("البحريني",), ("المنامة", "مملكة البحرين")),
    # عمان alone is Oman (the state, far more often in the news than Amman as a
    # metonym for Jordan); عمّان with shadda is rewritten to Jordan beforehand.
    Country("عمان", ("العماني",), ("مسقط", "سلطنة عمان")),
    Country("اليمن", ("اليمني",), ("صنعاء",)),
    Country("العراق", ("العراقي",), ("بغداد",)),
    Country("سوريا", ("السوري",), ("سورية", "دمشق"), army=("الجيش العربي السوري",)),
    Country("لبنان", ("اللبناني",), ("بيروت",)),
    Country("الأردن", ("الأردني",), ("عمان الأردنية", "العاصمة الأردنية عمان", "المملكة الأردنية")),
    Country("فلسطين", ("الفلسطيني",), ("رام الله", "دولة فلسطين")),
    # طرابلس is left out: it is also Lebanon's second city.
    Country("ليبيا", ("الليبي",)),
    Country("تونس", ("التونسي",)),
    Country("الجزائر", ("الجزائري",)),
    Country("المغرب", ("المغربي",), ("الرباط", "المملكة المغربية")),
    Country("موريتانيا", ("الموريتاني",), ("نواكشوط",)),
    Country("السودان", ("السوداني",), ("الخرطوم",)),
    Country("الصومال", ("الصومالي",), ("مقديشو",)),
    Country("جيبوتي", ("الجيبوتي",)),
    Country("جزر القمر", ("القمري",), ("موروني",)),
    # Regional powers and the G20.
    Country(
        "الولايات المتحدة",
        ("الأمريكي", "الأميركي"),
        ("أمريكا", "أميركا", "الولايات المتحدة الأمريكية", "واشنطن", "البيت الأبيض", "usa"),
        army=("البنتاغون", "البنتاجون", "pentagon"),
    ),
    Country("روسيا", ("الروسي",), ("موسكو", "الكرملين", "روسيا الاتحادية"), plurals=("الروس",)),
    Country(
        "الصين",
        ("الصيني",),
        ("بكين", "جمهورية الصين الشعبية"),
        army=("جيش التحرير الشعبي", "جيش التحرير الشعبي الصيني"),
    ),
    Country("المملكة المتحدة", ("البريطاني",), ("بريطانيا", "لندن", "داونينغ ستريت")),
    Country("فرنسا", ("الفرنسي",), ("باريس", "الإليزيه", "قصر الإليزيه")),
    Country("ألمانيا", ("الألماني",), ("برلين",), plurals=("الألمان",)),
    Country("إيطاليا", ("الإيطالي",), ("روما",)),
    Country("اليابان", ("الياباني",), ("طوكيو",)),
    Country("كندا", ("الكندي",), ("أوتاوا",)),
    Country("الهند", ("الهندي",), ("نيودلهي", "نيو دلهي")),
    Country("البرازيل", ("البرازيلي",), ("برازيليا",)),
    Country("الأرجنتين", ("الأرجنتيني",)),
    Country("المكسيك", ("المكسيكي",)),
    Country("أستراليا", ("الأسترالي",), ("كانبرا",)),
    Country("إندونيسيا", ("الإندونيسي",), ("جاكرتا",)),
    Country("جنوب أفريقيا", ("الجنوب أفريقي",), ("بريتوريا",)),
    Country("تركيا", ("التركي",), ("أنقرة",), plurals=("الأتراك",)),
    Country("إيران", ("الإيراني",), ("طهران", "الجمهورية الإسلامية الإيرانية")),
    # تل أبيب counts as Israel: the Arab press uses it for the government, and
    # a strike on the city is a story about Israel all the same.
    Country(
        "إسرائيل",
        ("الإسرائيلي",),
        ("تل أبيب", "دولة الاحتلال", "حكومة الاحتلال", "الدولة العبرية", "الكيان الصهيوني"),
        army=("جيش الدفاع الإسرائيلي",),  # جيش/قوات الاحتلال: ARMY_HEAD_DEFAULTS
    ),
    Country("كوريا الشمالية", ("الكوري الشمالي",), ("بيونغ يانغ", "بيونغيانغ", "كوريا الديمقراطية")),
    Country("كوريا الجنوبية", ("الكوري الجنوبي",), ("سيول", "جمهورية كوريا")),
    Country("أوكرانيا", ("الأوكراني",), ("كييف", "كييڤ")),
    Country("بيلاروسيا", ("البيلاروسي",), ("مينسك", "روسيا البيضاء")),
    Country("باكستان", ("الباكستاني",), ("إسلام آباد",)),
    Country("أفغانستان", ("الأفغاني",), ("كابل", "كابول")),
    # The other NATO members.
    Country("إسبانيا", ("الإسباني",), ("مدريد",)),
    Country("هولندا", ("الهولندي",), ("أمستردام",)),
    Country("بلجيكا", ("البلجيكي",)),
    Country("بولندا", ("البولندي",), ("وارسو",)),
    Country("ليتوانيا", ("الليتواني",), ("فيلنيوس",)),
    Country("لاتفيا", ("اللاتفي",), ("ريغا",)),
    Country("إستونيا", ("الإستوني",), ("تالين",)),
    Country("فنلندا", ("الفنلندي",), ("هلسنكي",)),
    Country("السويد", ("السويدي",), ("ستوكهولم",)),
    Country("النرويج", ("النرويجي",), ("أوسلو",)),
    Country("الدنمارك", ("الدنماركي",), ("كوبنهاغن",)),
    Country("رومانيا", ("الروماني",), ("بوخارست",)),
    Country("بلغاريا", ("البلغاري",)),  # صوفيا is left out: a common given name
    Country("المجر", ("المجري",), ("بودابست", "هنغاريا")),
    Country("التشيك", ("التشيكي",), ("براغ", "جمهورية التشيك")),
    Country("سلوفاكيا", ("السلوفاكي",), ("براتيسلافا",)),
    Country("اليونان", ("اليوناني",), ("أثينا",)),
    Country("البرتغال", ("البرتغالي",), ("لشبونة",)),
    Country("كرواتيا", ("الكرواتي",), ("زغرب",)),
    Country("ألبانيا", ("الألباني",), ("تيرانا",)),
    Country("سلوفينيا", ("السلوفيني",), ("ليوبليانا",)),
    Country("الجبل الأسود", ("المونتينيغري",), ("بودغوريتسا",)),
    Country("مقدونيا الشمالية", ("المقدوني",), ("سكوبيه",)),
    Country("آيسلندا", ("الآيسلندي",), ("ريكيافيك",)),
    Country("لوكسمبورغ", ("اللوكسمبورغي",)),
    Country("مولدوفا", ("المولدوفي",), ("كيشيناو",)),
    Country("سويسرا", ("السويسري",)),
    Country("النمسا", ("النمساوي",), ("فيينا",)),
    Country("قبرص", ("القبرصي",), ("نيقوسيا",)),
    # Caucasus and Central Asia. جورجيا is the country except in the blocked
    # phrases "ولاية جورجيا" and "جورجيا الأمريكية" (the US state).
    Country("جورجيا", ("الجورجي",), ("تبليسي",)),
    Country("أرمينيا", ("الأرميني",), ("يريفان",)),
    Country("أذربيجان", ("الأذربيجاني",), ("باكو",)),
    Country("كازاخستان", ("الكازاخستاني",), ("أستانا",)),
    # Africa.
    Country("إثيوبيا", ("الإثيوبي",), ("أديس أبابا",)),
    Country("إريتريا", ("الإريتري",), ("أسمرة",)),
    Country("كينيا", ("الكيني",), ("نيروبي",)),
    Country("نيجيريا", ("النيجيري",), ("أبوجا",)),
    Country("النيجر", ("النيجري",), ("نيامي",)),
    # مالي is also "financial"/"my money" ("دعم مالي", "دعم عسكري ومالي"): the
    # bare name counts after a preposition or a compass word, or opening a
    # title ("مالي: هجوم …"); "جمهورية مالي", باماكو and the army heads
    # ("الجيش المالي") always do; "المالي" after a state head never does.
    Country(
        "مالي",
        ("المالي",),
        ("جمهورية مالي", "دولة مالي", "باماكو"),
        state_adjective=False,
        name_only_after=(
            "في",
            "إلى",
            "من",
            "مع",
            "ضد",
            "داخل",
            "شمال",
            "جنوب",
            "وسط",
            "شرق",
            "غرب",
            "شمالي",
            "جنوبي",
            "شرقي",
            "غربي",
        ),
    ),
    Country("بوركينا فاسو", ("البوركيني",), ("واغادوغو",)),
    Country("تشاد", ("التشادي",), ("نجامينا", "إنجامينا")),
    Country("جنوب السودان", ("الجنوب سوداني",), ("جوبا", "دولة جنوب السودان")),
    # Asia-Pacific and the Americas.
    Country("تايوان", ("التايواني",), ("تايبيه",)),
    Country("الفلبين", ("الفلبيني",), ("مانيلا",)),
    Country("فيتنام", ("الفيتنامي",), ("هانوي",)),
    Country("ماليزيا", ("الماليزي",), ("كوالالمبور",)),
    Country("ميانمار", ("الميانماري",), ("بورما",)),
    Country("بنغلاديش", ("البنغلاديشي",), ("دكا",)),
    Country("فنزويلا", ("الفنزويلي",), ("كاراكاس",)),
    Country("كوبا", ("الكوبي",), ("هافانا",)),
    Country("كولومبيا", ("الكولومبي",), ("بوغوتا",)),
)

NAMED: tuple[Named, ...] = (
    # Alliances and international organisations.
    Named(
        "الناتو",
        ALLIANCE,
        (
            "الناتو",
            "ناتو",
            "حلف الناتو",
            "حلف ناتو",
            "حلف شمال الأطلسي",
            "حلف شمال الأطلنطي",
            "الحلف الأطلسي",
            "حلف الأطلسي",
            "nato",
            "otan",
        ),
    ),
    # The EU's institutions are the EU, as the Security Council is the UN.
    Named(
        "الاتحاد الأوروبي",
        ALLIANCE,
        (
            "الاتحاد الأوروبي",
            "الاتحاد الأوربي",
            "التكتل الأوروبي",
            "المفوضية الأوروبية",
            "المجلس الأوروبي",
            "البرلمان الأوروبي",
        ),
    ),
    # The Security Council is the UN's organ; one actor, so stories about a
    # Council vote and a UN statement cluster together.
    Named(
        "الأمم المتحدة",
        ALLIANCE,
        ("الأمم المتحدة", "المنظمة الأممية", "مجلس الأمن", "مجلس الأمن الدولي", "هيئة الأمم المتحدة"),
    ),
    Named("الجامعة العربية", ALLIANCE, ("الجامعة العربية", "جامعة الدول العربية")),
    Named(
        "مجلس التعاون الخليجي",
        ALLIANCE,
        ("مجلس التعاون الخليجي", "مجلس التعاون لدول الخليج العربية", "دول مجلس التعاون"),
    ),
    Named("منظمة شنغهاي للتعاون", ALLIANCE, ("منظمة شنغهاي للتعاون", "منظمة شنغهاي", "منظمة شانغهاي")),
    Named("الاتحاد الأفريقي", ALLIANCE, ("الاتحاد الأفريقي",)),  # الإفريقي folds to the same form
    Named("أوكوس", ALLIANCE, ("أوكوس", "تحالف أوكوس", "aukus")),
    Named("بريكس", ALLIANCE, ("بريكس", "مجموعة بريكس", "brics")),
    Named(
        "الوكالة الدولية للطاقة الذرية",
        ALLIANCE,
        ("الوكالة الدولية للطاقة الذرية", "وكالة الطاقة الذرية", "الوكالة الذرية", "iaea"),
    ),
    Named("مجموعة العشرين", ALLIANCE, ("مجموعة العشرين", "قمة العشرين", "g20")),
    Named("مجموعة السبع", ALLIANCE, ("مجموعة السبع", "مجموعة الدول السبع", "g7")),
    Named("منظمة التعاون الإسلامي", ALLIANCE, ("منظمة التعاون الإسلامي",)),
    Named(
        "منظمة الأمن والتعاون في أوروبا",
        ALLIANCE,
        ("منظمة الأمن والتعاون في أوروبا", "منظمة الأمن والتعاون الأوروبي"),
    ),
    Named("منظمة معاهدة الأمن الجماعي", ALLIANCE, ("منظمة معاهدة الأمن الجماعي",)),
    Named("إيكواس", ALLIANCE, ("إيكواس", "المجموعة الاقتصادية لدول غرب أفريقيا")),
    # Armed forces with an identity of their own (national armies are derived
    # from COUNTRIES: "الجيش X" with its ministry, navy and air force).
    Named("الحرس الثوري", ARMED_FORCE, ("الحرس الثوري", "حرس الثورة", "الحرس الثوري الإيراني"), "إيران"),
    Named("فيلق القدس", ARMED_FORCE, ("فيلق القدس",), "الحرس الثوري"),
    Named(
        "القيادة المركزية الأمريكية",
        ARMED_FORCE,
        ("القيادة المركزية الأمريكية", "القيادة المركزية الأميركية", "سنتكوم", "centcom"),
        "الجيش الأمريكي",
    ),
    Named(
        "قوات الدعم السريع",
        ARMED_FORCE,
        ("قوات الدعم السريع", "الدعم السريع", "ميليشيا الدعم السريع", "مليشيا الدعم السريع"),
        "السودان",
    ),
    Named("الجيش الوطني الليبي", ARMED_FORCE, ("الجيش الوطني الليبي", "قوات حفتر"), "ليبيا"),
    # Armed groups. A group's armed wing is its own actor credited to the group.
    Named("حزب الله", ARMED_GROUP, ("حزب الله", "حزب الله اللبناني")),
    Named("كتائب حزب الله", ARMED_GROUP, ("كتائب حزب الله",)),
    # حماس never with ب/ك ("بحماس" is "with enthusiasm") nor before an adjective of
    # enthusiasm ("حماس كبير").
    Named(
        "حماس",
        ARMED_GROUP,
        ("حماس", "حركة حماس", "حركة المقاومة الإسلامية"),
        clitics="وفل",
        not_before=("كبير", "شديد", "بالغ", "منقطع", "شديدا", "كبيرا", "واضح", "متزايد"),
    ),
    Named("كتائب القسام", ARMED_GROUP, ("كتائب القسام", "كتائب عز الدين القسام", "القسام"), "حماس"),
    Named(
        "الحوثيون",
        ARMED_GROUP,
        (
            "الحوثيون",
            "الحوثيين",
            "الحوثي",
            "الحوثية",
            "حوثيون",
            "حوثيين",
            "جماعة الحوثي",
            "جماعة الحوثيين",
            "أنصار الله",
            "جماعة أنصار الله",
            "ميليشيا الحوثي",
            "مليشيا الحوثي",
        ),
        # عبد الملك الحوثي is the leader's name, not the group.
        not_after=("الملك", "عبدالملك"),
    ),
    Named(
        "داعش",
        ARMED_GROUP,
        (
            "داعش",
            "تنظيم داعش",
            "الدواعش",
            "تنظيم الدولة",
            "تنظيم الدولة الإسلامية",
            "الدولة الإسلامية",
            "الدولة الإسلامية في العراق والشام",
            "isis",
        ),
    ),
    # "القاعدة" alone is "the base" (an air base, far commoner in defence news).
    Named(
        "القاعدة",
        ARMED_GROUP,
        (
            "تنظيم القاعدة",
            "القاعدة في جزيرة العرب",
            "القاعدة في بلاد المغرب الإسلامي",
            "تنظيم القاعدة الإرهابي",
        ),
    ),
    Named("هيئة تحرير الشام", ARMED_GROUP, ("هيئة تحرير الشام", "تحرير الشام", "جبهة النصرة")),
    Named("الجهاد الإسلامي", ARMED_GROUP, ("الجهاد الإسلامي", "حركة الجهاد الإسلامي")),
    Named("سرايا القدس", ARMED_GROUP, ("سرايا القدس",), "الجهاد الإسلامي"),
    Named("فاغنر", ARMED_GROUP, ("فاغنر", "فاجنر", "مجموعة فاغنر", "مجموعة فاجنر", "wagner")),
    # "الشباب" alone is "the youth": only the movement's full names.
    Named(
        "حركة الشباب",
        ARMED_GROUP,
        ("حركة الشباب", "حركة الشباب المجاهدين", "الشباب المجاهدين", "حركة الشباب الصومالية"),
    ),
    Named("بوكو حرام", ARMED_GROUP, ("بوكو حرام", "جماعة بوكو حرام")),
    Named(
        "حزب العمال الكردستاني",
        ARMED_GROUP,
        ("حزب العمال الكردستاني", "العمال الكردستاني", "بي كا كا", "pkk"),
    ),
    Named("قسد", ARMED_GROUP, ("قسد", "قوات سوريا الديمقراطية", "sdf")),
    Named("الحشد الشعبي", ARMED_GROUP, ("الحشد الشعبي", "هيئة الحشد الشعبي")),
    Named("طالبان", ARMED_GROUP, ("طالبان", "حركة طالبان")),
    # "أمل" and "الأمل" are "hope": only the movement's name.
    Named("حركة أمل", ARMED_GROUP, ("حركة أمل",)),
    # Offices written as one fixed phrase rather than title + owner.
    Named(
        "المرشد الأعلى (إيران)",
        OFFICIAL,
        ("مرشد الثورة", "مرشد الثورة الإسلامية", "المرشد الأعلى للثورة الإسلامية", "المرشد الإيراني"),
        "إيران",
    ),
)

TITLES: tuple[Title, ...] = (
    Title("الرئيس", ("الرئيس", "الرئيسة"), ("رئيس", "رئيسة")),
    Title("نائب الرئيس", ("نائب الرئيس", "نائبة الرئيس"), ("نائب رئيس", "نائبة رئيس")),
    Title(
        "رئيس الوزراء",
        ("رئيس الوزراء", "رئيسة الوزراء", "رئيس الحكومة", "رئيسة الحكومة"),
        ("رئيس وزراء", "رئيسة وزراء", "رئيس حكومة", "رئيسة حكومة"),
    ),
    # وزير الحرب: the US title since 2025; the same office, so one name.
    Title(
        "وزير الدفاع",
        ("وزير الدفاع", "وزيرة الدفاع", "وزير الحرب"),
        ("وزير دفاع", "وزيرة دفاع", "وزير حرب"),
    ),
    Title("وزير الخارجية", ("وزير الخارجية", "وزيرة الخارجية"), ("وزير خارجية", "وزيرة خارجية")),
    Title("وزير الداخلية", ("وزير الداخلية", "وزيرة الداخلية"), ("وزير داخلية", "وزيرة داخلية")),
    Title(
        "رئيس الأركان",
        (
            "رئيس الأركان",
            "رئيس هيئة الأركان",
            "رئيس الأركان العامة",
            "رئيس هيئة الأركان العامة",
            "رئيس هيئة الأركان المشتركة",
        ),
        ("رئيس أركان", "رئيس هيئة أركان"),
    ),
    Title("القائد", ("القائد",), ("قائد", "قائدة")),
    Title("الزعيم", ("الزعيم",), ("زعيم", "زعيمة")),
    Title("الأمين العام", ("الأمين العام", "الأمينة العامة"), ("أمين عام", "أمينة عامة")),
    Title(
        "نائب الأمين العام",
        ("نائب الأمين العام", "نائبة الأمين العام"),
        ("نائب أمين عام", "نائبة أمين عام"),
    ),
    Title(
        "المتحدث باسم",
        (),
        (
            "المتحدث باسم",
            "المتحدثة باسم",
            "الناطق باسم",
            "الناطقة باسم",
            "المتحدث الرسمي باسم",
            "الناطق الرسمي باسم",
        ),
    ),
    Title("السفير", ("السفير", "السفيرة"), ("سفير", "سفيرة")),
    Title("المبعوث", ("المبعوث", "المبعوثة", "المبعوث الخاص"), ("مبعوث", "مبعوثة")),
    Title("الملك", ("الملك", "العاهل"), ("ملك", "عاهل")),
    Title("الأمير", ("الأمير",), ("أمير",)),
    Title("ولي العهد", ("ولي العهد",), ("ولي عهد",)),
    Title("المرشد الأعلى", ("المرشد الأعلى",)),
    Title("مستشار الأمن القومي", ("مستشار الأمن القومي", "مستشارة الأمن القومي")),
    Title("المدير العام", ("المدير العام",), ("مدير عام", "مدير")),
)

# Nouns after which a nisba adjective stands for the state itself:
# "الحكومة الروسية", "السلطات الإيرانية", "الاستخبارات الكورية الجنوبية".
STATE_HEADS: tuple[str, ...] = (
    "الحكومة",
    "السلطات",
    "السلطة",
    "الخارجية",
    "وزارة الخارجية",
    "الداخلية",
    "وزارة الداخلية",
    "الرئاسة",
    "الجانب",
    "الوفد",
    "النظام",
    "الإدارة",
    "البرلمان",
    "الدولة",
    "السفارة",
    "العاصمة",
    "الدبلوماسية",
    "المسؤولين",
    "المسؤولون",
    "القيادة",
    "مجلس الأمن",  # "مجلس الأمن الروسي" is Russia's own council, not the UN's
    "مجلس الأمن القومي",
    "الاستخبارات",
    "المخابرات",
    "الأراضي",
    "الأجواء",
    "المياه الإقليمية",
    "الحدود",
    "الاحتلال",
    "الشرطة",
    "قوات الأمن",
    "الأجهزة الأمنية",
    # A state's acts and positions: "الموقف الروسي", "العقوبات الأمريكية".
    "الموقف",
    "الرد",
    "الدعم",
    "العقوبات",
    "الوساطة",
    "المبادرة",
    "الجهود",
    "التصريحات",
    "مسؤول",
    "مسؤولة",
    "مسؤولون",
    "مسؤولين",
    "وساطة",
    "مبادرة",
    "سلطات",
)
# Adjectives of organisations, read like a state's: "البعثة الأممية", "المبعوث
# الأممي" (an official), "قوات حفظ السلام الأممية" (the organisation itself:
# it has no army of its own).
ORGANISATION_NISBAS: dict[str, tuple[str, ...]] = {"الأمم المتحدة": ("الأممي",)}
# Places in a state: "مدينة ساراتوف الروسية", "منطقة كورسك الروسية", "المدن
# الأوكرانية". An indefinite head takes one or two words (the place's name)
# before the adjective; a definite one takes the adjective at once. A strike
# on a Russian city is a story about Russia, as a strike on its capital is.
PLACE_HEADS: tuple[str, ...] = (
    "مدينة",
    "منطقة",
    "مقاطعة",
    "محافظة",
    "إقليم",
    "ولاية",
    "بلدة",
    "قرية",
    "ميناء",
    "جزيرة",
    "قاعدة",
    "مطار",
    "المدينة",
    "المدن",
    "المنطقة",
    "المقاطعة",
    "البلدات",
    "القرى",
    "الموانئ",
    "البعثة",
)
# Nouns after which a nisba adjective stands for the state's armed force. The
# ministry of defence is the armed force: it is the voice of the army in the
# news ("أعلنت وزارة الدفاع الروسية" reports the battlefield).
ARMY_HEADS: tuple[str, ...] = (
    "الجيش",
    "القوات",
    "القوات المسلحة",
    "وزارة الدفاع",
    "وزارة الحرب",
    "البحرية",
    "القوات البحرية",
    "سلاح البحرية",
    "الأسطول",
    "سلاح الجو",
    "القوات الجوية",
    "الدفاعات الجوية",
    "الدفاع الجوي",
    "الجنود",
    "جيش الدفاع",
    "الطيران الحربي",
    "سلاح الطيران",
    "قوات",
    "جنود",
)
# Military acts, read like ARMY_HEADS, with one optional modifier between act
# and adjective: "الغارات الإسرائيلية", "قصف روسي", "هجوم صاروخي روسي".
# Weapons are not here: "المسيرات الإيرانية" over Kyiv are Iranian-made, not
# Iran's army, and "مسيرات أوكرانية" may be anyone's.
MILITARY_ACTS: tuple[str, ...] = (
    "الغارات",
    "الغارة",
    "الضربات",
    "الضربة",
    "القصف",
    "الهجوم",
    "الهجمات",
    "العدوان",
    "التوغل",
    "غارات",
    "غارة",
    "ضربات",
    "ضربة",
    "قصف",
    "هجوم",
    "هجمات",
)
ACT_MODIFIERS: tuple[str, ...] = tuple(
    form
    for word in ("صاروخي", "جوي", "مدفعي", "بري", "بحري", "عسكري", "واسع", "مكثف", "جديد", "عنيف")
    for form in (word, word + "ة", "ال" + word, "ال" + word + "ة")
)
# "البحرية" is also the adjective "maritime": after a definite noun it modifies
# that noun ("التجارة البحرية البريطانية", "الحدود البحرية اللبنانية").
ADJECTIVAL_HEADS: tuple[str, ...] = ("البحرية",)
# Nouns before an army head that make the phrase a weapon system:
# "منظومة الدفاع الجوي الروسية S-400" is Russian-made, not Russia's army.
WEAPON_NOUNS: tuple[str, ...] = (
    "منظومة",
    "منظومات",
    "نظام",
    "أنظمة",
    "بطارية",
    "بطاريات",
    "صواريخ",
    "صاروخ",
    "طائرات",
    "أسلحة",
)
# Army heads that, without a nisba, mean one army in the Arab press.
ARMY_HEAD_DEFAULTS: dict[str, str] = {"جيش الاحتلال": "إسرائيل", "قوات الاحتلال": "إسرائيل"}

# Phrases that contain an actor's name but are something else: outlets, seas,
# continents, US states, accords, airlines. They are read as nothing.
BLOCKED: tuple[str, ...] = (
    "روسيا اليوم",  # RT, unless a weekday follows (see _BLOCK_UNLESS_NEXT)
    "إسرائيل اليوم",
    "إسرائيل هيوم",
    "تايمز أوف إسرائيل",
    "واشنطن بوست",
    "واشنطن تايمز",
    "ولاية واشنطن",
    "إيران إنترناشيونال",
    "إيران انترناشونال",
    "صوت أمريكا",
    "تلفزيون سوريا",
    "مصر للطيران",
    "قطر للطاقة",
    "قطر للبترول",
    "ولاية جورجيا",
    "جورجيا الأمريكية",
    "جورجيا الأميركية",
    "أمريكا اللاتينية",
    "أمريكا الجنوبية",
    "أمريكا الشمالية",
    "أمريكا الوسطى",
    "أميركا اللاتينية",
    "أميركا الجنوبية",
    "أميركا الشمالية",
    "بحر الصين",
    "بحر اليابان",
    "خليج عمان",
    "خليج المكسيك",
    "بحر عمان",
    "مضيق تايوان",
    "المغرب العربي",
    "صلاة المغرب",
    "اتفاق أوسلو",
    "اتفاقية أوسلو",
    "اتفاقيات أوسلو",
    "بني إسرائيل",
    "مجلس الأمن القومي",  # a state's council; with a nisba it is that state (STATE_HEADS)
    "مجلس الأمن الوطني",
    "مجلس الأمن والدفاع",
    "مجلس الأمن الداخلي",
    "التجارة البحرية",  # هيئة عمليات التجارة البحرية البريطانية (UKMTO) is not the navy
    # Clubs named after capitals.
    "ريال مدريد",
    "أتلتيكو مدريد",
    "باريس سان جيرمان",
    "باريس سان جرمان",
)
# A blocked phrase followed by one of these is the plain words again:
# "أعلنت روسيا اليوم السبت" is Russia announcing, today, Saturday.
_WEEKDAYS = ("السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
_BLOCK_UNLESS_NEXT: dict[str, tuple[str, ...]] = {
    "روسيا اليوم": _WEEKDAYS,
    "إسرائيل اليوم": _WEEKDAYS,
}

# Words before a bare country name that make it a team, club, channel or
# brand: "منتخب مصر", "كأس العراق", "طيران الإمارات".
NOT_STATE_AFTER: tuple[str, ...] = (
    "منتخب",
    "المنتخب",
    "نادي",
    "فريق",
    "كأس",
    "دوري",
    "بطولة",
    "طيران",
    "تلفزيون",
    "قناة",
    "إذاعة",
    "راديو",
    "ملكة",  # ملكة جمال: a beauty pageant
    "جامعة",  # جامعة القاهرة is a university
    "معهد",  # معهد واشنطن, معهد ستوكهولم: think tanks
    "شارع",
)
# Words after قطر that make it "diameter": "بقطر 155 ملم", "قطر الدائرة".
_DIAMETER_NEXT = ("ملم", "مم", "سم", "متر", "مترا", "أمتار", "يبلغ", "يصل", "الدائرة", "الفوهة")


# --------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------

Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Name:
    """A spelling of an actor."""

    actor: str
    clitics: str
    not_before: frozenset[str]
    not_after: frozenset[str]
    only_after: frozenset[str] = frozenset()  # when set, read only after one of these


@dataclass(frozen=True, slots=True)
class _Block:
    """A phrase read as nothing, unless one of ``unless_next`` follows it."""

    unless_next: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Head:
    """A head noun waiting for a nisba: ``army`` says which actor the pair gives."""

    army: bool
    definite: bool  # "الجيش" takes "الروسي", "قوات" takes "روسية"
    default: str | None = None  # the army's state when no nisba follows
    act: bool = False  # a military act: one of ACT_MODIFIERS may come between
    place: bool = False  # a place: an indefinite head takes its name before the nisba
    adjectival: bool = False  # not read after a definite noun (ADJECTIVAL_HEADS)


@dataclass(frozen=True, slots=True)
class _TitleForm:
    """One written form of a title; ``construct`` forms take the owner's bare name."""

    title: str
    construct: bool


_Payload = _Name | _Block | _Head | _TitleForm


@dataclass(frozen=True, slots=True)
class _Nisba:
    country: str
    definite: bool


@dataclass(slots=True)
class _Index:
    """Phrases by first word, longest first, with everything the matcher needs."""

    phrases: dict[str, list[tuple[Words, _Payload]]] = field(default_factory=dict)
    nisbas: dict[str, list[tuple[Words, _Nisba]]] = field(default_factory=dict)
    # the same phrases by (first word, second word or "" for one-word phrases)
    by_words: dict[tuple[str, str], list[tuple[Words, _Payload]]] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)  # actor -> kind
    parent: dict[str, str] = field(default_factory=dict)  # actor -> actor credited with it
    army_state: dict[str, str] = field(default_factory=dict)  # national army -> its state
    state_army: dict[str, str] = field(default_factory=dict)  # state -> its national army
    adjective_states: set[str] = field(default_factory=set)

    def add(self, phrase: str, payload: _Payload) -> None:
        words = _key(phrase)
        if words:
            self.phrases.setdefault(words[0], []).append((words, payload))

    def add_nisba(self, phrase: str, nisba: _Nisba) -> None:
        words = _key(phrase)
        if words:
            self.nisbas.setdefault(words[0], []).append((words, nisba))


_TOKEN_RE = re.compile(r"[^\W_]+")
# عمّان with a shadda is Amman, the capital of Jordan; the matching form would
# drop the shadda and leave عمان (Oman), so it is rewritten before.
_AMMAN_RE = re.compile("ع\u064e?م(?=[\u064b-\u0652]*\u0651)[\u064b-\u0652]+ان(?![\u0621-\u064a])")


def _key(phrase: str) -> Words:
    """A declared phrase as the words the matcher compares."""
    return tuple(_TOKEN_RE.findall(matching_form(phrase)))


def _definite(phrase: str) -> bool:
    """Whether a head noun phrase is definite (its last word carries ال)."""
    return matching_form(phrase).split()[-1].startswith("ال")


def _nisba_forms(masculine: str) -> dict[str, tuple[str, ...]]:
    """Feminine, plural and indefinite forms of a masculine definite nisba
    ("الكوري الشمالي" → "الكورية الشمالية", "الكوريين الشماليين", "كوري شمالي" …)."""
    words = masculine.split()

    def inflect(suffix: str) -> str:
        return " ".join(w + suffix if w.endswith("ي") else w for w in words)

    definite = (masculine, inflect("ة"), inflect("ين"), inflect("ون"))
    indefinite = tuple(" ".join(w.removeprefix("ال") for w in form.split()) for form in definite)
    return {"definite": definite, "indefinite": indefinite}


def _name(
    actor: str,
    clitics: str = ALL_CLITICS,
    not_before: Iterable[str] = (),
    not_after: Iterable[str] = (),
    only_after: Iterable[str] = (),
) -> _Name:
    return _Name(
        actor,
        clitics,
        frozenset(w for phrase in not_before for w in _key(phrase)),
        frozenset(w for phrase in not_after for w in _key(phrase)),
        frozenset(w for phrase in only_after for w in _key(phrase)),
    )


@cache
def _index() -> _Index:
    """Compile the gazetteer once (a dict lookup per word at match time)."""
    index = _Index()
    for country in COUNTRIES:
        index.kind[country.name] = COUNTRY
        army = country.army_name
        index.kind[army] = ARMED_FORCE
        index.parent[army] = country.name
        index.army_state[army] = country.name
        index.state_army[country.name] = army
        if country.state_adjective:
            index.adjective_states.add(country.name)
        state = _name(country.name, not_after=NOT_STATE_AFTER)
        for spelling in country.names:
            index.add(spelling, state)
        if country.name_only_after:
            index.add(country.name, _name(country.name, "", only_after=country.name_only_after))
        else:
            index.add(country.name, state)
        for spelling in (army, *country.army):
            index.add(spelling, _name(army))
        for masculine in country.nisbas:
            for definiteness, forms in _nisba_forms(masculine).items():
                for form in forms:
                    index.add_nisba(form, _Nisba(country.name, definiteness == "definite"))
        for plural in country.plurals:
            index.add_nisba(plural, _Nisba(country.name, True))
    for named in NAMED:
        index.kind[named.name] = named.kind
        if named.parent:
            index.parent[named.name] = named.parent
        spelling_payload = _name(named.name, named.clitics, named.not_before, named.not_after)
        for spelling in named.variants:
            index.add(spelling, spelling_payload)
    for head in STATE_HEADS:
        index.add(head, _Head(army=False, definite=_definite(head)))
    for head in PLACE_HEADS:
        index.add(head, _Head(army=False, definite=_definite(head), place=True))
    for organisation, nisbas in ORGANISATION_NISBAS.items():
        index.adjective_states.add(organisation)
        for masculine in nisbas:
            for definiteness, forms in _nisba_forms(masculine).items():
                for form in forms:
                    index.add_nisba(form, _Nisba(organisation, definiteness == "definite"))
    adjectival = {_key(head) for head in ADJECTIVAL_HEADS}
    for head in ARMY_HEADS:
        index.add(head, _Head(army=True, definite=_definite(head), adjectival=_key(head) in adjectival))
    for head in MILITARY_ACTS:
        index.add(head, _Head(army=True, definite=_definite(head), act=True))
    for head, default_state in ARMY_HEAD_DEFAULTS.items():
        index.add(head, _Head(army=True, definite=True, default=default_state))
    for title in TITLES:
        for form in title.definite:
            index.add(form, _TitleForm(title.name, construct=False))
        for form in title.construct:
            index.add(form, _TitleForm(title.name, construct=True))
    for phrase in BLOCKED:
        unless = _BLOCK_UNLESS_NEXT.get(phrase, ())
        index.add(phrase, _Block(frozenset(w for u in unless for w in _key(u))))
    for table in (index.phrases, index.nisbas):
        for entries in table.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    for first, entries in index.phrases.items():
        for words, payload in entries:
            second = words[1] if len(words) > 1 else ""
            index.by_words.setdefault((first, second), []).append((words, payload))
    _check(index)
    return index


def _check(index: _Index) -> None:
    """Fail at import time, not silently at match time, on a parent or kind typo."""
    for child, parent in index.parent.items():
        if parent not in index.kind:
            raise ValueError(f"actor {child!r} names an undeclared parent {parent!r}")
    for name, kind in index.kind.items():
        if kind not in KINDS:
            raise ValueError(f"actor {name!r} has an unknown kind {kind!r}")


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


_BREAK = "|"  # stands for punctuation between words: no phrase spans it
_PUNCTUATION_RE = re.compile(r"[^\w\s]+|_+")


@dataclass(frozen=True, slots=True)
class _Text:
    """Words of one text in matching form, with each run of punctuation kept as
    one :data:`_BREAK` word so that no phrase, head or title spans a comma or
    a full stop."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Text:
        if "\u0651" in text:  # only a shadda can make عمان Amman
            text = _AMMAN_RE.sub("عمان الأردنية", text)
        return cls(tuple(_PUNCTUATION_RE.sub(f" {_BREAK} ", matching_form(text)).split()))

    def word(self, position: int) -> str:
        """The word at ``position`` ("" outside the text)."""
        return self.words[position] if 0 <= position < len(self.words) else ""

    def follows(self, start: int, phrase: Words) -> bool:
        """Whether ``phrase[1:]`` continues from word ``start``."""
        return self.words[start + 1 : start + len(phrase)] == phrase[1:]


@dataclass(frozen=True, slots=True)
class _Mention:
    end: int  # index after the last word
    actors: tuple[str, ...]  # the actor read first, then those it credits
    clitic: str
    source: str  # "name", "state_head", "army", "title" or "blocked"


@lru_cache(maxsize=1 << 16)
def _readings(word: str) -> tuple[tuple[str, str], ...]:
    """(core, proclitics) splits of a word, the unsplit word first (cached:
    words repeat, and the previous word is read again for context checks)."""
    found = [(word, "")]
    for size in (1, 2):
        clitic, core = word[:size], word[size:]
        if len(core) < 2 or any(c not in ALL_CLITICS for c in clitic):
            continue
        if size == 2 and clitic[0] not in "وف":
            continue  # only و/ف come before another proclitic
        found.append((core, clitic))
        if clitic.endswith("ل") and core.startswith("ل"):
            found.append(("ا" + core, clitic))  # للناتو = ل + الناتو
    return tuple(found)


def _credits(index: _Index, actor: str) -> tuple[str, ...]:
    """``actor`` and the chain of parents its mention also counts for."""
    chain = [actor]
    while (parent := index.parent.get(chain[-1])) and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def _nisba_at(
    index: _Index, text: _Text, start: int, definite: bool, *, coordinated: bool = False
) -> tuple[int, str] | None:
    """A nisba adjective at word ``start``: (end, country). ``coordinated``
    also reads one joined by و: the second of "القوات الأمريكية والبريطانية"
    (or of "غارات أمريكية بريطانية", without و)."""
    first = text.word(start)
    for word in (first, first[1:]) if coordinated and first.startswith("و") else (first,):
        for phrase, nisba in index.nisbas.get(word, ()):
            if nisba.definite == definite and text.follows(start, phrase):
                return start + len(phrase), nisba.country
    return None


def _nisbas_at(index: _Index, text: _Text, start: int, definite: bool) -> tuple[int, list[str]] | None:
    """A nisba and those coordinated with it: (end, countries)."""
    found = _nisba_at(index, text, start, definite)
    if found is None:
        return None
    end, country = found
    countries = [country]
    while (more := _nisba_at(index, text, end, definite, coordinated=True)) is not None:
        end, country = more
        countries.append(country)
    return end, countries


def _mention_at(index: _Index, text: _Text, start: int, *, titles: bool = True) -> _Mention | None:
    """The longest reading starting at word ``start``, or None."""
    best: _Mention | None = None
    following = text.word(start + 1)
    for core, clitic in _candidates(text.words[start]):
        for key in ((core, following), (core, "")):
            for phrase, payload in index.by_words.get(key, ()):
                if len(phrase) > 2 and not text.follows(start, phrase):
                    continue
                found = _resolve(index, text, start, start + len(phrase), clitic, payload, titles)
                if found is not None and (best is None or found.end > best.end):
                    best = found
    return best


@lru_cache(maxsize=1 << 16)
def _candidates(word: str) -> tuple[tuple[str, str], ...]:
    """The (core, proclitics) readings of ``word`` that start a phrase: most
    words have none, and the answer is cached because words repeat."""
    phrases = _index().phrases
    return tuple((core, clitic) for core, clitic in _readings(word) if core in phrases)


def _resolve(
    index: _Index, text: _Text, start: int, end: int, clitic: str, payload: _Payload, titles: bool
) -> _Mention | None:
    """What one phrase reading gives, after its context checks."""
    next_word, previous = text.word(end), text.word(start - 1)
    if isinstance(payload, _Block):
        after = text.word(end + 1) if next_word == _BREAK else next_word  # "روسيا اليوم، السبت"
        return None if after in payload.unless_next else _Mention(end, (), clitic, "blocked")
    if isinstance(payload, _Name):
        if any(c not in payload.clitics for c in clitic):
            return None
        if next_word in payload.not_before:
            return None
        if not clitic and any(core in payload.not_after for core, _ in _readings(previous)):
            return None
        if payload.actor == "قطر" and (next_word.isdigit() or next_word in _words_of(_DIAMETER_NEXT)):
            return None
        if payload.only_after and not (
            previous in payload.only_after or (previous in ("", _BREAK) and next_word == _BREAK)
        ):
            return None
        return _Mention(end, _credits(index, payload.actor), clitic, "name")
    if isinstance(payload, _Head):
        return _head_mention(index, text, start, end, clitic, payload)
    if titles:
        return _title_mention(index, text, end, clitic, payload)
    return None


@cache
def _words_of(phrases: tuple[str, ...]) -> frozenset[str]:
    """The matching forms of a word list, for membership tests."""
    return frozenset(w for phrase in phrases for w in _key(phrase))


def _head_mention(
    index: _Index, text: _Text, start: int, end: int, clitic: str, head: _Head
) -> _Mention | None:
    """A head noun and its nisba: "القوات الروسية" (definite), "قوات روسية" (indefinite)."""
    if head.army and not clitic:
        before = [core for core, _ in _readings(text.word(start - 1))]
        if any(core in _words_of(WEAPON_NOUNS) for core in before):
            return None
        if head.adjectival and any(core.startswith("ال") for core in before):
            return None
    found = _nisbas_at(index, text, end, head.definite)
    if found is None and head.act and text.word(end) in _words_of(ACT_MODIFIERS):
        found = _nisbas_at(index, text, end + 1, head.definite)
    if found is None and head.place and not head.definite:
        for gap in (1, 2):  # the place's name: "مدينة ساراتوف الروسية", not "قاعدة للجيش الصومالي"
            name = text.word(end + gap - 1)
            if name in ("", _BREAK) or _candidates(name):
                break
            if (found := _nisbas_at(index, text, end + gap, True)) is not None:
                break
    if found is not None:
        stop, countries = found
        if head.army:  # a state's army; an organisation's forces are the organisation
            armies = [index.state_army.get(country, country) for country in countries]
            return _Mention(stop, tuple(a for army in armies for a in _credits(index, army)), clitic, "army")
        states = tuple(country for country in countries if country in index.adjective_states)
        return _Mention(stop, states, clitic, "state_head") if states else None
    if head.default is not None:
        return _Mention(end, _credits(index, index.state_army[head.default]), clitic, "army")
    return None


def _title_mention(index: _Index, text: _Text, end: int, clitic: str, title: _TitleForm) -> _Mention | None:
    """A title and its owner: a nisba or ل + owner after a definite title, the
    bare owner after a construct one. The owner is a name or a national army
    (which stands for its state); a state head ("وزارة الخارجية الروسية") is
    not an owner: "the spokesman of the Russian foreign ministry" is not an office
    of Russia's own, and the state is still read."""
    if end >= len(text.words):
        return None
    if not title.construct:
        found = _nisba_at(index, text, end, True)
        if found is not None:
            stop, country = found
            return _Mention(stop, (f"{title.title} ({country})", country), clitic, "title")
    owner = _mention_at(index, text, end, titles=False)
    if owner is None or not owner.actors or owner.source not in ("name", "army"):
        return None
    if index.kind.get(owner.actors[0]) == OFFICIAL or owner.clitic != ("" if title.construct else "ل"):
        return None
    holder = index.army_state.get(owner.actors[0], owner.actors[0])
    return _Mention(owner.end, (f"{title.title} ({holder})", *owner.actors), clitic, "title")


def _mentions(text: str) -> Iterator[tuple[str, ...]]:
    """Actors of each mention in ``text``, in reading order."""
    index = _index()
    words = _Text.of(text)
    position = 0
    while position < len(words.words):
        if not _candidates(words.words[position]):
            position += 1
            continue
        found = _mention_at(index, words, position)
        if found is None:
            position += 1
            continue
        if found.actors:
            yield found.actors
        position = found.end


def _kind(index: _Index, name: str) -> str:
    """Every name a mention gives is declared, except officials ("title (owner)")."""
    return index.kind.get(name, OFFICIAL)


def find_actors(title: str, body: str) -> list[Actor]:
    """Actors mentioned in an article, most prominent first.

    Each mention counts once for the actor read and once for every actor it
    credits (its state, its parent group). Sorted by (in title, mentions)
    descending, then by name, so the order is stable for storage and export.
    """
    index = _index()
    found: dict[str, Actor] = {}
    for text, in_title in ((title or "", True), (body or "", False)):
        for actors in _mentions(text):
            for name in dict.fromkeys(actors):
                actor = found.get(name)
                if actor is None:
                    found[name] = Actor(name, _kind(index, name), 1, in_title)
                else:
                    actor.mentions += 1
                    actor.in_title = actor.in_title or in_title
    return sorted(found.values(), key=lambda a: (not a.in_title, -a.mentions, a.name))


def actor_kind(name: str) -> str | None:
    """The kind of a canonical actor name (None when the gazetteer does not hold it)."""
    index = _index()
    if name in index.kind:
        return index.kind[name]
    if name.endswith(")") and " (" in name:
        holder = name[name.rindex(" (") + 2 : -1]
        return OFFICIAL if holder in index.kind else None
    return None


def parent_of(name: str) -> str | None:
    """The actor a canonical name credits (its state, group or organisation), if any.

    Lets story clustering treat "الجيش الروسي" and "وزير الدفاع (روسيا)" as
    close to روسيا without re-reading the text.
    """
    index = _index()
    if name in index.parent:
        return index.parent[name]
    if name.endswith(")") and " (" in name:
        holder = name[name.rindex(" (") + 2 : -1]
        return holder if holder in index.kind else None
    return None


def canonical_names() -> dict[str, str]:
    """Every canonical actor name the gazetteer can give (officials excepted) and its kind."""
    return dict(_index().kind)
