"""A labelled set of article pairs for near-duplicate detection, and the story generator behind it.

Positives are the same story as syndicated by another outlet: a new headline,
a paragraph cut or added, another dateline, hamza and punctuation stripped,
synonyms swapped, paragraphs merged, the end truncated. Negatives are
*different* stories: most about the very same event (same officials, places,
date and topic, sometimes quoting the same statement), the case where a
careless deduplicator merges two outlets' distinct reports; the rest unrelated.

Text comes from a vocabulary large enough that unrelated stories share few
word trigrams, as real ones do (the mirror's smaller vocabulary would make
every story look alike). ``bench/store.py`` uses the same generator at scale.
Real text also enters the set: the bodies of ../shared's pages become
positives through the same edits (when ../shared is present), and three
hand-written pairs of reports on one meeting are hard negatives.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

GIVEN = (
    "محمد أحمد خالد عمر يوسف سامي طارق ماجد فهد ناصر حسن علي إبراهيم مصطفى كريم وليد هشام عادل رامي زياد "
    "باسم جمال منصور سعيد فيصل مروان نبيل حازم شريف أيمن عماد رياض صالح بشير أنور ثامر غسان لؤي معاذ سلطان"
).split()
FAMILY = (
    "الحسيني العتيبي النجار الشريف الدباغ السويدي الخطيب الحمدان القاسم الزعبي الشمري البدوي الرفاعي "
    "التميمي الجبوري الكعبي المالكي الهاشمي العنزي الشهري الزهراني القحطاني الدوسري المطيري السعدي الحلبي "
    "البغدادي الراشد الفلاحي العمري الطائي الكبيسي المرزوقي البلوشي الحربي السلمي الجعفري الساعدي"
).split()
FOREIGN = (
    "بيير لوران",
    "جون ماركوس",
    "كارل هانسن",
    "ماريا كوفالسكا",
    "أندريه بيتروف",
    "توماس برانت",
    "إيلينا روسي",
    "ديفيد كولينز",
    "يان نوفاك",
    "سفين لارسن",
    "أولغا سيميونوفا",
    "مارتن كلاين",
)
ROLES = (
    "وزير الدفاع",
    "رئيس أركان الجيش",
    "قائد القوات البحرية",
    "قائد القوات الجوية",
    "المتحدث العسكري",
    "نائب وزير الخارجية",
    "مستشار الأمن القومي",
    "قائد المنطقة الشمالية",
    "رئيس هيئة العمليات",
    "مساعد وزير الدفاع للتسليح",
    "قائد قوات حرس الحدود",
    "رئيس جهاز الاستخبارات العسكرية",
)
COUNTRIES = (
    ("مصر", "المصري"),
    ("الأردن", "الأردني"),
    ("السعودية", "السعودي"),
    ("الإمارات", "الإماراتي"),
    ("قطر", "القطري"),
    ("الكويت", "الكويتي"),
    ("البحرين", "البحريني"),
    ("عمان", "العماني"),
    ("العراق", "العراقي"),
    ("سوريا", "السوري"),
    ("لبنان", "اللبناني"),
    ("ليبيا", "الليبي"),
    ("تونس", "التونسي"),
    ("الجزائر", "الجزائري"),
    ("المغرب", "المغربي"),
    ("السودان", "السوداني"),
    ("اليمن", "اليمني"),
    ("تركيا", "التركي"),
    ("اليونان", "اليوناني"),
    ("إيطاليا", "الإيطالي"),
    ("فرنسا", "الفرنسي"),
    ("ألمانيا", "الألماني"),
    ("بريطانيا", "البريطاني"),
    ("روسيا", "الروسي"),
    ("الصين", "الصيني"),
    ("الهند", "الهندي"),
    ("باكستان", "الباكستاني"),
    ("اليابان", "الياباني"),
    ("كوريا الجنوبية", "الكوري الجنوبي"),
    ("بولندا", "البولندي"),
    ("ليتوانيا", "الليتواني"),
    ("رومانيا", "الروماني"),
)
CITIES = (
    "القاهرة عمان الرياض أبوظبي الدوحة الكويت المنامة مسقط بغداد بيروت طرابلس تونس الجزائر الرباط الخرطوم "
    "عدن أنقرة أثينا روما باريس برلين لندن موسكو بكين وارسو فيلنيوس بروكسل جنيف فيينا الإسكندرية جدة "
    "البصرة الموصل حلب صفاقس وهران بنغازي مصراتة العقبة الدمام"
).split()
ORGS = (
    "حلف شمال الأطلسي",
    "مجلس الأمن الدولي",
    "الاتحاد الأوروبي",
    "الاتحاد الأفريقي",
    "جامعة الدول العربية",
    "مجلس التعاون الخليجي",
    "الوكالة الدولية للطاقة الذرية",
    "قوات حفظ السلام الأممية",
    "التحالف الدولي",
    "المنظمة البحرية الدولية",
)
EQUIPMENT = (
    "منظومات دفاع جوي متوسطة المدى",
    "مقاتلات متعددة المهام",
    "طائرات مسيرة للاستطلاع",
    "فرقاطات شبحية",
    "غواصات تعمل بالديزل",
    "مروحيات نقل عسكري",
    "رادارات بعيدة المدى",
    "مدرعات برمائية",
    "زوارق اعتراض سريعة",
    "صواريخ مضادة للسفن",
    "أنظمة حرب إلكترونية",
    "طائرات تزود بالوقود جوا",
    "قذائف مدفعية موجهة",
    "أقمار صناعية للاتصالات العسكرية",
)
TOPICS = (
    "تأمين الملاحة في البحر الأحمر",
    "مكافحة تهريب السلاح عبر الحدود",
    "تطوير الصناعات الدفاعية المشتركة",
    "تبادل المعلومات الاستخباراتية",
    "مواجهة هجمات الطائرات المسيرة",
    "حماية البنية التحتية البحرية",
    "تدريب الكوادر العسكرية",
    "الأمن السيبراني للمنشآت الحيوية",
    "نزع الألغام في المناطق الحدودية",
    "إعادة هيكلة قوات الاحتياط",
    "الرقابة على صادرات الأسلحة",
    "مكافحة القرصنة في خليج عدن",
)
EXERCISES = (
    "درع الصحراء",
    "رعد الشمال",
    "موج الشرق",
    "سيف العرب",
    "صقور الجنوب",
    "حارس البلطيق",
    "النجم الساطع",
    "حماة السلام",
    "نسور الأطلسي",
    "عاصفة الرمال",
    "جسر الصداقة",
)
DAYS = ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
SAY = ("قال", "أكد", "أوضح", "أشار", "ذكر", "صرح", "أفاد", "شدد")
# Claims are built from a subject and a predicate (20 x 20): a fixed list of
# whole sentences would make every story share them, which real reports do not.
CLAIM_SUBJECTS = (
    "المرحلة المقبلة",
    "التهديدات الحالية",
    "التعاون العسكري بين البلدين",
    "القوات المسلحة",
    "الاتفاق الجديد",
    "الوضع الميداني",
    "المشاورات الجارية",
    "الحل السياسي",
    "الحوادث الأخيرة",
    "برامج التدريب",
    "أمن الممرات البحرية",
    "منظومة الدفاع الجوي",
    "خطة التحديث",
    "الشراكة الاستراتيجية",
    "قوات حرس الحدود",
    "الصناعات الدفاعية المحلية",
    "الوجود البحري في المنطقة",
    "التنسيق الاستخباراتي",
    "ميزانية الدفاع",
    "عمليات مكافحة الإرهاب",
)
CLAIM_PREDICATES = (
    "تتطلب تنسيقا أوثق بين الأجهزة المعنية",
    "لم تعد تقتصر على الحدود البرية",
    "يشهد تطورا ملحوظا منذ العام الماضي",
    "في أعلى درجات الجاهزية",
    "يفتح الباب أمام توطين جزء من الصناعة",
    "تحت السيطرة رغم محاولات التصعيد",
    "ستستأنف على مستوى الخبراء خلال أسابيع",
    "يبقى الخيار الأول لإنهاء الأزمة",
    "كشفت ثغرات يجري العمل على سدها",
    "أهم من شراء المعدات الجديدة",
    "سيواجه أي اعتداء عليه برد حازم",
    "دخل مرحلة التشغيل التجريبي",
    "تأخرت بسبب نقص التمويل",
    "تمثل أولوية في ظل التوترات المتصاعدة",
    "حققت نتائج فاقت التوقعات",
    "تحتاج إلى مراجعة شاملة",
    "لا يستهدف أي طرف ثالث",
    "سيتوسع ليشمل دولا أخرى في المنطقة",
    "يواجه تحديات لوجستية كبيرة",
    "أسهم في خفض عدد الحوادث إلى النصف",
)
BACKGROUND_OPENERS = ("ويأتي ذلك", "وتأتي الخطوة", "ويجري ذلك", "ويحدث هذا", "ويتزامن ذلك")
BACKGROUND_FACTS = (
    "في ظل توتر متصاعد تشهده المنطقة منذ مطلع العام",
    "بعد عامين على توقيع مذكرة تفاهم للتعاون الدفاعي",
    "عقب سلسلة من الحوادث المماثلة في المياه الإقليمية",
    "في وقت تخصص فيه الحكومة نحو خمس ميزانيتها لقطاع الدفاع",
    "قبل أيام من اجتماع مرتقب لوزراء الخارجية",
    "وسط انتقادات برلمانية لبطء برامج التسليح",
    "مع اقتراب موعد الانتخابات التشريعية",
    "في أعقاب تقرير أممي عن تهريب السلاح",
    "بالتزامن مع زيارة وفد عسكري رفيع",
    "بينما تتواصل المفاوضات حول ترسيم الحدود البحرية",
)


def claim(rng: random.Random) -> str:
    return f"{rng.choice(CLAIM_SUBJECTS)} {rng.choice(CLAIM_PREDICATES)}"


def background(rng: random.Random) -> str:
    return f"{rng.choice(BACKGROUND_OPENERS)} {rng.choice(BACKGROUND_FACTS)}"


SYNONYMS = {
    "قال": "ذكر",
    "أكد": "شدد",
    "أوضح": "بين",
    "أشار": "لفت",
    "بحث": "ناقش",
    "اليوم": "الیوم",  # typed on a Persian keyboard (Farsi yeh)
    "خلال": "أثناء",
    "مشتركة": "مشترکة",  # Farsi keheh
    "الجانبين": "الطرفين",
    "تعزيز": "تقوية",
    "كبيرة": "واسعة",
    "أعلن": "كشف",
    "وذلك": "وهذا",
}


def person(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(FOREIGN)
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


@dataclass
class Event:
    """What two reports of the same event share: who, where, when, what."""

    official: str
    role: str
    country: tuple[str, str]
    partner: tuple[str, str]
    city: str
    org: str
    equipment: str
    topic: str
    exercise: str
    day: str
    date: str
    number: int
    quote: str


def event(rng: random.Random) -> Event:
    country, partner = rng.sample(COUNTRIES, 2)
    return Event(
        official=person(rng),
        role=rng.choice(ROLES),
        country=country,
        partner=partner,
        city=rng.choice(CITIES),
        org=rng.choice(ORGS),
        equipment=rng.choice(EQUIPMENT),
        topic=rng.choice(TOPICS),
        exercise=rng.choice(EXERCISES),
        day=rng.choice(DAYS),
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2025)}",
        number=rng.randint(12, 480),
        quote=claim(rng),
    )


Part = str | tuple[str, ...] | Callable[[random.Random, Event], str]


def _render(rng: random.Random, ev: Event, parts: tuple[Part, ...]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, tuple):
            out.append(rng.choice(part))
        else:
            out.append(part(rng, ev))
    return " ".join(" ".join(out).split()).replace(" ،", "،")


def _n(low: int, high: int) -> Callable[[random.Random, Event], str]:
    return lambda rng, ev: str(rng.randint(low, high))


def _pick(options: tuple[str, ...]) -> Callable[[random.Random, Event], str]:
    return lambda rng, ev: rng.choice(options)


_PERSON: Callable[[random.Random, Event], str] = lambda rng, ev: person(rng)  # noqa: E731
_CLAIM: Callable[[random.Random, Event], str] = lambda rng, ev: claim(rng)  # noqa: E731
_CITY = _pick(CITIES)
_ROLE = _pick(ROLES)
_TOPIC = _pick(TOPICS)
_EQUIP = _pick(EQUIPMENT)
_ORG = _pick(ORGS)
_DAY = _pick(DAYS)
_MONTH = _pick(MONTHS)
_ADJ: Callable[[random.Random, Event], str] = lambda rng, ev: rng.choice(COUNTRIES)[1]  # noqa: E731
_LAND: Callable[[random.Random, Event], str] = lambda rng, ev: rng.choice(COUNTRIES)[0]  # noqa: E731

# Sentence templates: every stretch of glue between slots has several wordings,
# so two stories built from the same template share few word trigrams, as two
# real reports written by different people do.
TEMPLATES: tuple[tuple[Part, ...], ...] = (
    (
        SAY,
        lambda rng, ev: f"{ev.role} {ev.country[1]} {ev.official}",
        ("إن", "أن"),
        _CLAIM,
        "،",
        ("مضيفا أن", "ومشيرا إلى أن", "ولافتا إلى أن", "في حين أن"),
        _CLAIM,
    ),
    (
        ("والتقى", "واجتمع", "كما استقبل"),
        lambda rng, ev: ev.official,
        ("في", "بمدينة", "بمقر الوزارة في"),
        _CITY,
        _PERSON,
        _ROLE,
        _ADJ,
        "،",
        ("وبحث الجانبان", "وتناول اللقاء", "وناقش الطرفان", "حيث جرى بحث"),
        _TOPIC,
        ("و", "إضافة إلى", "فضلا عن"),
        _TOPIC,
    ),
    (
        ("وتشمل الصفقة", "وتتضمن الاتفاقية", "وينص العقد على", "ويشمل الاتفاق"),
        ("توريد", "تسليم", "شراء"),
        _n(4, 96),
        ("من", "وحدة من"),
        _EQUIP,
        ("على مدى", "خلال", "على امتداد"),
        _n(2, 9),
        ("سنوات", "أعوام"),
        "،",
        ("إلى جانب", "مع", "إضافة إلى"),
        ("برامج للصيانة", "عقود تدريب", "نقل للتقنية"),
        ("في", "بمصانع في", "بقاعدة"),
        _CITY,
    ),
    (
        ("وشارك في", "وضمت", "واستقطبت"),
        ("مناورات", "تدريبات", "تمرينات"),
        lambda rng, ev: ev.exercise,
        ("نحو", "قرابة", "أكثر من"),
        _n(300, 9000),
        ("عسكري", "جندي", "فرد"),
        ("من", "ينتمون إلى"),
        lambda rng, ev: f"{ev.country[0]} و{ev.partner[0]}",
        ("و", "إلى جانب"),
        _LAND,
        "،",
        ("بمشاركة", "واستخدمت فيها", "وجرى خلالها اختبار"),
        _EQUIP,
    ),
    (
        lambda rng, ev: background(rng),
        "،",
        ("بحسب ما نقلته", "وفق ما ذكرته", "كما أفادت", "حسبما أوردت"),
        ("مصادر مطلعة", "وسائل إعلام محلية", "صحف", "مصادر دبلوماسية"),
        ("في", "من"),
        _CITY,
    ),
    (
        ("وأعلن", "وذكر", "وأكد"),
        _ORG,
        ("في بيان", "في بيان رسمي", "عبر متحدثه"),
        ("يوم", "صباح", "مساء"),
        _DAY,
        ("أن", "أن"),
        _CLAIM,
        "،",
        ("داعيا إلى", "ومطالبا بـ", "مع التشديد على أهمية"),
        _TOPIC,
    ),
    (
        ("ورصدت", "وسجلت", "وكشفت"),
        ("وحدات المراقبة", "الرادارات", "أجهزة الإنذار المبكر"),
        _n(2, 40),
        ("محاولة لاختراق الأجواء", "تحركا مريبا", "هدفا جويا"),
        ("قرب", "بالقرب من", "على مشارف"),
        _CITY,
        "،",
        ("تم التعامل معها", "جرى اعتراضها", "تمت متابعتها"),
        ("باستخدام", "بواسطة", "عبر"),
        _EQUIP,
    ),
    (
        ("ويأتي", "ويعقد", "وينعقد"),
        ("الاجتماع", "اللقاء", "الحوار"),
        ("بعد أيام من", "عقب", "إثر"),
        ("زيارة أجراها", "جولة قام بها", "محادثات أجراها"),
        _PERSON,
        ("إلى", "في"),
        _LAND,
        "،",
        ("ناقش خلالها", "تناول فيها", "بحث أثناءها"),
        _TOPIC,
    ),
    (
        ("وأفاد", "وأوضح", "وقال"),
        _ROLE,
        _ADJ,
        _PERSON,
        ("بأن", "أن"),
        _CLAIM,
        "،",
        ("لافتا إلى أن", "ومضيفا أن", "وذكر أن"),
        ("الميزانية المخصصة", "الكلفة الإجمالية", "قيمة العقود"),
        ("بلغت", "وصلت إلى", "تجاوزت"),
        _n(2, 90),
        ("مليار دولار", "مليون يورو", "مليار ريال"),
    ),
    (
        ("وتناولت", "وشملت", "وتطرقت"),
        ("المباحثات", "الجلسات", "النقاشات"),
        ("في", "بمدينة"),
        lambda rng, ev: ev.city,
        ("ملفات", "قضايا", "مسائل"),
        _TOPIC,
        ("و", "إلى جانب"),
        _TOPIC,
        "،",
        ("فضلا عن", "علاوة على", "كما تناولت"),
        _TOPIC,
    ),
    (
        ("وحذر", "ونبه", "وأكد"),
        _PERSON,
        ("من أن", "إلى أن"),
        _CLAIM,
        "،",
        ("في إشارة إلى", "تعليقا على", "ردا على سؤال عن"),
        ("التطورات الأخيرة في", "ما جرى في", "الأحداث في"),
        _CITY,
    ),
    (
        ("ومن المقرر أن", "ويتوقع أن", "ومن المنتظر أن"),
        ("تعقد", "تنطلق", "تجري"),
        ("الجولة المقبلة من المحادثات", "الاجتماعات الفنية", "جولة جديدة من الحوار"),
        ("في", "بمدينة"),
        _CITY,
        ("خلال", "مطلع", "منتصف"),
        _MONTH,
        ("المقبل", "القادم"),
        "،",
        ("بحضور", "بمشاركة"),
        ("ممثلين عن", "خبراء من", "وفد من"),
        _ORG,
    ),
    (
        ("وأظهرت", "وبينت", "وعرضت"),
        ("صور نشرتها", "لقطات بثتها", "مقاطع وزعتها"),
        ("وزارة الدفاع", "رئاسة الأركان"),
        _ADJ,
        ("وصول", "نقل", "نشر"),
        _EQUIP,
        ("إلى", "في"),
        ("قاعدة قرب", "مطار عسكري في", "ميناء"),
        _CITY,
    ),
    (
        ("وأشار", "ولفت", "وخلص"),
        ("تقرير صادر عن", "دراسة أعدها", "تحليل نشره"),
        ("مركز أبحاث في", "معهد للدراسات الاستراتيجية في", "باحثون في"),
        _CITY,
        "إلى أن",
        _CLAIM,
        "،",
        ("وأن", "كما أن", "في حين أن"),
        _CLAIM,
    ),
)


def sentence(rng: random.Random, ev: Event) -> str:
    """One news sentence about the event; slots and wordings drawn from the vocabulary."""
    return _render(rng, ev, rng.choice(TEMPLATES))


def lead(rng: random.Random, ev: Event) -> str:
    """The first sentence: who did what, where and when (what reports of one event share)."""
    return (
        f"{rng.choice(('بحث', 'ناقش', 'استعرض'))} {ev.role} {ev.country[1]} {ev.official} يوم {ev.day} "
        f"{ev.date} في {ev.city} مع وفد من {ev.partner[0]} {ev.topic}، على هامش اجتماع {ev.org}"
    )


def paragraph(rng: random.Random, ev: Event, opening: str = "") -> str:
    sentences = [opening] if opening else []
    while len(sentences) < rng.randint(2, 4):
        sentences.append(sentence(rng, ev))
    return ". ".join(sentences) + "."


@dataclass
class Story:
    title: str
    paragraphs: list[str]
    event: Event = field(repr=False)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def story(rng: random.Random, ev: Event | None = None, quote: bool = False) -> Story:
    """A report of an event (a fresh one unless given); ``quote`` adds the event's statement."""
    ev = ev or event(rng)
    paragraphs = [paragraph(rng, ev, lead(rng, ev))]
    for _ in range(rng.randint(3, 6)):
        paragraphs.append(paragraph(rng, ev))
    if quote:
        at = rng.randrange(1, len(paragraphs))
        paragraphs[at] = paragraphs[at] + f' وقال {ev.official}: "{ev.quote}".'
    title = f"{ev.role} {ev.country[1]} يبحث مع {ev.partner[0]} {ev.topic}"
    return Story(title, paragraphs, ev)


