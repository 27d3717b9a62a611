"""The outlets a body credits: news agencies, broadcasters, papers and sites, each once.

An article says "وقالت وكالة الأنباء المركزية الكورية الشمالية", "أفادت (أ ف ب)",
"بحسب موقع أكسيوس" or "لـ"CNN""; the lens wants one name per outlet whatever
the spelling. Each :class:`Outlet` lists its Arabic and Latin forms,
abbreviations and the descriptive phrases Arabic copy uses for it.
:func:`resolve` maps a written name to its outlet and :data:`OUTLET_RE` finds
any form in running text.

Some forms are also ordinary words or places (الجزيرة "the island", العربية
"Arabic", الحياة "life", قنا the Egyptian city, روسيا اليوم "Russia today"):
they are declared ``guarded`` (they count only after an outlet noun, inside
quotes or brackets, or straight after a citing cue) or ``bound`` (only after an
outlet noun or inside quotes), so that "شبه الجزيرة الكورية" is not Al Jazeera.

Canonical names (``name_ar``) of the outlets the agency-credit code knew before
this module existed are kept as they were ("تاس", "رويترز", "د ب أ"): stored
attributions use them. Adding an outlet is adding one ``Outlet(...)`` line to
:data:`OUTLETS`; ``tests/test_cited.py`` checks that no form names two outlets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from crawler.text.arabic import fuzzy_pattern, matching_form

OutletKind = Literal["agency", "broadcaster", "newspaper", "site"]


@dataclass(frozen=True, slots=True)
class Outlet:
    """One news outlet and every way Arabic copy writes its name."""

    key: str  # stable identifier (Latin, lower-case)
    name_ar: str  # canonical name: what attributions store
    name_en: str
    kind: OutletKind
    country: str  # ISO 3166-1 alpha-2 of the owner's seat
    aliases: tuple[str, ...] = ()
    guarded: tuple[str, ...] = ()  # forms that are also common words: need an outlet noun, quotes or a cue
    bound: tuple[str, ...] = ()  # forms that are very common words: need an outlet noun or quotes

    def forms(self) -> tuple[str, ...]:
        """Every written form: canonical names, aliases and context-bound forms."""
        return (self.name_ar, self.name_en, *self.aliases, *self.guarded, *self.bound)


# fmt: off
OUTLETS: tuple[Outlet, ...] = (
    # -- international agencies ---------------------------------------------------
    Outlet("reuters", "رويترز", "Reuters", "agency", "GB", ("وكالة رويترز", "رويتر")),
    Outlet("afp", "فرانس برس", "Agence France-Presse", "agency", "FR",
           ("فرانس بريس", "فرانس-برس", "أ ف ب", "أ.ف.ب", "أ. ف. ب", "AFP", "وكالة الصحافة الفرنسية",
            "وكالة الأنباء الفرنسية", "France-Presse", "France Presse")),
    Outlet("ap", "أسوشيتد برس", "Associated Press", "agency", "US",
           ("أسوشييتد برس", "اسوشيتد برس", "أسوشيتيد برس", "أسوشيتدبرس", "أ ب", "أ.ب", "AP",
            "الأسوشيتد برس")),
    Outlet("dpa", "د ب أ", "Deutsche Presse-Agentur", "agency", "DE",
           ("د.ب.أ", "د. ب. أ", "DPA", "dpa", "وكالة الأنباء الألمانية")),
    Outlet("anadolu", "الأناضول", "Anadolu Agency", "agency", "TR",
           ("وكالة الأناضول", "Anadolu")),
    Outlet("tass", "تاس", "TASS", "agency", "RU",
           ("وكالة تاس", "وكالة الأنباء الروسية الرسمية تاس", "إيتار تاس", "إيتار-تاس", "ITAR-TASS")),
    Outlet("ria", "نوفوستي", "RIA Novosti", "agency", "RU",
           ("ريا نوفوستي", "ريا-نوفوستي", "RIA Novosti", "RIA")),
    Outlet("sputnik", "سبوتنيك", "Sputnik", "agency", "RU", ("سبوتنيك عربي",)),
    Outlet("interfax", "إنترفاكس", "Interfax", "agency", "RU", ("انترفاكس", "إنترفاكس أوكرانيا")),
    Outlet("xinhua", "شينخوا", "Xinhua", "agency", "CN", ("شينخوا الصينية", "وكالة أنباء الصين الجديدة")),
    Outlet("yonhap", "يونهاب", "Yonhap", "agency", "KR", ("يونهاب الكورية الجنوبية",)),
    Outlet("kcna", "وكالة الأنباء المركزية الكورية", "Korean Central News Agency", "agency", "KP",
           ("وكالة الأنباء المركزية الكورية الشمالية", "الوكالة المركزية الكورية", "KCNA",
            "وكالة الأنباء الكورية المركزية", "وكالة أنباء كوريا المركزية")),
    Outlet("kyodo", "كيودو", "Kyodo News", "agency", "JP", ("كيودو نيوز", "Kyodo")),
    Outlet("efe", "إفي", "EFE", "agency", "ES", ("إيفي", "وكالة الأنباء الإسبانية")),
    Outlet("ansa", "أنسا", "ANSA", "agency", "IT", ("آنسا", "وكالة الأنباء الإيطالية")),
    Outlet("upi", "يونايتد برس إنترناشونال", "United Press International", "agency", "US",
           ("يونايتد برس", "UPI")),
    Outlet("bloomberg", "بلومبرغ", "Bloomberg", "agency", "US",
           ("بلومبيرغ", "بلومبرج", "بلومبيرج", "بلومبيرغ نيوز")),
    Outlet("ukrinform", "يوكرينفورم", "Ukrinform", "agency", "UA", ("أوكرينفورم",)),
    Outlet("pti", "برس ترست أوف إنديا", "Press Trust of India", "agency", "IN", ("PTI",)),
    Outlet("app", "وكالة أنباء باكستان", "Associated Press of Pakistan", "agency", "PK", ("APP",)),
    # -- Arab national agencies ---------------------------------------------------
    Outlet("spa", "واس", "Saudi Press Agency", "agency", "SA",
           ("وكالة الأنباء السعودية", "وكالة الأنباء السعودية الرسمية", "SPA")),
    Outlet("wam", "وام", "Emirates News Agency", "agency", "AE",
           ("وكالة أنباء الإمارات", "وكالة الأنباء الإماراتية", "وكالة أنباء الإمارات الرسمية", "WAM")),
    Outlet("qna", "قنا", "Qatar News Agency", "agency", "QA",
           ("وكالة الأنباء القطرية", "وكالة الأنباء القطرية الرسمية", "QNA"), guarded=("قنا",)),
    Outlet("kuna", "كونا", "Kuwait News Agency", "agency", "KW",
           ("وكالة الأنباء الكويتية", "وكالة الأنباء الكويتية الرسمية", "KUNA")),
    Outlet("bna", "بنا", "Bahrain News Agency", "agency", "BH",
           ("وكالة أنباء البحرين", "وكالة الأنباء البحرينية", "BNA"), guarded=("بنا",)),
    Outlet("ona", "العمانية", "Oman News Agency", "agency", "OM",
           ("وكالة الأنباء العمانية", "ONA"), guarded=("العمانية",)),
    Outlet("sana", "سانا", "Syrian Arab News Agency", "agency", "SY",
           ("الوكالة العربية السورية للأنباء", "وكالة الأنباء السورية", "وكالة الأنباء السورية الرسمية",
            "SANA")),
    Outlet("petra", "بترا", "Jordan News Agency", "agency", "JO",
           ("وكالة الأنباء الأردنية", "وكالة الأنباء الأردنية الرسمية"), guarded=("بترا",)),
    Outlet("mena", "أ ش أ", "Middle East News Agency", "agency", "EG",
           ("أ.ش.أ", "وكالة أنباء الشرق الأوسط", "وكالة أنباء الشرق الأوسط الرسمية", "MENA")),
    Outlet("aps", "واج", "Algeria Press Service", "agency", "DZ",
           ("وكالة الأنباء الجزائرية", "وكالة الأنباء الجزائرية الرسمية", "APS")),
    Outlet("map", "ومع", "Maghreb Arabe Presse", "agency", "MA",
           ("وكالة المغرب العربي للأنباء", "وكالة الأنباء المغربية", "MAP"), guarded=("ومع",)),
    Outlet("tap", "وات", "Tunis Afrique Presse", "agency", "TN",
           ("وكالة تونس أفريقيا للأنباء", "وكالة تونس إفريقيا للأنباء", "وكالة الأنباء التونسية", "TAP")),
    Outlet("lana", "وال", "Libyan News Agency", "agency", "LY",
           ("وكالة الأنباء الليبية", "وكالة الأنباء الليبية الرسمية", "LANA")),
    Outlet("nna", "الوكالة الوطنية للإعلام", "National News Agency", "agency", "LB",
           ("وكالة الأنباء الوطنية اللبنانية", "الوكالة الوطنية للإعلام اللبنانية", "NNA")),
    Outlet("ina", "واع", "Iraqi News Agency", "agency", "IQ",
           ("وكالة الأنباء العراقية", "وكالة الأنباء العراقية الرسمية", "INA")),
    Outlet("saba", "سبأ", "Saba News Agency", "agency", "YE",
           ("وكالة الأنباء اليمنية", "وكالة الأنباء اليمنية سبأ", "SABA"), guarded=("سبأ",)),
    Outlet("suna", "سونا", "Sudan News Agency", "agency", "SD",
           ("وكالة السودان للأنباء", "وكالة الأنباء السودانية", "SUNA")),
    Outlet("wafa", "وفا", "WAFA", "agency", "PS",
           ("وكالة الأنباء والمعلومات الفلسطينية", "وكالة الأنباء الفلسطينية", "الوكالة الرسمية الفلسطينية",
            "WAFA")),
    Outlet("ami", "الوكالة الموريتانية للأنباء", "Mauritanian News Agency", "agency", "MR",
           ("وكالة الأنباء الموريتانية",)),
    # -- Iranian agencies ---------------------------------------------------------
    Outlet("irna", "إرنا", "IRNA", "agency", "IR",
           ("ارنا", "وكالة الجمهورية الإسلامية للأنباء", "وكالة الأنباء الإيرانية الرسمية", "IRNA")),
    Outlet("tasnim", "تسنيم", "Tasnim News Agency", "agency", "IR", ("تسنيم الدولية", "Tasnim")),
    Outlet("fars", "فارس", "Fars News Agency", "agency", "IR", ("وكالة أنباء فارس",), bound=("فارس",)),
    Outlet("mehr", "مهر", "Mehr News Agency", "agency", "IR", ("وكالة مهر للأنباء", "وكالة أنباء مهر"),
           bound=("مهر",)),
    Outlet("isna", "إسنا", "ISNA", "agency", "IR", ("ايسنا", "وكالة أنباء الطلبة الإيرانية", "ISNA")),
    # -- Israeli outlets ----------------------------------------------------------
    Outlet("haaretz", "هآرتس", "Haaretz", "newspaper", "IL", ("هارتس", "هاآرتس")),
    Outlet("yedioth", "يديعوت أحرونوت", "Yedioth Ahronoth", "newspaper", "IL",
           ("يديعوت أحرنوت", "يديعوت احرونوت", "يديعوت", "واي نت", "واينت", "Ynet")),
    Outlet("maariv", "معاريف", "Maariv", "newspaper", "IL", ()),
    Outlet("israel_hayom", "يسرائيل هيوم", "Israel Hayom", "newspaper", "IL",
           ("إسرائيل هيوم", "إسرائيل اليوم")),
    Outlet("toi", "تايمز أوف إسرائيل", "The Times of Israel", "newspaper", "IL",
           ("تايمز اوف اسرائيل", "Times of Israel")),
    Outlet("jpost", "جيروزاليم بوست", "The Jerusalem Post", "newspaper", "IL",
           ("جيروزالم بوست", "جيروزاليم بوسط", "Jerusalem Post")),
    Outlet("walla", "والا", "Walla", "site", "IL", ("واللا",)),
    Outlet("i24", "آي 24 نيوز", "i24NEWS", "broadcaster", "IL", ("i24NEWS", "i24", "آي 24")),
    Outlet("channel12", "القناة 12 الإسرائيلية", "Channel 12", "broadcaster", "IL",
           ("القناة 12", "القناة الـ12", "القناة الثانية عشرة", "القناة 12 العبرية",
            "القناة الثانية الإسرائيلية", "أخبار 12", "N12")),
    Outlet("channel13", "القناة 13 الإسرائيلية", "Channel 13", "broadcaster", "IL",
           ("القناة 13", "القناة الـ13", "القناة الثالثة عشرة", "القناة 13 العبرية")),
    Outlet("channel14", "القناة 14 الإسرائيلية", "Channel 14", "broadcaster", "IL",
           ("القناة 14", "القناة الـ14", "القناة الرابعة عشرة", "القناة 14 العبرية")),
    Outlet("kan", "هيئة البث الإسرائيلية", "Kan", "broadcaster", "IL",
           ("هيئة البث الإسرائيلية الرسمية", "هيئة البث العامة الإسرائيلية", "هيئة البث العبرية",
            "هيئة البث الرسمية الإسرائيلية", "قناة كان", "كان 11", "راديو كان", "هيئة البث"),
           bound=("كان", "Kan")),
    Outlet("army_radio", "إذاعة الجيش الإسرائيلي", "Army Radio", "broadcaster", "IL",
           ("إذاعة جيش الاحتلال", "غالي تساهال", "جالي تساهال")),
    # -- Western papers, broadcasters and sites -----------------------------------
    Outlet("nyt", "نيويورك تايمز", "The New York Times", "newspaper", "US",
           ("نيويورك تايمس", "New York Times", "NYT")),
    Outlet("wapo", "واشنطن بوست", "The Washington Post", "newspaper", "US",
           ("Washington Post",)),
    Outlet("wsj", "وول ستريت جورنال", "The Wall Street Journal", "newspaper", "US",
           ("وول ستريت جورنل", "وال ستريت جورنال", "Wall Street Journal", "WSJ")),
    Outlet("ft", "فايننشال تايمز", "Financial Times", "newspaper", "GB",
           ("فاينانشال تايمز", "فايننشيال تايمز", "فاينانشيال تايمز", "Financial Times")),
    Outlet("guardian", "الغارديان", "The Guardian", "newspaper", "GB",
           ("الجارديان", "غارديان", "جارديان", "Guardian")),
    Outlet("times", "التايمز", "The Times", "newspaper", "GB", ("ذا تايمز", "The Times"),
           guarded=("التايمز",)),
    Outlet("telegraph", "ديلي تلغراف", "The Daily Telegraph", "newspaper", "GB",
           ("ديلي تليغراف", "التلغراف", "التليغراف", "Telegraph")),
    Outlet("daily_mail", "ديلي ميل", "Daily Mail", "newspaper", "GB", ("دايلي ميل", "الديلي ميل")),
    Outlet("independent", "الإندبندنت", "The Independent", "newspaper", "GB",
           ("إندبندنت", "اندبندنت", "إندبندنت عربية", "Independent")),
    Outlet("economist", "الإيكونوميست", "The Economist", "newspaper", "GB", ("إيكونوميست", "Economist")),
    Outlet("politico", "بوليتيكو", "Politico", "site", "US", ()),
    Outlet("axios", "أكسيوس", "Axios", "site", "US", ("اكسيوس", "أكسيوس الأمريكي")),
    Outlet("cnn", "سي إن إن", "CNN", "broadcaster", "US", ("سي ان ان", "CNN")),
    Outlet("bbc", "بي بي سي", "BBC", "broadcaster", "GB", ("بي.بي.سي", "هيئة الإذاعة البريطانية", "BBC")),
    Outlet("fox", "فوكس نيوز", "Fox News", "broadcaster", "US", ("فوكس نيوز الأمريكية",)),
    Outlet("cbs", "سي بي إس", "CBS", "broadcaster", "US", ("سي بي اس", "CBS")),
    Outlet("nbc", "إن بي سي", "NBC", "broadcaster", "US", ("ان بي سي", "NBC")),
    Outlet("abc", "إيه بي سي", "ABC", "broadcaster", "US", ("ايه بي سي", "إي بي سي", "ABC")),
    Outlet("cnbc", "سي إن بي سي", "CNBC", "broadcaster", "US", ("CNBC",)),
    Outlet("spiegel", "دير شبيغل", "Der Spiegel", "newspaper", "DE", ("شبيغل", "دير شبيجل", "Spiegel")),
    Outlet("bild", "بيلد", "Bild", "newspaper", "DE", ("بيلد الألمانية",)),
    Outlet("le_monde", "لوموند", "Le Monde", "newspaper", "FR", ("لو موند", "Le Monde")),
    Outlet("le_figaro", "لوفيغارو", "Le Figaro", "newspaper", "FR", ("لو فيغارو", "Le Figaro")),
    Outlet("newsweek", "نيوزويك", "Newsweek", "newspaper", "US", ()),
    Outlet("foreign_policy", "فورين بوليسي", "Foreign Policy", "newspaper", "US", ()),
    Outlet("foreign_affairs", "فورين أفيرز", "Foreign Affairs", "newspaper", "US", ()),
    Outlet("national_interest", "ناشيونال إنترست", "The National Interest", "newspaper", "US",
           ("ناشونال إنترست", "ذا ناشيونال إنترست")),
    Outlet("kommersant", "كوميرسانت", "Kommersant", "newspaper", "RU", ("كومرسانت",)),
    Outlet("izvestia", "إزفيستيا", "Izvestia", "newspaper", "RU", ("إزفستيا", "ازفيستيا")),
    Outlet("global_times", "غلوبال تايمز", "Global Times", "newspaper", "CN", ("جلوبال تايمز",)),
    Outlet("scmp", "ساوث تشاينا مورنينغ بوست", "South China Morning Post", "newspaper", "HK",
           ("ساوث تشاينا مورنينج بوست",)),
    Outlet("nhk", "إن إتش كيه", "NHK", "broadcaster", "JP", ("NHK",)),
    Outlet("rt", "روسيا اليوم", "RT", "broadcaster", "RU",
           ("آر تي", "RT", "RT عربي", "آر تي عربي", "روسيا اليوم عربي"), bound=("روسيا اليوم",)),
    # -- defence trade press ------------------------------------------------------
    Outlet("janes", "جينز", "Janes", "site", "GB", ("جينز للدفاع", "Jane's", "Janes")),
    Outlet("defense_news", "ديفنس نيوز", "Defense News", "site", "US", ("ديفينس نيوز", "Defense News")),
    Outlet("breaking_defense", "بريكينغ ديفنس", "Breaking Defense", "site", "US",
           ("بريكنغ ديفنس", "Breaking Defense")),
    Outlet("war_zone", "ذا وور زون", "The War Zone", "site", "US", ("وور زون", "The War Zone")),
    Outlet("military_watch", "ميليتري ووتش", "Military Watch Magazine", "site", "US",
           ("ميليتاري ووتش", "Military Watch")),
    Outlet("drive", "ذا درايف", "The Drive", "site", "US", ()),
    # -- Arab broadcasters, papers and sites --------------------------------------
    Outlet("aljazeera", "الجزيرة", "Al Jazeera", "broadcaster", "QA",
           ("الجزيرة نت", "الجزيرة مباشر", "Al Jazeera", "Aljazeera"), guarded=("الجزيرة",)),
    Outlet("alarabiya", "العربية", "Al Arabiya", "broadcaster", "SA",
           ("العربية نت", "العربية.نت", "الحدث", "Al Arabiya"), guarded=("العربية", "الحدث")),
    Outlet("skynews_arabia", "سكاي نيوز عربية", "Sky News Arabia", "broadcaster", "AE",
           ("سكاي نيوز", "سكاي نيوز العربية", "Sky News Arabia", "Sky News")),
    Outlet("almayadeen", "الميادين", "Al Mayadeen", "broadcaster", "LB", ("الميادين نت",),
           guarded=("الميادين",)),
    Outlet("almanar", "المنار", "Al-Manar", "broadcaster", "LB", (), guarded=("المنار",)),
    Outlet("alalam", "العالم", "Al-Alam", "broadcaster", "IR", (), bound=("العالم",)),
    Outlet("alhurra", "الحرة", "Alhurra", "broadcaster", "US", (), bound=("الحرة",)),
    Outlet("france24", "فرانس 24", "France 24", "broadcaster", "FR", ("فرانس24", "France 24")),
    Outlet("dw", "دويتشه فيله", "Deutsche Welle", "broadcaster", "DE",
           ("دويتشه فيلي", "دوتشيه فيله", "DW")),
    Outlet("trt", "تي آر تي", "TRT", "broadcaster", "TR", ("تي ار تي", "TRT عربي", "TRT")),
    Outlet("asharq_awsat", "الشرق الأوسط", "Asharq Al-Awsat", "newspaper", "SA", ("Asharq Al-Awsat",),
           guarded=("الشرق الأوسط",)),
    Outlet("asharq", "الشرق القطرية", "Al Sharq", "newspaper", "QA", ()),
    Outlet("alhayat", "الحياة", "Al-Hayat", "newspaper", "LB", ("الحياة اللندنية",), guarded=("الحياة",)),
    Outlet("ahram", "الأهرام", "Al-Ahram", "newspaper", "EG", ("الأهرام المصرية", "الأهرام أونلاين"),
           guarded=("الأهرام",)),
    Outlet("almasry_alyoum", "المصري اليوم", "Al-Masry Al-Youm", "newspaper", "EG", ()),
    Outlet("youm7", "اليوم السابع", "Youm7", "newspaper", "EG", (), guarded=("اليوم السابع",)),
    Outlet("alquds_alarabi", "القدس العربي", "Al-Quds Al-Arabi", "newspaper", "GB", ()),
    Outlet("alaraby", "العربي الجديد", "The New Arab", "newspaper", "GB", ()),
    Outlet("alakhbar", "الأخبار اللبنانية", "Al-Akhbar", "newspaper", "LB", ()),
    Outlet("annahar", "النهار اللبنانية", "An-Nahar", "newspaper", "LB", ()),
    Outlet("alwatan_sy", "الوطن السورية", "Al-Watan (Syria)", "newspaper", "SY", ()),
    Outlet("mee", "ميدل إيست آي", "Middle East Eye", "site", "GB", ("ميدل ايست آي", "Middle East Eye")),
    Outlet("alsumaria", "السومرية", "Alsumaria", "broadcaster", "IQ", ("السومرية نيوز",)),
    Outlet("shafaq", "شفق نيوز", "Shafaq News", "site", "IQ", ()),
    Outlet("almasirah", "المسيرة", "Al-Masirah", "broadcaster", "YE", (), guarded=("المسيرة",)),
)
# fmt: on

# Nouns that introduce an outlet's name ("وكالة رويترز", "صحيفة هآرتس"), and a
# correspondent's ("مراسل الجزيرة"): after one, a guarded or bound form is a name.
OUTLET_NOUNS: tuple[str, ...] = (
    "وكالة",
    "وكالة أنباء",
    "صحيفة",
    "جريدة",
    "قناة",
    "شبكة",
    "موقع",
    "مجلة",
    "إذاعة",
    "راديو",
    "تلفزيون",
    "هيئة البث",
    "منصة",
    "مراسل",
    "مراسلة",
)
# Words that describe an outlet rather than name it ("صحيفة هآرتس العبرية", "وكالة
# الأنباء الروسية الرسمية", "صحيفة إسرائيلية"), in the masculine singular: the
# feminine (ة) and the article are read off. A credited phrase that starts with
# one names no outlet ("قالت صحيفة أمريكية"); trailing ones are not part of a name.
# العربي is left out on purpose: it is part of names (القدس العربي, العربي الجديد).
# fmt: off
DESCRIPTORS: tuple[str, ...] = (
    # nationalities of the outlets Arabic defence news cites
    "روسي", "أمريكي", "أميركي", "إسرائيلي", "عبري", "بريطاني", "فرنسي", "ألماني", "تركي",
    "إيراني", "صيني", "ياباني", "كوري", "أوكراني", "سوري", "لبناني", "عراقي", "مصري", "سعودي",
    "إماراتي", "قطري", "كويتي", "بحريني", "عماني", "أردني", "يمني", "ليبي", "تونسي", "جزائري",
    "مغربي", "سوداني", "فلسطيني", "إيطالي", "إسباني", "هندي", "باكستاني", "بولندي", "سويدي",
    "غربي", "أجنبي", "دولي", "عالمي", "محلي", "خليجي", "أوروبي", "آسيوي", "إقليمي", "لندني",
    # what kind of outlet, and whose
    "رسمي", "حكومي", "إخباري", "إلكتروني", "تلفزيوني", "إذاعي", "عسكري", "أمني", "متخصص",
    "مستقل", "معارض", "موالي", "مقرب", "بارز", "شهير", "يومي", "أسبوعي", "شهري", "تابع",
    "واسع", "ناطق", "مملوك", "شبه",
)
# fmt: on
# Matching forms of the proclitics a name may carry: "ورويترز", "لرويترز", "بحسب" is a cue.
PROCLITICS: tuple[str, ...] = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
_QUOTE_CHARS = "\"'«»“”„‘’()[]"
_SPACES_RE = re.compile(r"[\s.\-]+")


@lru_cache(maxsize=16384)  # called on every word after a citing cue; words repeat
def form_key(text: str) -> str:
    """The comparison key of a written name: matching form, no quotes, dots or tatweel, one space."""
    key = matching_form(text).replace("\u0640", "")
    key = "".join(char for char in key if char not in _QUOTE_CHARS)
    return _SPACES_RE.sub(" ", key).strip()


def _context(outlet: Outlet, form: str) -> str:
    if form in outlet.bound:
        return "bound"
    if form in outlet.guarded:
        return "guarded"
    return "free"


@cache
def _index() -> dict[str, tuple[Outlet, str]]:
    """Every form's key → (outlet, context); a key seen twice keeps its first outlet."""
    index: dict[str, tuple[Outlet, str]] = {}
    for outlet in OUTLETS:
        for form in outlet.forms():
            index.setdefault(form_key(form), (outlet, _context(outlet, form)))
    return index


