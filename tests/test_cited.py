"""Cited outlets: the gazetteer, the extraction on the labelled sentences, and the seed page."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bench.cited_eval import evaluate, load
from crawler.items import Article, Block
from crawler.lens.cited import cited_outlets
from crawler.lens.gazetteer import OUTLET_RE, OUTLETS, by_name, form_key, lookup, resolve
from crawler.text.lexicon import AGENCIES, agency_name
from crawler.text.sources import agency_only
from pipelines.attribute import attribute_article
from tests.helpers import SEED, process_extraction, shared_file

# Measured with `python -m bench.cited_eval` (precision 0.993, recall 0.993 on
# 212 sentences); the floors leave room for a few regressions, no more.
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.95


def test_labelled_set_is_large_and_balanced() -> None:
    labelled = load()
    assert len(labelled) >= 120
    assert sum(1 for item in labelled if not item.cited) >= 40
    assert len({item.text for item in labelled}) == len(labelled), "a sentence is labelled twice"


def test_precision_and_recall_hold_their_floors() -> None:
    score = evaluate(load())
    assert score.precision >= PRECISION_FLOOR, score.false_positives
    assert score.recall >= RECALL_FLOOR, score.misses


def test_seed_appended_article_cites_kcna_and_tass_only() -> None:
    from crawler.extract import extract_text

    page = shared_file(SEED).read_text("utf-8")
    url = "https://www.elaosboa.com/1040001/"
    first, appended = process_extraction(extract_text(page, url), url)
    cited = {a.name for a in appended.attributions if a.kind == "cited"}
    assert cited == {"وكالة الأنباء المركزية الكورية", "تاس"}
    assert not [a for a in first.attributions if a.kind == "cited"]
    texts = {a.name: a.text for a in appended.attributions if a.kind == "cited"}
    assert texts["تاس"] == 'وأفادت وكالة الأنباء الروسية الرسمية "تاس"'
    assert texts["وكالة الأنباء المركزية الكورية"] == "وقالت وكالة الأنباء المركزية الكورية الشمالية"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("رويترز", "reuters"),
        ("Reuters", "reuters"),
        ("ورويترز", "reuters"),
        ('لـ"رويترز"', "reuters"),
        ("أ ف ب", "afp"),
        ("أ.ف.ب", "afp"),
        ("AFP", "afp"),
        ("وكالة فرانس برس", "afp"),
        ("للأناضول", "anadolu"),
        ("أناضول", "anadolu"),
        ('وكالة الأنباء الروسية الرسمية "تاس"', "tass"),
        ("وكالة الأنباء المركزية الكورية الشمالية", "kcna"),
        ("وكالة الأنباء السعودية الرسمية", "spa"),
        ("واس", "spa"),
        ("صحيفة هآرتس العبرية", "haaretz"),
        ("القناة الـ12", "channel12"),
        ("سكاي نيوز عربية", "skynews_arabia"),
        ("قناة الجزيرة", "aljazeera"),
        ("ايرنا", None),  # a misspelling the gazetteer does not list
        ("وزارة الدفاع", None),
        ("عربية", None),  # the article is not added to a word that is only a name in context
        ("مصادر مطلعة", None),
    ],
)
def test_resolve(written: str, key: str | None) -> None:
    outlet = resolve(written)
    assert (outlet.key if outlet else None) == key


def test_every_form_names_one_outlet() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for outlet in OUTLETS:
        for form in outlet.forms():
            owners[form_key(form)].add(outlet.key)
    assert {form: keys for form, keys in owners.items() if len(keys) > 1} == {}
    assert len({outlet.key for outlet in OUTLETS}) == len(OUTLETS)
    assert len({outlet.name_ar for outlet in OUTLETS}) == len(OUTLETS)
    assert len(OUTLETS) >= 100


def test_outlet_regex_finds_every_form_as_its_outlet() -> None:
    for outlet in OUTLETS:
        for form in outlet.forms():
            match = OUTLET_RE.fullmatch(form)
            assert match is not None, form
            entry = lookup(match.group("name"))
            assert entry is not None, form
            assert entry[0] == outlet, form


def test_every_canonical_name_resolves_to_its_outlet() -> None:
    for outlet in OUTLETS:
        assert resolve(outlet.name_ar) == outlet, outlet.name_ar
        assert by_name(outlet.name_ar) == outlet


def test_agency_canonical_names_stay_as_stored() -> None:
    """Attributions stored before the gazetteer existed use these names."""
    names = {name for name, _spellings in AGENCIES}
    assert {
        "رويترز",
        "فرانس برس",
        "أسوشيتد برس",
        "الأناضول",
        "سبوتنيك",
        "تاس",
        "نوفوستي",
        "شينخوا",
        "يونهاب",
        "وكالة الأنباء المركزية الكورية",
        "د ب أ",
        "واس",
        "وام",
        "سانا",
        "قنا",
        "كونا",
        "بترا",
        "واج",
        "ومع",
        "أ ش أ",
        "إرنا",
        "وكالات",
        "سي إن إن",
        "بي بي سي",
        "روسيا اليوم",
        "سكاي نيوز عربية",
    } <= names
    assert agency_name("أ.ف.ب") == "فرانس برس"
    assert agency_name("KCNA") == "وكالة الأنباء المركزية الكورية"
    assert agency_name("غير معروفة") == "غير معروفة"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("(قنا)", "قنا"),  # an agency's guarded form is a credit on a line of its own
        ("- هآرتس", "هآرتس"),
        ("(KCNA)", "وكالة الأنباء المركزية الكورية"),
        ("روسيا اليوم", "روسيا اليوم"),  # credited as a line before the gazetteer existed
        ("الشرق الأوسط", None),  # a subheading as much as a paper
        ("الحياة", None),
        ("فارس", None),  # a first name
    ],
)
def test_agency_credit_lines_from_the_gazetteer(line: str, name: str | None) -> None:
    assert agency_only(line) == name


def test_context_of_common_words() -> None:
    entry = lookup("الجزيرة")
    assert entry is not None
    assert entry[1] == "guarded"
    assert [m.group("name") for m in OUTLET_RE.finditer("في شبه الجزيرة الكورية")] == ["الجزيرة"]
    assert cited_outlets("وقالت وسائل إعلام إن الوضع الأمني في شبه الجزيرة الكورية متوتر.") == []
    assert cited_outlets("وذكرت الجزيرة أن الاشتباكات تجددت.")[0][0] == "الجزيرة"


def test_outlet_regex_reads_proclitics_and_arabic_punctuation() -> None:
    names = [m.group("name") for m in OUTLET_RE.finditer('وفقاً لرويترز، وللقناة 12 ولـ"CNN" والقناة ١٣')]
    assert names == ["رويترز", "لقناة 12", "CNN", "القناة ١٣"]
    assert lookup("القناة ١٣") == lookup("القناة 13")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("ذكرت صحيفة كومرسانت الروسية أن موسكو تعيد نشر قواتها.", [("كوميرسانت", "ذكرت صحيفة كومرسانت")]),
        (
            "وقالت صحيفة يني شفق التركية إن أنقرة تعتزم شراء مقاتلات.",
            [("يني شفق", "وقالت صحيفة يني شفق التركية")],
        ),
        (
            "وقال ضابط في الجيش اللبناني لـ(أ ف ب) إن دورية تعرضت لإطلاق نار.",
            [("فرانس برس", "وقال ضابط في الجيش اللبناني لـ(أ ف ب)")],
        ),
        ('قالت صحيفة "', []),
        ("قالت صحيفة «الوطن", [("الوطن", "قالت صحيفة «الوطن")]),
        ("وأعلنت وزارة الدفاع الروسية أن قواتها سيطرت على قرية.", []),
        ("وسيتم تنفيذ المرحلة الثانية حسب الخطة.", []),
        ("وقالت صحيفة أمريكية بارزة إن الإدارة تدرس خيارات.", []),
        ("وأعلنت وكالة الفضاء الأمريكية ناسا تأجيل الإطلاق.", []),
    ],
)
def test_cited_outlets(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert cited_outlets(sentence) == expected


def test_cited_attributions_are_deduplicated_per_article() -> None:
    article = Article(
        url="u",
        site="s",
        blocks=[
            Block("وذكرت وكالة رويترز أن المدمرة عادت إلى قاعدتها."),
            Block("ونقلت رويترز عن مسؤولين أن الدورية ستتكرر، بحسب صحيفة هآرتس."),
            Block("وقالت وسائل إعلام محلية إن السكان سمعوا انفجارات."),
        ],
    )
    attribute_article(article, "الأسبوع")
    assert [(a.kind, a.name, a.text) for a in article.attributions] == [
        ("cited", "رويترز", "وذكرت وكالة رويترز"),
        ("cited", "هآرتس", "بحسب صحيفة هآرتس"),
    ]
    assert len(article.blocks) == 3  # the sentences stay in the body