# -- edits an outlet makes when it republishes a story ---------------------------------

Edit = Callable[[random.Random, list[str]], list[str]]


def cut_paragraph(rng: random.Random, paragraphs: list[str]) -> list[str]:
    if len(paragraphs) <= 2:
        return paragraphs
    drop = rng.randrange(1, len(paragraphs))
    return paragraphs[:drop] + paragraphs[drop + 1 :]


def add_paragraph(rng: random.Random, paragraphs: list[str]) -> list[str]:
    extra = f"{background(rng)}. {background(rng)}، وفق ما أفادت به مصادر في {rng.choice(CITIES)}."
    at = rng.randrange(1, len(paragraphs) + 1)
    return [*paragraphs[:at], extra, *paragraphs[at:]]


def dateline(rng: random.Random, paragraphs: list[str]) -> list[str]:
    prefix = rng.choice(("القاهرة - أ ش أ: ", f"{rng.choice(CITIES)} - (وكالات) - ", "خاص: ", "متابعات - "))
    return [prefix + paragraphs[0], *paragraphs[1:]]


def strip_hamza_and_punctuation(rng: random.Random, paragraphs: list[str]) -> list[str]:
    table = str.maketrans(
        {"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "،": " ", ".": " ", ":": " ", '"': ""}
    )
    return [" ".join(p.translate(table).split()) for p in paragraphs]


def synonyms(rng: random.Random, paragraphs: list[str]) -> list[str]:
    def swap(word: str) -> str:
        return SYNONYMS.get(word, word) if rng.random() < 0.7 else word

    return [" ".join(swap(word) for word in p.split()) for p in paragraphs]


def merge_paragraphs(rng: random.Random, paragraphs: list[str]) -> list[str]:
    if len(paragraphs) < 3:
        return paragraphs
    at = rng.randrange(len(paragraphs) - 1)
    return [*paragraphs[:at], paragraphs[at] + " " + paragraphs[at + 1], *paragraphs[at + 2 :]]


def truncate(rng: random.Random, paragraphs: list[str]) -> list[str]:
    keep = max(2, round(len(paragraphs) * rng.uniform(0.5, 0.8)))
    return paragraphs[:keep]


def reword_sentences(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """An editor rewrites a few sentences' openings ("وقال" → "من جانبه، قال")."""
    result = []
    for p in paragraphs:
        sentences = p.split(". ")
        sentences = [
            ("من جانبه، " + s) if rng.random() < 0.2 and not s.startswith("من جانبه") else s
            for s in sentences
        ]
        result.append(". ".join(sentences))
    return result


EDITS: tuple[Edit, ...] = (
    cut_paragraph,
    add_paragraph,
    dateline,
    strip_hamza_and_punctuation,
    synonyms,
    merge_paragraphs,
    truncate,
    reword_sentences,
)


def syndicate(rng: random.Random, paragraphs: list[str], edits: int | None = None) -> list[str]:
    """The story as another outlet republishes it: 1 to 3 edits (dateline and stripping stack)."""
    chosen = rng.sample(EDITS, edits if edits is not None else rng.randint(1, 3))
    for edit in chosen:
        paragraphs = edit(rng, paragraphs)
    return paragraphs


# -- hand-written hard negatives: two outlets' own reports of one meeting -----------------

HANDWRITTEN_NEGATIVES: tuple[tuple[str, str], ...] = (
    (
        "اختتم وزراء دفاع دول حلف شمال الأطلسي اجتماعهم في بروكسل يوم الخميس بالاتفاق على رفع جاهزية قوات "
        "الرد السريع على الجناح الشرقي للحلف، وسط مخاوف من تصاعد التوتر قرب حدود ليتوانيا.\n\n"
        "وقال الأمين العام للحلف في مؤتمر صحفي عقب الاجتماع إن الدول الأعضاء تعهدت بزيادة مخزونات الذخيرة، "
        "مشيرا إلى أن عددا من الحلفاء لم يبلغ بعد نسبة الإنفاق الدفاعي المتفق عليها.\n\n"
        "وتناول الوزراء أيضا مقترحا لإنشاء مركز لحماية الكابلات البحرية في بحر البلطيق بعد سلسلة من الحوادث "
        "التي تضررت فيها خطوط اتصالات وأنابيب غاز خلال الأشهر الماضية.",
        "شهدت العاصمة البلجيكية بروكسل الخميس نقاشات مطولة بين وزراء دفاع الناتو حول كلفة دعم الجناح الشرقي، "
        "إذ طالبت ليتوانيا وبولندا بنشر دائم لمزيد من الألوية على أراضيهما.\n\n"
        "وبحسب دبلوماسيين حضروا الجلسات المغلقة، تحفظت دول في جنوب أوروبا على تحمل أعباء مالية إضافية، "
        "في حين دعت واشنطن شركاءها إلى الوفاء بتعهدات الإنفاق قبل القمة المقبلة.\n\n"
        "ولم يصدر عن الاجتماع قرار نهائي بشأن التمويل المشترك لمشروعات الدفاع الجوي، على أن يعود الملف "
        "إلى طاولة السفراء في غضون أسابيع، وفق ما أفادت به مصادر في مقر الحلف.",
    ),
    (
        "أعلنت وزارة الدفاع المصرية اليوم الأحد انطلاق مناورات مشتركة مع القوات اليونانية في البحر المتوسط "
        "تستمر أسبوعا، بمشاركة فرقاطات وطائرات مقاتلة ووحدات من القوات الخاصة.\n\n"
        "وأوضح المتحدث العسكري أن التدريبات تتضمن تنفيذ عمليات بحث وإنقاذ ورمايات بالذخيرة الحية، إلى جانب "
        "التدريب على تأمين خطوط الملاحة ومواجهة التهديدات غير التقليدية.\n\n"
        "وأضاف أن المناورات تأتي في إطار خطة التدريبات السنوية المشتركة التي تهدف إلى تبادل الخبرات ورفع "
        "مستوى التنسيق بين القوات المسلحة في البلدين.",
        "بدأت في مياه المتوسط الأحد تدريبات بحرية مصرية يونانية يراها خبراء رسالة إلى الأطراف التي تنازع "
        "البلدين على حقوق التنقيب عن الغاز في شرق المتوسط.\n\n"
        "ويقول محللون عسكريون في أثينا إن توقيت التمرين، بعد أسابيع من توقيع اتفاق ترسيم الحدود البحرية، "
        "لا يبدو مصادفة، وإن حجم المشاركة الجوية يفوق ما شهدته النسخ السابقة.\n\n"
        "في المقابل، لم تعلق أنقرة رسميا على التدريبات، فيما نقلت صحف تركية عن مسؤولين قولهم إن بلادهم "
        "تتابع التحركات في المنطقة عن كثب ولن تسمح بالمساس بمصالحها.",
    ),
    (
        "أعلن الجيش الأردني صباح اليوم إحباط محاولة تسلل وتهريب كميات كبيرة من المواد المخدرة على الواجهة "
        "الشمالية للمملكة، بعد اشتباك مع مجموعة مسلحة قادمة من الأراضي السورية.\n\n"
        "وقال مصدر عسكري مسؤول في القيادة العامة للقوات المسلحة إن قوات حرس الحدود طبقت قواعد الاشتباك، "
        "ما أدى إلى مقتل عدد من المهربين وفرار آخرين إلى العمق السوري.\n\n"
        "وأكد المصدر أن القوات المسلحة ستتعامل بكل قوة وحزم مع أي تهديد على الحدود، وأن عمليات التفتيش "
        "ما زالت مستمرة في المنطقة.",
        "للمرة الثالثة خلال شهر، تشهد الحدود الأردنية السورية اشتباكا مع مهربين مسلحين، في تصعيد يقول "
        "مسؤولون في عمان إنه يرتبط بشبكات منظمة تستخدم الطائرات المسيرة لنقل المخدرات.\n\n"
        "وتطالب الحكومة الأردنية منذ أشهر بتنسيق أمني أوسع مع الجانب السوري، غير أن الاجتماعات المشتركة "
        "لم تسفر حتى الآن عن آلية واضحة لضبط المعابر غير الشرعية.\n\n"
        "ويرى خبراء أمنيون أن تجارة الكبتاغون باتت مصدر تمويل رئيسيا لجماعات مسلحة في جنوب سوريا، ما يجعل "
        "الحدود الأردنية خط مواجهة مفتوحا على احتمالات التصعيد.",
    ),
)


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    kind: str  # what made the pair: "syndicated", "same_event", "same_event_quote", "unrelated", ...


def generated_pairs(seed: int = 7, positives: int = 300, negatives: int = 300) -> Iterator[Pair]:
    """Synthetic labelled pairs; two thirds of the negatives report the same event."""
    rng = random.Random(seed)
    for _ in range(positives):
        original = story(rng, quote=rng.random() < 0.5)
        yield Pair(original.body, "\n\n".join(syndicate(rng, original.paragraphs)), True, "syndicated")
    for index in range(negatives):
        if index % 4 == 3:
            yield Pair(story(rng).body, story(rng).body, False, "unrelated")
            continue
        ev = event(rng)
        quote = index % 4 != 0
        first, second = story(rng, ev, quote=quote), story(rng, ev, quote=quote)
        if index % 4 == 2:
            # both outlets pasted the same agency background paragraph
            shared = paragraph(rng, ev)
            first.paragraphs.append(shared)
            second.paragraphs.insert(1, shared)
            yield Pair(first.body, second.body, False, "same_event_shared_paragraph")
            continue
        yield Pair(first.body, second.body, False, "same_event_quote" if quote else "same_event")


def real_text_pairs(bodies: list[str], seed: int = 11, per_body: int = 6) -> Iterator[Pair]:
    """Positives from real article bodies, through the same edits; negatives across them."""
    rng = random.Random(seed)
    for body in bodies:
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        for _ in range(per_body):
            yield Pair(body, "\n\n".join(syndicate(rng, paragraphs)), True, "real_syndicated")
    for first, second in pairwise(bodies):
        yield Pair(first, second, False, "real_unrelated")
    for first, second in HANDWRITTEN_NEGATIVES:
        yield Pair(first, second, False, "handwritten_same_event")


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def evaluate(pairs: list[Pair], decide: Callable[[str, str], bool]) -> Scores:
    counts = {(True, True): 0, (False, True): 0, (True, False): 0, (False, False): 0}
    for pair in pairs:
        counts[(decide(pair.a, pair.b), pair.duplicate)] += 1
    return Scores(counts[(True, True)], counts[(True, False)], counts[(False, True)], counts[(False, False)])