def lookup(form: str) -> tuple[Outlet, str] | None:
    """The outlet a form names exactly, with its context ("free", "guarded", "bound")."""
    return _index().get(form_key(form))


def _candidates(key: str) -> list[tuple[str, bool]]:
    """``key`` without a proclitic and with or without the article, each with whether the
    article was added ("أناضول" → "الأناضول"): an added article only finds distinctive forms,
    or "عربية" would be العربية."""
    stripped = [key]
    for clitic in PROCLITICS:
        if key.startswith(clitic) and len(key) > len(clitic) + 2:
            rest = key[len(clitic) :]
            stripped.append(rest)
            if clitic.endswith("ل") and rest.startswith("ل"):
                stripped.append("ا" + rest)  # ل + الأناضول is written للأناضول
    found = [(candidate, False) for candidate in stripped]
    found += [(c[2:], False) for c in stripped if c.startswith("ال") and len(c) > 4]
    found += [("ال" + c, True) for c in stripped if not c.startswith("ال")]
    return found


_NOUN_KEYS = sorted((form_key(noun) for noun in OUTLET_NOUNS), key=len, reverse=True)


def _without_noun(key: str) -> str:
    for noun in _NOUN_KEYS:
        for clitic in ("", *PROCLITICS):
            prefix = clitic + noun + " "
            if key.startswith(prefix):
                return key[len(prefix) :]
    return key


