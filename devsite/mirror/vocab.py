"""Deterministic Arabic defence and security news text for the mirror.

The mirror needs many articles whose text reads like the real site's (so extractors meet
realistic word lengths, punctuation and Arabic morphology) while the expected output stays
exact. Everything here is built from small hand-written phrase lists, driven by one
``random.Random``: the same seed gives the same words, titles and bodies.

Generated text is already *clean*: single spaces, no tatweel, no invisible marks, no
diacritics, and no read-also label or line starting with ``المصدر``. Noise is added at
render time, so the manifest can hold exactly the text this module returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MIN_PARAGRAPH_WORDS = 25
MAX_PARAGRAPH_WORDS = 70


@dataclass(frozen=True)
class Actor:
    """Someone who acts in a story; ``feminine`` picks the verb form (تبحث / يبحث)."""

    name: str
    feminine: bool = False


@dataclass(frozen=True)
class Person:
    """A named person with an ASCII slug, for bylines and author pages."""

    name: str
    slug: str


ACTORS: tuple[Actor, ...] = (
    Actor("وزارة الدفاع المصرية", True),
    Actor("القوات المسلحة الأردنية", True),
    Actor("وزارة الدفاع الروسية", True),
    Actor("البحرية السعودية", True),
    Actor("القوات الجوية الإماراتية", True),
    Actor("الأمم المتحدة", True),
    Actor("قوات حفظ السلام الأممية", True),
    Actor("قيادة القوات البحرية", True),
    Actor("وزارة الداخلية العراقية", True),
    Actor("الحكومة الليبية", True),
    Actor("الجيش المصري"),
    Actor("حلف الناتو"),
    Actor("مجلس الأمن الدولي"),
    Actor("البنتاغون"),
    Actor("الجيش الجزائري"),
    Actor("الاتحاد الأوروبي"),
    Actor("الجيش السوداني"),
    Actor("الاتحاد الأفريقي"),
    Actor("الحرس الوطني الكويتي"),
    Actor("وزير الدفاع التركي"),
    Actor("رئيس أركان الجيش الليبي"),
    Actor("وزير الخارجية الفرنسي"),
    Actor("قائد القيادة المركزية الأمريكية"),
    Actor("الجيش اللبناني"),
    Actor("مجلس التعاون الخليجي"),
)

OFFICIALS: tuple[str, ...] = (
    "اللواء أحمد عبد الرحيم",
    "العميد خالد السويدي",
    "الفريق أول منصور العتيبي",
    "السفير منير الحسيني",
    "الجنرال بيير لوران",
    "الأدميرال جون ماركوس",
    "العقيد سامي الدباغ",
    "اللواء طارق النجار",
    "المتحدث العسكري العقيد ياسر حمدي",
    "نائب وزير الدفاع حسام الشريف",
)

AUTHORS: tuple[Person, ...] = (
    Person("أحمد عبد السلام", "ahmed-abdelsalam"),
    Person("منى فؤاد", "mona-fouad"),
    Person("محمود الشناوي", "mahmoud-elshenawy"),
    Person("سارة الجمال", "sara-elgamal"),
    Person("خالد رضوان", "khaled-radwan"),
    Person("هبة عبد العزيز", "heba-abdelaziz"),
    Person("عمرو السيد", "amr-elsayed"),
)

PARTNERS: tuple[str, ...] = (
    "الجانب الأمريكي",
    "الجانب الفرنسي",
    "وفد من حلف الناتو",
    "مسؤولين يابانيين",
    "قيادات عسكرية أردنية",
    "وفد إيطالي رفيع المستوى",
    "وفد عسكري صيني",
    "مبعوث الأمم المتحدة",
    "الجانب اليوناني",
    "قادة جيوش دول الساحل",
)

TOPICS: tuple[str, ...] = (
    "تعزيز التعاون العسكري",
    "تطوير الصناعات الدفاعية المشتركة",
    "تبادل المعلومات الاستخباراتية",
    "تأمين الملاحة في البحر الأحمر",
    "مكافحة تهريب الأسلحة عبر الحدود",
    "تحديث منظومات الدفاع الجوي",
    "التصدي لهجمات الطائرات المسيرة",
    "رفع الجاهزية القتالية للقوات",
    "برامج التدريب والتأهيل العسكري",
    "خفض التصعيد على الحدود",
    "حماية المنشآت الحيوية",
    "تنسيق عمليات مكافحة الإرهاب",
)

PLACES: tuple[str, ...] = (
    "في البحر الأحمر",
    "على الحدود الغربية",
    "في منطقة الساحل",
    "في شمال سيناء",
    "في مضيق هرمز",
    "في شرق المتوسط",
    "في بحر البلطيق",
    "قرب الحدود السودانية",
    "في خليج عدن",
    "في قاعدة جوية بالصحراء الغربية",
    "في جنوب لبنان",
    "على الحدود العراقية السورية",
    "في مياه الخليج العربي",
    "قرب مدينة مصراتة",
)

EXERCISES: tuple[str, ...] = (
    "درع الصحراء",
    "حارس الشمال",
    "موج الشرق",
    "رعد الجنوب",
    "سيف العرب",
    "صقور الجنوب",
    "النجم الساطع",
    "حماة السلام",
)

WEAPONS: tuple[str, ...] = (
    "مقاتلات متعددة المهام",
    "منظومات دفاع جوي قصيرة المدى",
    "طائرات مسيرة للاستطلاع",
    "فرقاطات حديثة",
    "مروحيات هجومية",
    "رادارات للإنذار المبكر",
    "مدرعات لنقل الجنود",
    "زوارق دورية سريعة",
)

INCIDENTS: tuple[str, ...] = (
    "إسقاط طائرة مسيرة",
    "إحباط محاولة تسلل",
    "ضبط شحنة أسلحة مهربة",
    "اعتراض صاروخ باليستي",
    "تفكيك عبوة ناسفة",
    "صد هجوم مسلح",
)

CLAIMS: tuple[str, ...] = (
    "القوات المشاركة نفذت رمايات بالذخيرة الحية بدقة عالية",
    "التعاون الدفاعي بين البلدين يشهد تطورا ملحوظا خلال السنوات الأخيرة",
    "الوضع الأمني على الحدود تحت السيطرة الكاملة",
    "المرحلة المقبلة ستشهد توسيع نطاق التدريبات المشتركة",
    "الدوريات البحرية رصدت تحركات مريبة قبل أن تتعامل معها",
    "الصفقة تشمل برامج للتدريب والصيانة ونقل التكنولوجيا",
    "الاجتماعات تناولت سبل مواجهة التهديدات العابرة للحدود",
    "الوحدات المختصة تمكنت من تحديد مصدر الإطلاق خلال دقائق",
    "الخطة تتضمن إنشاء مركز مشترك لتنسيق العمليات",
    "الأطراف المعنية اتفقت على مواصلة المشاورات خلال الأسابيع المقبلة",
    "القوات الجوية نفذت طلعات استطلاع على مدار الساعة",
    "الحوار الاستراتيجي يمثل أولوية في ظل التوترات الإقليمية المتصاعدة",
)

# Claim frames of a story's sentences. Each story draws its own few frames and
# its own actors, place and exercise (crawler-side near-duplicate detection
# must not see two different stories as copies, and real stories about
# different events share stock phrases, not two thirds of their wording).
# Slots: {actor} {partner} {place} {exercise} {weapon} {time} {n}.
STORY_CLAIMS: tuple[str, ...] = (
    "القوات المشاركة في مناورات {exercise} نفذت رمايات بالذخيرة الحية بدقة عالية",
    "وحدات المدفعية أنهت {time} الرماية الليلية ضمن مناورات {exercise}",
    "التعاون الدفاعي مع {partner} يشهد تطورا ملحوظا خلال السنوات الأخيرة",
    "العلاقات العسكرية مع {partner} بلغت مستوى غير مسبوق",
    "الوضع الأمني {place} تحت السيطرة الكاملة",
    "الهدوء عاد {place} بعد ساعات من التوتر",
    "المرحلة المقبلة ستشهد توسيع نطاق التدريبات مع {partner}",
    "برنامج التدريبات المشتركة سيمتد حتى نهاية العام {place}",
    "الدوريات البحرية رصدت {place} تحركات مريبة قبل أن تتعامل معها",
    "زوارق الدورية اعترضت {n} قاربا مشبوها {place}",
    "صفقة {weapon} تشمل برامج للتدريب والصيانة ونقل التكنولوجيا",
    "الدفعة الأولى من {weapon} ستصل قبل نهاية العام المقبل",
    "شركات محلية ستشارك في تصنيع أجزاء من {weapon}",
    "الاجتماعات مع {partner} تناولت سبل مواجهة التهديدات العابرة للحدود",
    "الجانبين ناقشا {time} ملفات أمن الحدود وتبادل المعلومات",
    "الوحدات المختصة {place} حددت مصدر الإطلاق خلال {n} دقيقة",
    "فرق الهندسة العسكرية فككت {n} عبوة ناسفة {place}",
    "الخطة تنص على إنشاء مركز مشترك مع {partner} لتنسيق العمليات",
    "غرفة عمليات موحدة ستدير التنسيق مع {partner} على مدار الساعة",
    "الأطراف المعنية اتفقت {time} على مواصلة المشاورات",
    "جولة جديدة من المحادثات ستعقد الشهر المقبل بمشاركة {partner}",
    "القوات الجوية نفذت {n} طلعة استطلاع {place}",
    "طائرات الإنذار المبكر حلقت فوق المنطقة طوال الليل",
    "الحوار الاستراتيجي مع {partner} يمثل أولوية في ظل التوترات الإقليمية",
    "{actor} ترى في التنسيق مع {partner} ضمانة للاستقرار",
    "القيادة رفعت درجة الاستعداد {place} إلى المستوى الأعلى",
    "الجرحى نقلوا إلى مستشفى عسكري قريب ووصفت حالتهم بالمستقرة",
    "لجنة فنية ستقيم نتائج مناورات {exercise} خلال أسبوعين",
    "قيمة العقد تتجاوز ما أنفق على التسليح في العامين الماضيين",
    "المنظومة الجديدة قادرة على رصد الأهداف على مسافة {n} كيلومترا",
)
STORY_FRAMES = 6  # claim frames per story

CONTEXTS: tuple[str, ...] = (
    "خطة شاملة لرفع الكفاءة القتالية",
    "تعزيز الأمن الإقليمي ومواجهة التهديدات المشتركة",
    "الاستعداد لمواجهة أي طارئ على الحدود",
    "تنفيذ توصيات القمة الأمنية الأخيرة",
    "دعم جهود الاستقرار في المنطقة",
    "تطوير منظومة القيادة والسيطرة",
)

TIMES: tuple[str, ...] = (
    "يوم الأحد",
    "صباح اليوم",
    "مساء أمس الخميس",
    "خلال الأسبوع الجاري",
    "في وقت سابق اليوم",
    "مطلع الشهر الجاري",
)

UNITS: tuple[str, ...] = (
    "جنديا",
    "ضابطا",
    "قطعة بحرية",
    "طائرة مقاتلة",
    "مركبة مدرعة",
    "خبيرا عسكريا",
)

TAGS: tuple[str, ...] = (
    "الناتو",
    "وزارة الدفاع",
    "الطائرات المسيرة",
    "البحر الأحمر",
    "مناورات عسكرية",
    "صفقات السلاح",
    "الأمن الإقليمي",
    "مجلس الأمن",
    "أمن الحدود",
    "مكافحة الإرهاب",
)

COMMENTERS: tuple[str, ...] = ("محمد علي", "أبو يوسف", "مصري غيور", "سلمى", "قارئ من الإسكندرية")

COMMENTS: tuple[str, ...] = (
    "تغطية ممتازة ونتمنى المزيد من التفاصيل عن المناورات.",
    "حفظ الله جيشنا وكل من يدافع عن أرضه.",
    "أين التفاصيل عن قيمة الصفقة؟ الخبر ناقص.",
    "الأهم هو التدريب الجيد وليس فقط شراء السلاح.",
)

# One reader comment uses read-also wording: a trap for extractors that search the whole page.
READ_ALSO_COMMENT = "اقرأ أيضا ما نشرتموه الأسبوع الماضي عن نفس الموضوع، فيه تفاصيل أكثر من هذا الخبر."

TWEET_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("مرصد الدفاع العربي", "@ArabDefWatch"),
    ("Gulf Security Review", "@GulfSecReview"),
    ("Naval Notes", "@NavalNotesME"),
    ("المتحدث باسم التحالف", "@CoalitionSpox_AR"),
    ("Sahel Monitor", "@SahelMonitor"),
)

TWEETS_AR: tuple[str, ...] = (
    "اختتام تدريبات مشتركة بمشاركة وحدات من القوات البحرية والجوية",
    "لقطات من وصول دفعة جديدة من المعدات العسكرية إلى القاعدة",
    "بيان: لا صحة للأنباء المتداولة عن سحب القوات من المنطقة",
)

TWEETS_EN: tuple[str, ...] = (
    "Joint naval drills concluded today with live-fire exercises",
    "First batch of new air defence systems delivered on schedule",
    "Border patrols intercepted a drone overnight, no casualties reported",
)


class TextGen:
    """Arabic news text from a seeded ``random.Random``; same seed, same text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._titles: set[str] = set()
        self._story: dict[str, object] = {}
        self.new_story()

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def number(self, low: int = 11, high: int = 95) -> str:
        """Counts from 11 up, so the noun after them stays in its singular accusative form."""
        return str(self.rng.randint(low, high))

    def _verb(self, actor: Actor, masculine: str) -> str:
        """Present-tense verb agreeing with the actor: يبحث -> تبحث."""
        return "ت" + masculine[1:] if actor.feminine else masculine

    def _title_candidate(self) -> str:
        actor = self.rng.choice(ACTORS)
        kind = self.rng.randrange(7)
        if kind == 0:
            return f"{actor.name} {self._verb(actor, 'يبحث')} مع {self.pick(PARTNERS)} {self.pick(TOPICS)}"
        if kind == 1:
            verb = self._verb(actor, "يختتم")
            return f"{actor.name} {verb} مناورات {self.pick(EXERCISES)} {self.pick(PLACES)}"
        if kind == 2:
            return f"{actor.name} {self._verb(actor, 'يعلن')} {self.pick(INCIDENTS)} {self.pick(PLACES)}"
        if kind == 3:
            value = self.rng.randint(3, 9)
            verb = self._verb(actor, "يوقع")
            return f"{actor.name} {verb} صفقة {self.pick(WEAPONS)} بقيمة {value} مليارات دولار"
        if kind == 4:
            return f"{actor.name} {self._verb(actor, 'ينفذ')} دوريات مكثفة {self.pick(PLACES)}"
        if kind == 5:
            other = self.rng.choice(ACTORS)
            return f"محادثات بين {actor.name} و{other.name} حول {self.pick(TOPICS)}"
        return f"{self.pick(OFFICIALS)}: {self.pick(CLAIMS)}"

    def title(self) -> str:
        """A headline never returned before by this generator."""
        for _ in range(50):
            candidate = self._title_candidate()
            if candidate not in self._titles:
                break
        else:
            candidate = f"{self._title_candidate()} ({len(self._titles) + 1})"
        self._titles.add(candidate)
        return candidate

    def reserve_title(self, title: str) -> None:
        """Mark a fixed title (the seed's) as taken so no generated one repeats it."""
        self._titles.add(title)

    def new_story(self) -> None:
        """Draw the actors, place, exercise, weapon and claim frames of the next story."""
        self._story = {
            "actor": self.rng.choice(ACTORS),
            "partner": self.pick(PARTNERS),
            "place": self.pick(PLACES),
            "exercise": self.pick(EXERCISES),
            "weapon": self.pick(WEAPONS),
            "officials": tuple(self.rng.sample(OFFICIALS, 2)),
            "frames": tuple(self.rng.sample(STORY_CLAIMS, STORY_FRAMES)),
        }

    def _claim(self) -> str:
        story = self._story
        actor = story["actor"]
        assert isinstance(actor, Actor)
        frame = str(self.rng.choice(story["frames"]))
        return frame.format(
            actor=actor.name,
            partner=story["partner"],
            place=story["place"],
            exercise=story["exercise"],
            weapon=story["weapon"],
            time=self.pick(TIMES),
            n=self.number(),
        )

    def sentence(self) -> str:
        story = self._story
        actor = story["actor"]
        assert isinstance(actor, Actor)
        official = str(self.rng.choice(story["officials"]))
        past = "ت" if actor.feminine else ""
        kind = self.rng.randrange(8)
        if kind == 0:
            return (
                f"وبحث{past} {actor.name} مع {story['partner']} {self.pick(TOPICS)} {self.pick(TIMES)}، "
                f"بمشاركة {self.number()} {self.pick(UNITS)}"
            )
        if kind == 1:
            return f"وأكد {official} أن {self._claim()}"
        if kind == 2:
            return f"وأشار البيان إلى أن {self._claim()}، وذلك في إطار {self.pick(CONTEXTS)}"
        if kind == 3:
            return f"وأوضح{past} {actor.name} أن {self._claim()}"
        if kind == 4:
            return (
                f"وشهدت مناورات {story['exercise']} مشاركة {self.number()} {self.pick(UNITS)} "
                f"{story['place']} على مدى {self.rng.randint(3, 10)} أيام"
            )
        if kind == 5:
            return f"ولفت {official} إلى أن {self._claim()}"
        if kind == 6:
            return f"وبحسب بيان صادر عن {actor.name}، فإن {self._claim()}"
        return (
            f"وتتضمن الصفقة توريد {self.number(12, 60)} من {story['weapon']} "
            f"بقيمة {self.rng.randint(3, 9)} مليارات دولار"
        )

    def paragraph(self, opening: str = "") -> str:
        """25-70 words in whole sentences, ending with a period."""
        sentences = [opening] if opening else []
        count = len(opening.split())
        target = self.rng.randint(MIN_PARAGRAPH_WORDS, MAX_PARAGRAPH_WORDS)
        while count < target:
            sentence = self.sentence()
            words = len(sentence.split())
            if count + words > MAX_PARAGRAPH_WORDS:
                if count >= MIN_PARAGRAPH_WORDS:
                    break
                continue
            sentences.append(sentence)
            count += words
        return ". ".join(sentences) + "."

    def mention_paragraph(self) -> str:
        """A body paragraph that cites an unnamed source: it is NOT a source line."""
        opening = self.rng.choice(
            (
                f"وقال المصدر إن القوات {self.pick(PLACES)} رفعت درجة الاستعداد القصوى",
                "وأوضح المصدر الأمني أن التحقيقات ما زالت جارية لكشف ملابسات الحادث",
                f"وذكر المصدر نفسه أن {self.pick(CLAIMS)}",
            )
        )
        return self.paragraph(opening)

    def body(self, low: int = 3, high: int = 8) -> list[str]:
        """The paragraphs of a new story (its own actors, place and claim frames)."""
        self.new_story()
        return [self.paragraph() for _ in range(self.rng.randint(low, high))]


def excerpt(paragraph: str, words: int = 22) -> str:
    """The teaser listings and feeds show: the first words of the first paragraph."""
    parts = paragraph.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")
