"""The defence lexicon: weighted Arabic terms per topic, neutral phrases and negative context.

How matching works
------------------
Title and body are reduced to :func:`crawler.text.arabic.matching_form` (one alef,
ha for ta marbuta, hamza carriers folded, no tashkeel or tatweel) and split
into words. Every term below is written once in ordinary spelling; at import
it is folded the same way and expanded into its surface forms:

* proclitics on the first word: و ف ب ل ك, the article ال and لل
  ("والمقاتلات", "بالصواريخ", "للدفاع");
* the article on every word, so "دفاع جوي" also matches "الدفاع الجوي"
  (a leading "ال" written in a term is optional, so write either);
* regular endings: dual, sound plurals, possessive pronouns and the
  accusative alef ("مقاتلة" → "مقاتلات", "مقاتلتان"; "صاروخ" → "صاروخاً").
  Broken plurals ("صواريخ", "مدافع", "قواعد") and nisba adjectives
  ("صاروخية", "عسكري") are not derived: list them as terms of their own.

Words are scanned left to right and, where several phrases start at a word,
the longest wins. That is how a neutral phrase switches a term off: "ملعب
الدفاع الجوي" (a Cairo stadium) starts before "الدفاع الجوي" and consumes it.

Three kinds of entries
----------------------
* ``POSITIVE_TERMS``: evidence for defence and security, with a weight (0.5
  weak, 1-1.5 common but ambiguous, 2-2.5 clear, 3-3.5 unambiguous) and a topic
  (``None``: counts for relevance only, e.g. "الجيش"). A term with ``near``
  counts only when one of those words is within ``NEAR_WINDOW`` words:
  "مسيرات" is a march or a career unless an attack or an interception is near.
* ``NEUTRAL_PHRASES``: phrases that contain a defence word but are not
  defence news ("خط الدفاع", "حرب الأسعار", "الجيش الأبيض"). They score nothing
  and hide the words inside them.
* ``NEGATIVE_CONTEXT``: markers of sport, economy, entertainment, domestic
  politics, health, weather, civil aviation and shipping, and petty crime.
  Their weight is turned into a penalty subtracted from the score
  (crawler/lens/relevance.py). Like every phrase, a longer negative phrase
  consumes the words it spans ("حارس المرمى" is not a guard).

Scope decisions an analyst should know
--------------------------------------
* Cyber: a state-linked attack or one on military or critical infrastructure
  is security ("هجوم سيبراني" counts); fraud, phishing, ransomware against a
  business and hacked celebrity accounts are crime, and their markers are
  negative context.
* Ordinary crime (drugs, theft) is not security; arms smuggling is.
* Civil nuclear power and nuclear medicine are not defence; enrichment,
  weapons, tests and treaties are.
* Civil aviation, shipping, space launches, drone light shows and parcel
  drones are not defence.
* Fiction about war (series, films, games) is not defence news.

Adding a term
-------------
1. Put it in the group of its topic below with a weight from the scale above;
   add a word to the group comment if it is a new kind of evidence.
2. If the word has a civilian sense, add the civilian phrase to
   ``NEUTRAL_PHRASES`` or give the term ``near`` words.
3. Add one defence and one confusable snippet to
   ``tests/lens/relevance_snippets.jsonl`` and measure:
   ``.venv/bin/python -m bench.relevance_eval --sweep`` (precision, recall,
   per-topic figures and every misclassified snippet with its matched terms).
4. ``.venv/bin/python -m pytest tests/test_relevance.py`` checks the floors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from crawler.text.arabic import matching_form

# The topic slugs, fixed: feeds, the store and analysts' filters use them.
TOPICS: tuple[str, ...] = (
    "air",
    "naval",
    "land",
    "missiles_air_defence",
    "drones",
    "nuclear",
    "arms_industry",
    "alliances_exercises",
    "armed_conflict",
    "terrorism_security",
)

# Words on either side of a ``near`` term that are searched for its context.
NEAR_WINDOW = 6


@dataclass(frozen=True)
class Term:
    """One lexicon entry: a word or phrase, its weight and what it is evidence of."""

    phrase: str
    weight: float
    # A topic slug for positive terms (None: relevance only); a domain label
    # ("sport", "economy", ...) for negative context, used in explanations.
    topic: str | None = None
    # When set, the term counts only if one of these words is within NEAR_WINDOW words.
    near: tuple[str, ...] = field(default=())


def _group(topic: str | None, weight: float, phrases: str, near: tuple[str, ...] = ()) -> tuple[Term, ...]:
    """Terms of one weight and topic, written as one " | "-separated string for reading."""
    return tuple(Term(phrase.strip(), weight, topic, near) for phrase in phrases.split("|") if phrase.strip())


# Words that make a bare "مسيرة/مسيرات" (drone, or march, or career) a drone:
# an attack, an interception, a launch, a military actor.
_DRONE_CONTEXT: tuple[str, ...] = tuple(
    "هجوم هجمات هجومية اعتراض اعترضت اعترض اسقاط أسقط أسقطت أسقطنا استهداف استهدفت استهدف "
    "انتحارية انقضاضية مسلحة قتالية الدفاعات الجوية الجيش القوات الحوثي الحوثيين حزب روسيا "
    "أوكرانيا ضربات قصف أطلقت أطلق إطلاق سرب صواريخ غارات المعادية".split()
)

POSITIVE_TERMS: tuple[Term, ...] = (
    # --- air: combat aircraft by role and by name, air forces, air bases.
    *_group(
        "air",
        3.0,
        "مقاتلة | طائرة مقاتلة | طائرة حربية | الطيران الحربي | سلاح الجو | القوات الجوية | "
        "رافال | سوخوي | يوروفايتر | ميراج | اف 35 | اف 16 | اف 15 | f 35 | f 16 | f 15 | "
        "سو 35 | سو 57 | سو 30 | ميغ 29 | مروحية عسكرية | مروحية هجومية | مروحيات قتالية | "
        "أباتشي | بلاك هوك | قاذفة استراتيجية | قاذفات استراتيجية | مقاتلة شبحية",
    ),
    *_group(
        "air",
        2.0,
        "قاعدة جوية | قواعد جوية | سلاح الطيران | الدعم الجوي | التفوق الجوي | طلعة جوية | "
        "التزود بالوقود جوا | mrtt | تايفون | j 10c | jf 17 | شبحية | طيران الجيش",
    ),
    # A helicopter or a squadron is usually military in this corpus, not always.
    *_group("air", 1.0, "مروحية | سرب | أسراب | العرض الجوي | قاذفة"),
    # --- naval: warship classes, navies, fleets by name, sea mines.
    *_group(
        "naval",
        3.0,
        "فرقاطة | كورفيت | غواصة | حاملة طائرات | سفينة حربية | سفن حربية | القوات البحرية | "
        "كاسحة ألغام | كاسحات ألغام | ألغام بحرية | قطع بحرية | أسطول البحر الأسود | "
        "مشاة البحرية | إنزال بحري | سلاح البحرية | البحرية الأمريكية",
    ),
    # "مدمرة" is also the adjective "devastating"; "بحرية" also "maritime".
    *_group("naval", 1.5, "مدمرة | مدمرات | طراد | زورق مسير | زوارق مسيرة | زوارق سريعة"),
    *_group("naval", 1.0, "بحرية | زورق | زوارق"),
    *_group("naval", 1.5, "زوارق دورية | زورق دورية | دوريات بحرية | خفر السواحل"),
    # "أسطول" is as often a fleet of airliners, taxis or fishing boats.
    *_group("naval", 0.5, "أسطول"),
    # --- land: armour, artillery, rockets launchers, ground formations.
    *_group(
        "land",
        3.0,
        "دبابة | مدرعات | عربة مدرعة | ناقلة جنود | ناقلات جنود | هاوتزر | راجمة | راجمات | "
        "هيمارس | ليوبارد | أبرامز | ميركافا | تي 90 | t 90 | لواء مشاة | لواء مدرع | "
        "ألوية مدرعة | فرقة مدرعة | القوات البرية | مضادة للدروع | مضاد للدروع | قذائف المدفعية",
    ),
    *_group("land", 2.0, "مدفعية | مدافع | مدرعة | مشاة | ألوية | خنادق"),
    *_group("land", 1.0, "مدفع | كتيبة | كتائب"),
    # --- missiles and air defence: missile types, air and missile defence systems, interception.
    *_group(
        "missiles_air_defence",
        3.5,
        "منظومة دفاع جوي | منظومات دفاع جوي | دفاع جوي | دفاعات جوية | "
        "دفاع صاروخي | الدرع الصاروخي | القبة الحديدية | مقلاع داود | باتريوت | اس 400 | "
        "s 400 | صاروخ باليستي | صواريخ باليستية | فرط صوتي | فرط صوتية | "
        "عابر للقارات | عابرة للقارات | صاروخ كروز | صواريخ كروز | حائط الصواريخ | اعتراض صاروخ | "
        "اعتراض الصواريخ",
    ),
    *_group(
        "missiles_air_defence",
        2.5,
        "باليستي | بانتسير | ثاد | جافلين | ستينغر | رأس حربي | "
        "رؤوس حربية | منصة إطلاق | منصات إطلاق | صفارات الإنذار | الإنذار المبكر | سلاح ليزر | "
        "الدفاع الساحلي",
    ),
    # A missile, but also a space launcher, a firework and a striker's nickname.
    *_group("missiles_air_defence", 2.0, "صاروخ | صواريخ | صاروخية | صاروخي"),
    # Interception is strong evidence only next to a weapon; alone it may be an objection.
    *_group("missiles_air_defence", 1.0, "اعتراض | اعترضت | رادار | رادارات"),
    # --- drones: unambiguous names and phrases, then the bare participle gated by context.
    *_group(
        "drones",
        3.0,
        "طائرة مسيرة | طائرة بدون طيار | طائرة من دون طيار | طائرات بلا طيار | مسيرة انتحارية | "
        "مسيرات انتحارية | مسيرات انقضاضية | مسيرة انقضاضية | مسيرة هجومية | مسيرات هجومية | "
        "بيرقدار | شاهد 136 | مسيرات شاهد | طراز شاهد | وينغ لونغ | مكافحة المسيرات | "
        "مضادة للمسيرات | fpv | درون | درونز",
    ),
    *_group("drones", 2.5, "انقضاضية", near=()),
    *_group("drones", 2.5, "مسيرات | مسيرة | مسير", near=_DRONE_CONTEXT),
    # --- nuclear: weapons, tests, enrichment, arms control, named sites.
    *_group(
        "nuclear",
        3.5,
        "سلاح نووي | أسلحة نووية | تجربة نووية | تجارب نووية | الردع النووي | رأس نووي | "
        "رؤوس نووية | الثالوث النووي | نيو ستارت | عدم الانتشار النووي | الترسانة النووية | "
        "ترسانات نووية | قنبلة نووية | يورانيوم مخصب | عالي التخصيب",
    ),
    *_group(
        "nuclear",
        2.5,
        "تخصيب | الوكالة الدولية للطاقة الذرية | ديمونة | نطنز | فوردو | بونغي ري | غروسي | القنبلة الذرية",
    ),
    *_group("nuclear", 1.0, "نووي | اليورانيوم | الذرية"),
    # --- arms industry and trade: defence firms, fairs, deals, budgets, exports.
    *_group(
        "arms_industry",
        3.0,
        "الصناعات الدفاعية | الصناعات العسكرية | صفقة سلاح | صفقة أسلحة | "
        "صفقات سلاح | صفقات أسلحة | صفقة عسكرية | الصادرات الدفاعية | صادرات السلاح | "
        "صادرات الأسلحة | واردات الأسلحة | مستوردي السلاح | مصدري السلاح | الإنتاج الحربي | "
        "الهيئة العربية للتصنيع | ايدكس | إيديكس | نافدكس | ميزانية الدفاع | "
        "ميزانية دفاعية | الإنفاق العسكري | الإنفاق الدفاعي | "
        "وكالة التعاون الأمني الدفاعي | لوكهيد مارتن | رايثيون | راينميتال | أسيلسان | بايكار | "
        "معرض الدفاع | معهد ستوكهولم الدولي لأبحاث السلام | المعدات الدفاعية | معدات عسكرية | "
        "ترسانة عسكرية | مخصصات الجيش | مخصصات الدفاع | روكيتسان",
    ),
    *_group("arms_industry", 2.0, "هانوا | نافانتيا | داسو | سيبري | مجموعة إيدج | الصناعات الجوية"),
    # --- alliances and exercises: alliances, pacts, joint drills and named exercises.
    *_group(
        "alliances_exercises",
        3.0,
        "حلف شمال الأطلسي | الناتو | تدريب مشترك | التدريب العسكري المشترك | تمرين مشترك | "
        "تمرين عسكري | تمرينا عسكريا | مناورات عسكرية | مناورات بحرية | مناورات جوية | "
        "تدريبات عسكرية | دفاع مشترك | التعاون العسكري | درع الجزيرة | الأسد الأفريقي | "
        "النجم الساطع | الحزام الأمني | التدريب البحري المشترك | الدفاع الجماعي | التعاون الدفاعي | "
        "باليكاتان | ريمباك | زاباد | فوستوك | سي بريز | تمارين عسكرية",
    ),
    *_group(
        "alliances_exercises",
        2.0,
        "مناورات | مناورة عسكرية | الذخيرة الحية | رمايات | الحلفاء",
    ),
    # --- armed conflict: strikes, fighting, ceasefires, armed actors of current wars.
    *_group(
        "armed_conflict",
        3.0,
        "غارات جوية | غارة جوية | قصف مدفعي | قصف صاروخي | وقف إطلاق النار | تبادل الأسرى | "
        "الدعم السريع | جماعة الحوثي | القسام | سرايا القدس | فاغنر | القوات الروسية | "
        "القوات الأوكرانية | الجيش الإسرائيلي | خط المواجهة | خطوط التماس | إم 23 | "
        "الجبهة الشرقية | العمليات العسكرية | عملية عسكرية | تبادل إطلاق النار | ضربات صاروخية | "
        "ضربة صاروخية | ضربات جوية",
    ),
    *_group(
        "armed_conflict",
        2.5,
        "غارة | غارات | اشتباكات | حزب الله | الحوثي | الحوثيين | الحوثيون | حماس | "
        "المتمردين | المتمردة | الميليشيات | التحالف العربي | التحالف الدولي | "
        "تمرد | إطلاق النار | خط المراقبة | كمين",
    ),
    *_group(
        "armed_conflict",
        1.5,
        "قصف | معارك | قتال | شهداء | هدنة | الأسرى | اجتياح | "
        "اقتحام | وابل | ضربات | جبهة القتال | جبهات القتال | خطوط الجبهة",
    ),
    *_group("armed_conflict", 1.0, "الصراع | الاحتلال | قذائف | قذيفة | اغتيال"),
    # "حرب" is the commonest metaphor in Arabic news (prices, chips, words, viruses).
    *_group("armed_conflict", 0.5, "الحرب"),
    # "جبهة" is as often a political front ("جبهة المعارضة").
    *_group("armed_conflict", 0.5, "قتلى | جرحى | التصعيد | النزاع | الجبهة | جبهات"),
    # --- terrorism and security: groups, attacks, counter-terrorism, border and state security.
    *_group(
        "terrorism_security",
        3.0,
        "إرهابي | إرهابية | إرهابيين | الإرهاب | داعش | تنظيم الدولة | تنظيم القاعدة | "
        "حركة الشباب | بوكو حرام | نصرة الإسلام والمسلمين | خلية إرهابية | تكفيرية | تكفيريين | "
        "مكافحة الإرهاب | مفخخة | ناسفة | عبوة ناسفة | أحزمة ناسفة | تهريب أسلحة | هجوم سيبراني | "
        "الهجمات السيبرانية | مراقبة التراب الوطني | الحرب على الإرهاب | طالبان | متشددون | متشددين",
    ),
    *_group(
        "terrorism_security",
        2.0,
        "أمن الدولة | تفجير | انتحاري | متطرفين | متطرفة | جهادي | جهادية | "
        "تمشيط | رهائن | الأبحاث القضائية | سيبراني | قراصنة مسلحين | القرصنة",
    ),
    *_group(
        "terrorism_security",
        1.5,
        "حرس الحدود | الاستخبارات | المخابرات | تجسس | مداهمة | نقطة تفتيش | تهريب | خطف | "
        "التسلل | مسلحين | مسلحون | مسلحا",
    ),
    # --- no topic: general military vocabulary, evidence of relevance but of no one topic.
    *_group(
        None,
        3.0,
        "وزارة الدفاع | وزير الدفاع | المتحدث العسكري | البنتاغون | الحرس الثوري | "
        "جيش التحرير الشعبي | هيئة الأركان | رئيس الأركان | رئيسا الأركان | رؤساء الأركان | "
        "القيادة المركزية الأمريكية | قاعدة عسكرية | قواعد عسكرية | القوات المسلحة | عرض عسكري",
    ),
    *_group(
        None,
        1.5,
        "عسكري | عسكرية | العسكريين | جنود | جندي | أسلحة | ذخائر | ذخيرة | القوات الخاصة | "
        "الأمن القومي | الردع | الحرس الوطني | القيادة المركزية | الجيوش",
    ),
    *_group(None, 1.0, "الجيش | سلاح | ضابط | ضباط | الصاعقة | دفاعية | قوات | ثكنة"),
    # "مسلحة" qualifies drones, groups and forces alike.
    *_group(None, 1.0, "مسلحة"),
    *_group(None, 0.5, "الحدود | الحدودية"),
    # Patrols: "دوريات" also ends like "الدوري" (the football league, a sport marker),
    # so the military phrases are spelled out; the bare word is neutral (below).
    *_group(None, 1.5, "دوريات عسكرية | دورية عسكرية | دوريات أمنية | دوريات مكثفة | دوريات مشتركة"),
    *_group(None, 0.5, "هجوم | هجمات | الكرملين"),
)

# Phrases with a defence word that are not defence news. They score nothing and
# hide the words they contain (the longest phrase at a word wins).
NEUTRAL_PHRASES: tuple[str, ...] = tuple(
    phrase.strip()
    for phrase in (
        # Sport: positions, shots, club and stadium names built on military words.
        "خط الدفاع | قلب الدفاع | الخط الدفاعي | الصلابة الدفاعية | الدفاع المتقدم | دفاع المنطقة | "
        "ملعب الدفاع الجوي | استاد الدفاع الجوي | الجيش الملكي | طلائع الجيش | نادي الشرطة | "
        "تسديدة صاروخية | تسديدات صاروخية | قذيفة صاروخية | إرسالات صاروخية | إرسال صاروخي | "
        "قصف شباك | يقصفون شباك | يقصف شباك | تقصف شباك | دك شباك | فنون القتال | قصف جبهة | "
        # Patrol or periodic: neither defence nor sport on its own (see the patrol group).
        "دوريات | دورية | "
        "هجمة مرتدة | هجمات مرتدة | الثلاثي الهجومي | "
        "الخط الهجومي | هجوم ملكي | حرب نفسية | "
        # Economy and politics.
        "حرب الأسعار | حرب تجارية | حرب العملات | هدنة تجارية | "
        "حرب كلامية | معركة انتخابية | مناورات سياسية | "
        "مناورة سياسية | حلف اليمين | أداء اليمين | هجوم بيعي | هجمة بيعية | قنبلة موقوتة | "
        # Health and civil protection.
        "الحرب على فيروس | الحرب على المخدرات | الحرب على الفساد | "
        "الجيش الأبيض | خط الدفاع الأول | الدفاع المدني | جهاز المناعة | الجهاز المناعي | "
        # Civilian senses of nuclear, missile, destroyer and drone words.
        "الطب النووي | المحطات النووية | هيئة المحطات النووية | محطة نووية لتوليد الكهرباء | "
        "صاروخ فالكون | صاروخ فضائي | صواريخ فضائية | صاروخ الفضاء | الصواريخ الورقية | مدفع الإفطار | "
        "مدفع رمضان | آثار مدمرة | عاصفة مدمرة | "
        "الملاحة البحرية | الرحلات البحرية | الثروة البحرية | الحدود الإدارية | "
        "سلاح أبيض | سلاح ذو حدين | الصواريخ والشماريخ | محطة الضبعة | الضبعة النووية | "
        "ضربات الترجيح | ضربة جزاء | ضربات جزاء | ضربة رأس | ضربات البرق | ضربات إرسال | ضربة إرسال | "
        "أسطول سيارات | أسطول الصيد | تهريب المخدرات"
    ).split("|")
    if phrase.strip()
)

NEGATIVE_CONTEXT: tuple[Term, ...] = (
    # Sport: competitions, players, pitch vocabulary.
    *_group(
        "sport",
        1.5,
        "مباراة | مباريات | الدوري | الدوري الممتاز | ملعب | استاد | مرمى | "
        "حارس المرمى | ركلة جزاء | ركلات الترجيح | منطقة الجزاء | هدافين | الديربي | "
        "المدرب | المدير الفني | لاعب | لاعبين | منتخب | تسديدة | "
        "الشوط | المدرجات | الجماهير | كرة القدم | كرة اليد | الانتقالات | الأولمبية | "
        "ميدالية | بطولة العالم | نصف النهائي | ربع النهائي | الهبوط | ودية | الشطرنج | حلبة | "
        "الكلاسيكو | شباك",
    ),
    # "هدف/أهداف" alone is also "objective" and "target": only scoring phrases count.
    *_group(
        "sport",
        1.0,
        "نادي | فريق | كأس | بطولة | سجل هدف | سجل هدفين | أحرز هدف | هدف التعادل | "
        "هدف الفوز | الرياضي | سباق",
    ),
    # Economy: markets, money, companies, consumers.
    *_group(
        "economy",
        1.5,
        "البورصة | الأسهم | المؤشر الرئيسي | أسعار الفائدة | الفائدة | نقطة أساس | التضخم | "
        "المستثمرين | الرسوم الجمركية | رسوما جمركية | استحواذ | باقات | المشتركين | "
        "هوامش الربح | خام برنت | الأوقية | الملاذات الآمنة | صندوق النقد | أسعار الشحن | "
        "الحاويات | الطرود | العملة المحلية | السوق الموازية",
    ),
    *_group("economy", 1.0, "الأسواق | المستهلكين | العملاء | الإيرادات | الاستثمار | المبيعات"),
    # Entertainment: film, series, music, games.
    *_group(
        "entertainment",
        1.5,
        "مسلسل | فيلم | أفلام | أوسكار | شباك التذاكر | نسب المشاهدة | بطل العمل | النقاد | "
        "نتفليكس | المطرب | المطربة | أغنية | لعبة | ألعاب الفيديو | العرض التشويقي | الممثل | "
        "شركة الإنتاج | الرياضات الإلكترونية | افتراضية | مشاهدة | حفلات | هوليوود | "
        "الجزء الثالث | الجزء الثاني | جزء ثان | سلسلة أفلام | تضيء | يضيء | أضاءت | "
        "الشماريخ",
    ),
    *_group("entertainment", 1.0, "عرض | الجمهور | المسرح | جوائز | النجمة | احتفالات | مضيئة"),
    *_group("entertainment", 1.0, "الألعاب النارية"),
    # Domestic politics: elections and parties.
    *_group(
        "politics",
        1.5,
        "الانتخابات | انتخابية | المرشحين | مرشحا | مرشح | الاقتراع | صناديق الاقتراع | "
        "مقاطعة الانتخابات | سحب الثقة | الائتلاف الحاكم | الائتلاف الحكومي | حزب",
    ),
    *_group("politics", 1.0, "البرلمان | النواب | مجلس النواب | قانون المالية"),
    # Health.
    *_group(
        "health",
        1.5,
        "فيروس | اللقاحات | لقاح | تطعيم | المناعة | مناعي | المرضى | الأطباء | "
        "وزارة الصحة | العلاج | سرطان | البكتيريا | المضادات الحيوية | الملاريا | المستشفيات",
    ),
    # Weather and natural disasters.
    *_group(
        "weather",
        1.5,
        "الأرصاد | الأرصاد الجوية | منخفض جوي | الأمطار | درجات الحرارة | الرياح | "
        "عاصفة ترابية | عاصفة رملية | عاصفة رعدية | الإعصار | السيول | موجة حر | البرق",
    ),
    # Civil aviation, shipping, space.
    *_group(
        "civil",
        1.5,
        "الطيران المدني | طائرات ركاب | شركة طيران | شركات الطيران | الرحلات | "
        "المسافرين | الركاب | سياحية | رصد الأرض | الفضاء | إيرباص | بوينغ | "
        "لوفتهانزا | طيران الإمارات | طيران الخليج | توليد الكهرباء | روساتوم | توصيل | الشحنات",
    ),
    # Crime that is not security: fraud, hacked accounts, ransom of businesses, theft.
    *_group(
        "crime",
        1.0,
        "احتيال | احتيالية | الجرائم الإلكترونية | العملات المشفرة | برمجية فدية | "
        "بيتكوين | المخدرات | مخدر | المجوهرات | المسروقات | سطا",
    ),
)


# ---------------------------------------------------------------------------
# Compiled matcher (built once at import).

_TOKEN_RE = re.compile(r"[^\W_]+")
_ARABIC_WORD_RE = re.compile(r"^[\u0621-\u064a]+$")
# Proclitics before the first word of a term: conjunction, then preposition, then article.
_CONJUNCTIONS = ("", "و", "ف")
_FIRST_WORD_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p for c in _CONJUNCTIONS for p in ("", "ب", "ك", "ل", "ال", "بال", "كال", "لل")},
        key=len,
    )
)
_ARTICLE_PREFIXES = ("", "ال")
# Endings of a word ending in ta marbuta (folded to ه): it becomes ت before a suffix.
_TA_MARBUTA_ENDINGS = ("ه", "ات", "تان", "تين", "ته", "تها", "تهم", "تي", "اته", "اتها", "اتهم")
# "ا" is the accusative tanween alef ("صاروخاً" → "صاروخا") once tashkeel is gone.
# No nisba endings (ي، ية): they make other words ("تجار" → "تجارية"), so an
# adjective is a term of its own ("صاروخ" and "صاروخية").
_PLAIN_ENDINGS = ("", "ا", "ه", "ها", "هم", "هما", "ان", "ين", "ون", "ات")


def _base(word: str) -> str:
    """The matching form of a lexicon word without a written article ("الدفاع" → "دفاع")."""
    folded = matching_form(word)
    if word.startswith("ال") and len(folded) > 4:
        return folded[2:]
    # Too short to stand without its article ("الطب"): the article stays in the base.
    return folded


def _endings(base: str) -> set[str]:
    if not _ARABIC_WORD_RE.match(base) or len(base) <= 2:
        return {base}
    if base.endswith("ه"):
        stem = base[:-1]
        return {stem + ending for ending in _TA_MARBUTA_ENDINGS}
    return {base + ending for ending in _PLAIN_ENDINGS}


def surface_forms(base: str, *, first: bool) -> set[str]:
    """Every spelling of a base word as it may stand in text: endings, then proclitics."""
    forms = _endings(base)
    if not _ARABIC_WORD_RE.match(base):
        return forms
    if len(base) <= 2:
        # Short words ("اف" of "اف 35", "تي" of "تي 90") take no article: "التي 90" is not a tank.
        return {prefix + form for prefix in ("", "و", "ب", "ل") for form in forms}
    if not first:
        return {prefix + form for prefix in _ARTICLE_PREFIXES for form in forms}
    spelled = {prefix + form for prefix in _FIRST_WORD_PREFIXES for form in forms}
    if base.startswith("ال"):
        # A base that keeps its article ("الطب") contracts after لـ: "للطب".
        spelled |= {c + "ل" + form[1:] for c in _CONJUNCTIONS for form in forms}
    return spelled


@dataclass(frozen=True)
class Entry:
    """A compiled lexicon phrase: the sequence of base words and what a match means."""

    kind: str  # "positive", "negative" or "neutral"
    bases: tuple[str, ...]
    term: Term | None
    near_forms: frozenset[str]
    order: int


class Hit(NamedTuple):
    """One matched entry at a word position of a text (a tuple: made once per match, cheaply)."""

    entry: Entry
    position: int


_KIND_RANK = {"neutral": 0, "negative": 1, "positive": 2}


class _Matcher:
    """Word-level phrase matcher: one dict lookup per word, longest phrase first."""

    def __init__(self, entries: list[Entry]) -> None:
        first_forms: dict[str, set[str]] = {}
        later: dict[str, set[str]] = {}
        by_first: dict[str, list[Entry]] = {}
        for entry in entries:
            for number, base in enumerate(entry.bases):
                index = first_forms if number == 0 else later
                for form in surface_forms(base, first=number == 0):
                    index.setdefault(form, set()).add(base)
            by_first.setdefault(entry.bases[0], []).append(entry)
        self.later_forms: dict[str, frozenset[str]] = {form: frozenset(b) for form, b in later.items()}
        # For each spelling that can open a phrase: the phrases of two words or
        # more, keyed by their second word, and the best one-word entry. Tried
        # longest first; on equal length neutral beats negative beats positive,
        # then the lexicon's own order (never set order).
        self.longer: dict[str, dict[str, tuple[Entry, ...]]] = {}
        self.single: dict[str, Entry] = {}
        for form, bases in first_forms.items():
            opened = sorted(
                (entry for base in bases for entry in by_first[base]),
                key=lambda e: (-len(e.bases), _KIND_RANK[e.kind], e.order),
            )
            by_second: dict[str, list[Entry]] = {}
            for entry in opened:
                if len(entry.bases) > 1:
                    by_second.setdefault(entry.bases[1], []).append(entry)
                else:
                    self.single.setdefault(form, entry)
            if by_second:
                self.longer[form] = {second: tuple(found) for second, found in by_second.items()}

    def hits(self, tokens: list[str]) -> list[Hit]:
        found: list[Hit] = []
        count = len(tokens)
        position = 0
        while position < count:
            match = self._best_at(tokens, position)
            if match is None:
                position += 1
                continue
            if match.kind != "neutral" and (
                not match.near_forms or self._context_ok(match, tokens, position)
            ):
                found.append(Hit(match, position))
            position += len(match.bases)
        return found

    def _best_at(self, tokens: list[str], position: int) -> Entry | None:
        token = tokens[position]
        longer = self.longer.get(token)
        if longer is not None and position + 1 < len(tokens):
            seconds = self.later_forms.get(tokens[position + 1])
            if seconds:
                phrases = [entry for second in seconds for entry in longer.get(second, ())]
                matched = [entry for entry in phrases if self._follows(entry, tokens, position)]
                if matched:
                    return min(matched, key=lambda e: (-len(e.bases), _KIND_RANK[e.kind], e.order))
        return self.single.get(token)

    def _follows(self, entry: Entry, tokens: list[str], position: int) -> bool:
        if position + len(entry.bases) > len(tokens):
            return False
        for offset, base in enumerate(entry.bases[1:], start=1):
            if base not in self.later_forms.get(tokens[position + offset], ()):
                return False
        return True

    @staticmethod
    def _context_ok(entry: Entry, tokens: list[str], position: int) -> bool:
        if not entry.near_forms:
            return True
        start = max(0, position - NEAR_WINDOW)
        end = position + len(entry.bases) + NEAR_WINDOW
        window = tokens[start:position] + tokens[position + len(entry.bases) : end]
        return any(token in entry.near_forms for token in window)


def _near_forms(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(form for word in words for form in surface_forms(_base(word), first=True))


def _compile() -> _Matcher:
    specs: list[tuple[str, tuple[str, ...], Term | None, frozenset[str]]] = [
        *(("positive", tokens_of_phrase(t.phrase), t, _near_forms(t.near)) for t in POSITIVE_TERMS),
        *(("negative", tokens_of_phrase(t.phrase), t, frozenset()) for t in NEGATIVE_CONTEXT),
        *(("neutral", tokens_of_phrase(p), None, frozenset()) for p in NEUTRAL_PHRASES),
    ]
    entries = [
        Entry(kind, bases, term, near, order)
        for order, (kind, bases, term, near) in enumerate(specs)
        if bases
    ]
    return _Matcher(entries)


def tokens_of_phrase(phrase: str) -> tuple[str, ...]:
    """The base words of a lexicon phrase (matching form, written article dropped)."""
    return tuple(_base(word) for word in _TOKEN_RE.findall(phrase))


# Whitespace that clean_text turns into a space (controls such as \f and \x1c are
# deleted there, not spaced, so they are not in this class).
_SPACE_SPLIT_RE = re.compile("[ \t\n\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# The characters str.split() treats as spaces but clean_text deletes: with none
# of them in a text, the fast str.split() gives the same chunks.
_DELETED_SPACES_RE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CHUNK_CACHE: dict[str, tuple[str, ...]] = {}
_CHUNK_CACHE_LIMIT = 200_000
# Words are short; a long chunk is junk (a URL, a run without spaces) and not worth keeping.
_CACHED_CHUNK_MAX_CHARS = 40


def tokens(text: str) -> list[str]:
    """Words of ``matching_form(text)``, as the matcher sees them.

    matching_form works character by character except at whitespace, so the
    words of the whole text are the words of its whitespace-separated chunks;
    chunks repeat (Zipf), and caching their words makes scoring several times
    faster than folding every article in full (tests check the equality).
    """
    words: list[str] = []
    cache = _CHUNK_CACHE
    chunks = _SPACE_SPLIT_RE.split(text) if _DELETED_SPACES_RE.search(text) else text.split()
    for chunk in chunks:
        found = cache.get(chunk)
        if found is None:
            found = tuple(_TOKEN_RE.findall(matching_form(chunk)))
            if len(chunk) <= _CACHED_CHUNK_MAX_CHARS:
                if len(cache) >= _CHUNK_CACHE_LIMIT:
                    cache.clear()
                cache[chunk] = found
        words.extend(found)
    return words


_MATCHER = _compile()


def find_hits(words: list[str]) -> list[Hit]:
    """Positive and negative entries found in a word sequence (neutral phrases hide words)."""
    return _MATCHER.hits(words)