_DESCRIPTOR_KEYS = frozenset(form_key(word) for word in DESCRIPTORS)


def is_descriptor(word: str) -> bool:
    """Whether a word describes an outlet (الروسية, رسمية, العبري) instead of naming it."""
    key = form_key(word)
    for article in ("بال", "ال", "لل"):
        if key.startswith(article) and len(key) > len(article) + 2:
            key = key[len(article) :]
            break
    return key in _DESCRIPTOR_KEYS or (key.endswith("ه") and key[:-1] in _DESCRIPTOR_KEYS)


def strip_descriptors(words: list[str]) -> list[str]:
    """A name without the describing words after it: ["هآرتس", "العبرية"] → ["هآرتس"]."""
    end = len(words)
    while end > 1 and is_descriptor(words[end - 1]):
        end -= 1
    return words[:end]


def resolve(name: str) -> Outlet | None:
    """The outlet a credited name refers to, or None for a name the gazetteer does not know.

    Tolerates proclitics (ورويترز, لـ"CNN"), the article (أناضول), quotes, an
    outlet noun (وكالة تاس) and a leading description (وكالة الأنباء الروسية
    الرسمية تاس): the description is dropped word by word, and there only
    distinctive forms count, so "سكاي نيوز عربية" never resolves to العربية.
    """
    key = form_key(name)
    if not key:
        return None
    index = _index()
    bare = " ".join(strip_descriptors(_without_noun(key).split(" ")))
    for attempt in dict.fromkeys((key, _without_noun(key), bare)):
        for candidate, article_added in _candidates(attempt):
            entry = index.get(candidate)
            if entry and (entry[1] == "free" or not article_added):
                return entry[0]
    tail = _without_noun(key).split(" ")
    for start in range(1, len(tail)):
        entry = index.get(" ".join(tail[start:]))
        if entry and entry[1] == "free":
            return entry[0]
    return None


def by_name(name_ar: str) -> Outlet | None:
    """The outlet whose canonical Arabic name is ``name_ar``."""
    return next((outlet for outlet in OUTLETS if outlet.name_ar == name_ar), None)


def _form_pattern(form: str) -> str:
    """A regex for one form: Latin acronyms case-sensitive, other Latin names in any case,
    Arabic in every spelling; a leading article may be written ل after the proclitic ل."""
    if form.isascii():
        if form.upper() == form or len(form) <= 4:
            return re.escape(form)
        return "(?i:" + re.escape(form).replace(r"\ ", r"[\s\-]+") + ")"
    if form.startswith("ال"):
        pattern = "(?:[اأإآ]ل|(?<=ل)ل)" + fuzzy_pattern(form[2:], strict_spaces=True)
    else:
        pattern = fuzzy_pattern(form, strict_spaces=True)
    # channel numbers are written in ASCII, Arabic-Indic or Persian digits: "القناة ١٢"
    return re.sub(r"[0-9]", lambda digit: _DIGIT_CLASSES[digit.group()], pattern)


_DIGIT_CLASSES = {str(n): f"[{n}{chr(0x660 + n)}{chr(0x6F0 + n)}]" for n in range(10)}


def _first_letter(form: str) -> str:
    """A lookahead class for the forms that start like ``form``."""
    if form.isascii():
        return f"[{re.escape(form[0].lower())}{re.escape(form[0].upper())}]"
    if form.startswith("ال"):
        return "[اأإآل]"  # the article, or ل after the proclitic ل
    return fuzzy_pattern(form[0])


def _forms_alternation() -> str:
    """All forms, longest first within each group of forms sharing a first letter.

    Grouping behind a one-letter lookahead spares the regex engine from trying
    seven hundred alternatives at every word; longest first makes "القناة 12
    الإسرائيلية" win over "القناة 12".
    """
    groups: dict[str, list[str]] = {}
    for form in sorted({form for outlet in OUTLETS for form in outlet.forms()}, key=len, reverse=True):
        groups.setdefault(_first_letter(form), []).append(form)
    return "|".join(
        f"(?={look})(?:" + "|".join(_form_pattern(form) for form in forms) + ")"
        for look, forms in groups.items()
    )


# Any outlet form as a whole word, after an optional proclitic and tatweel ("ولـ"),
# inside optional quotes or brackets. Groups: "clitic", "open", "name", "close".
OUTLET_RE = re.compile(
    r"(?<![\w\u064b-\u065f\u0670])(?P<clitic>[وف]?[بل]ـ?\s?|[وف])?"
    r"(?P<open>[\"'«“(\[]\s?)?"
    r"(?P<name>" + _forms_alternation() + ")"
    r"(?![\w\u064b-\u065f\u0670])"
    r"(?P<close>\s?[\"'»”)\]])?"
)
