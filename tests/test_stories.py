"""Story clusters: one event reported by several outlets within 48 hours, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import multiprocessing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crawler.items import Actor, Article, Block
from crawler.lens import stories
from crawler.store import ArticleStore, ExportFilter, make_engine
from crawler.store.models import StoryRow
from crawler.store.placement import STORY_LEAD_CHARS, meaning_of, vector_text
from crawler.text.arabic import matching_form
from pipelines.dedup import dedup_keys
from tests.helpers import scrapy

T0 = datetime(2025, 3, 7, 6, 0, tzinfo=UTC)
RUSSIA = Actor("روسيا", "country", 2, True)
UKRAINE = Actor("أوكرانيا", "country", 1, False)
NORTH_KOREA = Actor("كوريا الشمالية", "country", 2, True)

KHARKIV_A = (
    "روسيا تقصف خاركيف بصواريخ باليستية وسقوط قتلى",
    "قصفت القوات الروسية فجر اليوم مدينة خاركيف شرقي أوكرانيا بصواريخ باليستية، ما أسفر عن مقتل خمسة "
    "أشخاص وإصابة عشرين آخرين، بحسب حاكم المقاطعة. وقال الحاكم إن الصواريخ أصابت مباني سكنية ومحطة كهرباء.",
)
KHARKIV_B = (
    "مقتل 5 وإصابة 20 في هجوم صاروخي روسي على خاركيف",
    "أعلن حاكم مقاطعة خاركيف الأوكرانية أن خمسة مدنيين قتلوا وأصيب عشرون في ضربة صاروخية روسية استهدفت "
    "المدينة فجر الجمعة، وأن الصواريخ الباليستية دمرت مباني سكنية وألحقت أضرارا بمحطة للطاقة.",
)
KHARKIV_C = (
    "ارتفاع حصيلة القصف الروسي على خاركيف إلى 7 قتلى",
    "ارتفعت حصيلة ضحايا الضربة الصاروخية الروسية على مدينة خاركيف الأوكرانية إلى سبعة قتلى، بعد انتشال "
    "جثتين من تحت أنقاض مبنى سكني أصابته الصواريخ الباليستية فجر الجمعة.",
)
PACT = (
    "روسيا وكوريا الشمالية توقعان اتفاقية للدفاع المشترك",
    "وقعت روسيا وكوريا الشمالية في موسكو اتفاقية شراكة استراتيجية تتضمن بندا للدفاع المتبادل في حال تعرض "
    "أي منهما لعدوان، وسط قلق غربي من تعميق التعاون العسكري بين البلدين.",
)


def article(
    url: str, text: tuple[str, str], published: datetime | None, actors: list[Actor], site: str = "alusbu"
) -> Article:
    title, body = text
    item = Article(url=url, site=site, title=title, source=site, published_at=published, body=body)
    item.blocks = [Block(body)]
    item.actors = list(actors)
    return dedup_keys(item)


# -- the matcher -----------------------------------------------------------------


def test_terms_fold_the_affixes_headlines_vary() -> None:
    assert stories.terms("روسيا") == stories.terms("الروسية") == stories.terms("الروسي")
    assert stories.terms("بالصواريخ") == stories.terms("والصواريخ") == stories.terms("صواريخ")
    assert stories.terms("في من على إلى الجمعة") == frozenset()


def test_the_same_event_in_other_words_is_one_story() -> None:
    a = stories.evidence(*KHARKIV_A, T0, ["روسيا", "أوكرانيا"])
    b = stories.evidence(*KHARKIV_B, T0 + timedelta(hours=2), ["روسيا", "أوكرانيا"])
    match = stories.compare(a, b)
    assert match.same_story, match


def test_same_actors_another_event_is_not_one_story() -> None:
    a = stories.evidence(*KHARKIV_A, T0, ["روسيا", "أوكرانيا"])
    pact = stories.evidence(*PACT, T0 + timedelta(hours=3), ["روسيا", "كوريا الشمالية"])
    assert not stories.same_story(a, pact), stories.compare(a, pact)


def test_close_reports_need_less_shared_wording_than_distant_ones() -> None:
    """A score just under the threshold passes for reports hours apart, not for a day apart
    (when the two do not name one action at one place: then less wording is needed anyway)."""
    a = stories.evidence(*KHARKIV_A, T0, ["روسيا", "أوكرانيا"])
    near = stories.compare(a, stories.evidence(*KHARKIV_B, T0 + timedelta(hours=2), ["روسيا", "أوكرانيا"]))
    far = stories.compare(a, stories.evidence(*KHARKIV_B, T0 + timedelta(hours=30), ["روسيا", "أوكرانيا"]))
    near, far = replace(near, event_agreement=False), replace(far, event_agreement=False)
    assert near.same_story_at(near.score + stories.CLOSE_DISCOUNT / 2)
    assert not far.same_story_at(far.score + stories.CLOSE_DISCOUNT / 2)


def test_beyond_48_hours_or_undated_is_not_one_story() -> None:
    a = stories.evidence(*KHARKIV_A, T0, ["روسيا", "أوكرانيا"])
    later = stories.evidence(*KHARKIV_B, T0 + timedelta(hours=49), ["روسيا", "أوكرانيا"])
    undated = stories.evidence(*KHARKIV_B, None, ["روسيا", "أوكرانيا"])
    assert not stories.same_story(a, later)
    assert not stories.same_story(a, undated)


# A local agency's report of the Donetsk strike: no state, army or official named,
# only the town, the market and the toll.
STRIKE_DONETSK_LOCAL = (
    "سقوط قذائف على سوق شعبي في كوستيانتينيفكا",
    "قتل شخصان وأصيب ثمانية عندما سقطت قذائف مدفعية على سوق شعبي وسط مدينة كوستيانتينيفكا صباح اليوم، "
    "بحسب الإدارة العسكرية للمدينة التي دعت السكان إلى البقاء في الملاجئ.",
)


def test_actors_narrow_the_candidates_the_event_decides() -> None:
    """A report naming no actor the actor list knows is one story with another by the states
    its words name (روسية is an adjective the actor list leaves alone) or by one kind of
    action at one place; with neither, actors or not, it is not."""
    a = stories.evidence(*KHARKIV_A, T0, ["روسيا", "أوكرانيا"])
    no_actor = stories.evidence(*KHARKIV_B, T0 + timedelta(hours=1), [])
    assert no_actor.nations == {"روسيا", "أوكرانيا"}
    assert stories.same_story(a, no_actor)
    donetsk = stories.evidence(*STRIKE_DONETSK, T0, ["روسيا", "أوكرانيا"])
    local = stories.evidence(*STRIKE_DONETSK_LOCAL, T0 + timedelta(hours=2), [])
    assert not local.nations
    assert not local.actors
    assert stories.same_story(donetsk, local)
    pact = stories.evidence(*PACT, T0 + timedelta(hours=1), [])
    assert not stories.same_story(local, pact)  # nothing shared: no state, no place, no action


# Same actors, same day, two events: what happened and where tells them apart.
EXERCISE = (
    "مصر والسعودية تختتمان مناورات مرجان البحرية",
    "اختتمت القوات البحرية المصرية والسعودية مناورات مرجان 17 في البحر الأحمر قبالة مدينة جدة، "
    "بمشاركة فرقاطات ولنشات صواريخ وعناصر من القوات الخاصة البحرية للبلدين.",
)
DEAL = (
    "مصر والسعودية توقعان صفقة لتصنيع ذخائر مشتركة",
    "وقعت مصر والسعودية عقدا لتصنيع ذخائر مدفعية بصورة مشتركة في مصانع الهيئة العربية للتصنيع، "
    "خلال زيارة وزير الدفاع السعودي إلى القاهرة، ولم تكشف قيمة الصفقة.",
)
STRIKE_DONETSK = (
    "قتيلان في قصف روسي على مدينة كوستيانتينيفكا",
    "قتل شخصان وأصيب ثمانية في قصف مدفعي روسي استهدف وسط مدينة كوستيانتينيفكا في دونيتسك، بحسب السلطات "
    "الأوكرانية التي قالت إن القذائف أصابت سوقا شعبيا.",
)
STRIKE_DONETSK_OTHER_WORDS = (
    "كييف تتهم موسكو باستهداف المتسوقين في كوستيانتينيفكا",
    "اتهم مكتب الرئاسة الأوكرانية موسكو بتعمد إيقاع ضحايا بين المتسوقين، بعدما سقطت قذائف على ساحة تجارية "
    "في بلدة كوستيانتينيفكا صباح اليوم، وطالب الحلفاء بمزيد من منظومات الدفاع الجوي.",
)
STRIKE_ZAPORIZHZHIA = (
    "قتيلان في قصف روسي على مدينة أوريخيف",
    "قتل شخصان وأصيب ثمانية في قصف مدفعي روسي استهدف وسط مدينة أوريخيف في زابوريجيا، بحسب السلطات "
    "الأوكرانية التي قالت إن القذائف أصابت سوقا شعبيا.",
)
EGYPT_SAUDI = ["مصر", "السعودية"]


def test_different_actions_by_the_same_actors_are_two_events() -> None:
    a = stories.evidence(*EXERCISE, T0, EGYPT_SAUDI)
    b = stories.evidence(*DEAL, T0 + timedelta(hours=3), EGYPT_SAUDI)
    assert a.title_kinds == {"exercise"}
    assert b.title_kinds == {"deal"}
    match = stories.compare(a, b)
    assert match.event_contrast == "action", match
    assert not match.same_story


def test_the_same_strike_on_another_town_is_another_event() -> None:
    """Word for word the same report but for the town: two events, however high the score."""
    a = stories.evidence(*STRIKE_DONETSK, T0, ["روسيا", "أوكرانيا"])
    b = stories.evidence(*STRIKE_ZAPORIZHZHIA, T0 + timedelta(hours=1), ["روسيا", "أوكرانيا"])
    match = stories.compare(a, b)
    assert match.score > stories.MIN_STORY_SCORE
    assert match.event_contrast == "place", match
    assert not match.same_story


def test_one_action_at_one_place_in_other_words_is_one_story() -> None:
    a = stories.evidence(*STRIKE_DONETSK, T0, ["روسيا", "أوكرانيا"])
    b = stories.evidence(*STRIKE_DONETSK_OTHER_WORDS, T0 + timedelta(hours=5), ["روسيا", "أوكرانيا"])
    match = stories.compare(a, b)
    assert match.event_agreement, match
    # the wording alone would not do, even for reports five hours apart
    assert match.score < stories.MIN_STORY_SCORE - stories.CLOSE_DISCOUNT
    assert match.same_story


def test_a_headline_template_parts_two_reports_only_by_another_name() -> None:
    """One headline with another name in it (a state, a place, one slot filled otherwise) is
    another event; one headline with other words in it (the details, the toll) is another
    write-up of the same one."""
    operation = stories.evidence(
        "الجيش التونسي يقضي على إرهابيين في عملية أمنية بجبل الشعانبي",
        "أعلنت وزارة الدفاع التونسية أن وحدات من الجيش قضت على عنصرين إرهابيين خلال عملية أمنية "
        "في جبل الشعانبي بولاية القصرين، وحجزت سلاحين وكمية من الذخيرة.",
        T0,
        ["تونس"],
    )
    details = stories.evidence(
        "تفاصيل العملية الأمنية بجبل الشعانبي وهوية الإرهابيين",
        "كشفت مصادر أمنية تفاصيل العملية التي نفذتها وحدات عسكرية فجر الجمعة في جبل الشعانبي، "
        "وقالت إن الإرهابيين ينتميان إلى كتيبة عقبة بن نافع.",
        T0 + timedelta(hours=4),
        ["تونس"],
    )
    match = stories.compare(operation, details)
    assert match.title >= stories.TEMPLATE_TITLE_OVERLAP  # one headline template
    assert not match.template_contrast, match
    assert match.same_story, match

    # another state in the template: here the state alone parts them (no place is named)
    with_saudi = stories.evidence(
        "مصر تختتم مناورات بحرية مشتركة مع السعودية",
        "اختتمت القوات البحرية المصرية مناورات مشتركة مع القوات البحرية السعودية استمرت أسبوعا.",
        T0,
        ["مصر", "السعودية"],
    )
    with_greece = stories.evidence(
        "مصر تختتم مناورات بحرية مشتركة مع اليونان",
        "اختتمت القوات البحرية المصرية مناورات مشتركة مع القوات البحرية اليونانية استمرت أسبوعا.",
        T0 + timedelta(hours=2),
        ["مصر", "اليونان"],
    )
    match = stories.compare(with_saudi, with_greece)
    assert not match.event_contrast, match
    assert match.template_contrast, match
    assert not match.same_story

    # another name of any kind in one slot of the template: an aircraft, an exercise
    for first, second in (("رافال", "ميغ 29"), ("حسم الصحراء", "الأسد المتأهب")):
        one, other = (
            stories.evidence(
                f"الجيش الأردني يعلن انطلاق مناورات {name} بمشاركة سلاح الجو",
                f"أعلنت القيادة العامة للقوات المسلحة الأردنية انطلاق مناورات {name} بمشاركة "
                "طائرات سلاح الجو ووحدات من القوات الخاصة.",
                T0 + timedelta(hours=hours),
                ["الأردن"],
            )
            for name, hours in ((first, 0), (second, 5))
        )
        match = stories.compare(one, other)
        assert match.template_contrast, (first, second, match)
        assert not match.same_story, (first, second)


def test_a_town_spelt_two_ways_is_one_place() -> None:
    """Foreign names reach Arabic copy in several spellings: long vowels written or not, ت or
    ط, ك or غ or ق for a g. Two reports of one strike, one town in two spellings, are not two
    places; two towns whose names differ in more than that still are."""
    strike = (
        "إصابة 8 أشخاص في هجوم بطائرات مسيرة روسية على مدينة زابوريجيا",
        "أصيب ثمانية أشخاص في هجوم بطائرات مسيرة روسية استهدف منشأة صناعية في مدينة زابوريجيا ليلا، "
        "بحسب الإدارة العسكرية للمقاطعة.",
    )
    same_strike = (
        "مسيرات معادية تضرب منشأة صناعية في مدينة زاباروجيا",
        "قال الحاكم إن مسيرات روسية ضربت منشأة صناعية في مدينة زاباروجيا الليلة الماضية، ما أدى إلى "
        "إصابة ثمانية من العاملين.",
    )
    captured = (
        "الدفاع الروسية تعلن السيطرة على بلدة فاراتشينو",
        "أعلنت وزارة الدفاع الروسية السيطرة على بلدة فاراتشينو الحدودية.",
    )
    denied = (
        "كييف تنفي سقوط بلدة فاراتشين",
        "نفت هيئة الأركان الأوكرانية سقوط بلدة فاراتشين الحدودية بيد القوات الروسية.",
    )
    for one, other in ((strike, same_strike), (captured, denied)):
        a = stories.evidence(*one, T0, ["روسيا", "أوكرانيا"])
        b = stories.evidence(*other, T0 + timedelta(hours=2), ["روسيا", "أوكرانيا"])
        match = stories.compare(a, b)
        assert not match.place_contrast, (one[0], other[0])
        assert match.shared_place, (one[0], other[0])
    # other towns, some of them a letter apart once spelt alike, and a town against a word
    # of the other headline that is no place (ميكولايف / مقذوف)
    for one, other in (
        ("خاركيف", "خيرسون"),
        ("حمص", "حماة"),
        ("دونيتسك", "لوهانسك"),
        ("بيروت", "بيرزيت"),
        ("فوهليدار", "سوليدار"),
        ("دنيبرو", "دونباس"),
        ("كورسك", "كركوك"),
        ("أربيل", "كربلاء"),
        ("ميكولايف", "خاركيف بعد سقوط مقذوف"),
    ):
        a = stories.evidence(f"قتيلان في قصف على مدينة {one}", f"قصف استهدف مدينة {one} فجرا.", T0, [])
        b = stories.evidence(f"قتيلان في قصف على مدينة {other}", f"قصف استهدف مدينة {other} فجرا.", T0, [])
        assert stories.compare(a, b).place_contrast, (one, other)


def test_place_names_after_a_cue_and_in_headlines() -> None:
    def place(*words: str) -> str:
        return "".join(stories.term(matching_form(word)) for word in words)

    towns, regions = stories.places(
        "قصف على مخيم جباليا ومدينة خان يونس شمالي قطاع غزة، والمدينة بوابة الجنوب"
    )
    assert towns == {place("جباليا"), place("خان", "يونس")}  # not بوابة: المدينة is no cue
    assert regions == {place("غزة")}
    assert stories.title_places("مسيرة تركية تقتل قياديا بالقامشلي") == {place("القامشلي")}
    assert stories.title_places("غارة على سيارة في هجوم") == frozenset()
    # على is written علي in the matching form: the preposition is read in that form too
    assert stories.title_places("صواريخ على المطلة وإسرائيل تتوعد") == {place("المطلة")}
    assert stories.places("إطلاق صواريخ باتجاه بلدة المطلة")[0] == {place("المطلة")}
    # event words: places and specific headline terms, not states, actions or numbers
    words = stories.event_words(stories.evidence(*STRIKE_DONETSK_LOCAL, T0, []))
    assert {place("كوستيانتينيفكا"), place("سوق")} <= words
    assert not words & {place("قذائف"), place("روسيا")}


def test_states_are_read_from_whole_words_not_from_stems() -> None:
    def nations(text: str) -> set[str]:
        return set(stories.evidence(text, "", T0, []).nations)

    assert nations("مسيرات روسية فوق البحر الأحمر") == {"روسيا"}  # a sea is not Bahrain
    assert nations("غارات على بلدات جنوب لبنان") == {"لبنان"}
    assert nations("ضربة قرب الحدود مع بلبنان وبيروت تدين") == {"لبنان"}
    assert nations("الجيش الألباني يشارك في مناورة") == {"ألبانيا"}
    assert nations("انهيار المباني بعد القصف") == set()  # not الألباني


# -- the store ---------------------------------------------------------------------


def test_the_store_groups_a_story_and_keeps_other_events_apart(store: ArticleStore) -> None:
    both = [RUSSIA, UKRAINE]
    # the second report arrives first: crawl order must not decide who reported first
    b = store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), both, "bsite"), T0)
    a = store.save(article("https://a.example/1", KHARKIV_A, T0, both, "asite"), T0)
    c = store.save(article("https://c.example/1", KHARKIV_C, T0 + timedelta(hours=30), both, "csite"), T0)
    pact = store.save(
        article("https://a.example/2", PACT, T0 + timedelta(hours=3), [RUSSIA, NORTH_KOREA], "asite"), T0
    )
    far = store.save(
        article("https://d.example/1", KHARKIV_B, T0 + timedelta(days=9), both, "dsite"), T0
    )  # same words nine days later: the exact-text duplicate of b, not a story member
    assert far.outcome == "duplicate"
    records = {r["url"]: r for r in store.iter_records()}
    story_ids = {records[url]["story_id"] for url in ("https://a.example/1", "https://b.example/1")}
    assert len(story_ids) == 1
    assert "" not in story_ids
    assert records["https://c.example/1"]["story_id"] in story_ids
    assert records["https://a.example/2"]["story_id"] == ""
    assert {a.outcome, b.outcome, c.outcome, pact.outcome} == {"new"}

    [story] = list(store.iter_stories())
    assert story["article_count"] == 3
    assert story["first_outlet"] == "asite"
    assert story["first_url"] == "https://a.example/1"
    assert story["title"] == KHARKIV_A[0]
    assert story["outlets"] == ["asite", "bsite", "dsite", "csite"]  # dsite carried bsite's text
    assert story["first_published_at"] == "2025-03-07T06:00:00Z"
    assert story["last_published_at"] == "2025-03-08T12:00:00Z"
    assert [m["url"] for m in story["articles"]] == [
        "https://a.example/1",
        "https://b.example/1",
        "https://c.example/1",
    ]
    assert story["articles"][1]["duplicate_urls"] == ["https://d.example/1"]
    assert set(story["actors"]) == {"روسيا", "أوكرانيا"}
    assert list(store.iter_stories(ExportFilter(site="csite"))) == [story]
    assert list(store.iter_stories(ExportFilter(site="nobody"))) == []
    assert list(store.iter_stories(ExportFilter(since=T0 + timedelta(hours=1)))) == []


def test_a_story_follows_its_member_when_an_earlier_copy_becomes_the_record(store: ArticleStore) -> None:
    """A copy published earlier becomes the record (its time, its URL): the story's bounds and
    name follow, not only when a member joins or leaves. Found when the last report's time
    stayed the story's end after that report turned out to be an earlier copy's."""
    both = [RUSSIA, UKRAINE]
    store.save(article("https://a.example/1", KHARKIV_A, T0, both, "asite"), T0)
    store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=4), both, "bsite"), T0)
    [story] = list(store.iter_stories())
    assert story["last_published_at"] == "2025-03-07T10:00:00Z"
    # b's text again, published an hour before a's report by another outlet
    copy = store.save(article("https://c.example/1", KHARKIV_B, T0 - timedelta(hours=1), both, "csite"), T0)
    assert copy.outcome == "duplicate"
    [story] = list(store.iter_stories())
    assert story["first_published_at"] == "2025-03-07T05:00:00Z"
    assert story["last_published_at"] == "2025-03-07T06:00:00Z"
    assert story["title"] == KHARKIV_B[0]  # named by its first report, now the copy
    assert story["article_count"] == 2


def test_a_report_naming_no_actor_finds_its_story_through_its_town(store: ArticleStore) -> None:
    """Candidates come from the search index too: a local report with no actor, sharing
    only the town and the event with a stored one, joins it; the same strike on another
    town stays apart."""
    both = [RUSSIA, UKRAINE]
    first = store.save(article("https://a.example/9", STRIKE_DONETSK, T0, both, "asite"), T0)
    other = store.save(
        article("https://b.example/9", STRIKE_ZAPORIZHZHIA, T0 + timedelta(hours=1), both, "bsite"), T0
    )
    local = store.save(
        article("https://c.example/9", STRIKE_DONETSK_LOCAL, T0 + timedelta(hours=2), [], "csite"), T0
    )
    assert {first.outcome, other.outcome, local.outcome} == {"new"}
    story_of = {r["url"]: r["story_id"] for r in store.iter_records()}
    assert story_of["https://c.example/9"] != ""
    assert story_of["https://c.example/9"] == story_of["https://a.example/9"]
    assert story_of["https://b.example/9"] == ""


# The Donetsk strike told with no town: it reads as one event with either strike.
STRIKE_NO_TOWN = (
    "السلطات الأوكرانية: مقتل شخصين بقذائف روسية سقطت على سوق شعبي",
    "قتل شخصان وأصيب ثمانية في قصف مدفعي روسي استهدف سوقا شعبيا صباح اليوم، بحسب السلطات الأوكرانية "
    "التي قالت إن القذائف سقطت وسط المتسوقين.",
)


def test_a_story_is_not_joined_by_a_report_of_another_place_than_one_of_its_members(
    store: ArticleStore,
) -> None:
    """The quorum lets a report in that passes against a third of a story's members; a
    member that names another town than the report's still keeps it out. A report without
    its town matches the strike on either town; the second strike must not ride in on it."""
    both = [RUSSIA, UKRAINE]
    store.save(article("https://a.example/7", STRIKE_DONETSK, T0, both, "asite"), T0)
    store.save(article("https://b.example/7", STRIKE_NO_TOWN, T0 + timedelta(hours=1), both, "bsite"), T0)
    other = article("https://c.example/7", STRIKE_ZAPORIZHZHIA, T0 + timedelta(hours=2), both, "csite")
    assert store.save(other, T0).outcome == "new"
    story_of = {r["url"]: r["story_id"] for r in store.iter_records()}
    assert story_of["https://a.example/7"] == story_of["https://b.example/7"] != ""
    assert story_of["https://c.example/7"] == ""


def test_a_story_gone_while_its_row_was_awaited_is_looked_up_again(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL another save can merge or empty the chosen story while this one waits
    for its row: the report is placed from its candidates read again, not lost to an error."""
    both = [RUSSIA, UKRAINE]
    store.save(article("https://a.example/4", KHARKIV_A, T0, both, "asite"), T0)
    store.save(article("https://b.example/4", KHARKIV_B, T0 + timedelta(hours=2), both, "bsite"), T0)
    gone: list[object] = []
    get = Session.get

    def get_gone_once(self: Session, entity: Any, ident: Any, **options: Any) -> Any:
        if entity is StoryRow and not gone:
            gone.append(ident)
            return None
        return get(self, entity, ident, **options)

    monkeypatch.setattr(Session, "get", get_gone_once)
    later = store.save(article("https://c.example/4", KHARKIV_C, T0 + timedelta(hours=30), both, "csite"), T0)
    assert later.outcome == "new"
    assert gone
    [story] = list(store.iter_stories())
    assert story["article_count"] == 3


def test_export_stories_command_writes_one_row_per_story(store: ArticleStore, database_url: str) -> None:
    both = [RUSSIA, UKRAINE]
    store.save(article("https://a.example/1", KHARKIV_A, T0, both, "asite"), T0)
    store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), both, "bsite"), T0)
    store.save(article("https://a.example/2", PACT, T0, [RUSSIA, NORTH_KOREA], "asite"), T0)
    result = scrapy("export", "--stories", "-o", "-", "--format", "csv", env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == 1
    assert rows[0]["title"] == KHARKIV_A[0]
    assert rows[0]["first_outlet"] == "asite"
    assert rows[0]["article_count"] == "2"
    assert '"bsite"' in rows[0]["outlets"]
    assert "Exported 1 stories" in result.stderr


def _save_one(
    database_url: str,
    url: str,
    text: tuple[str, str],
    published: datetime,
    actors: list[Actor],
    barrier: object,
) -> str:
    store = ArticleStore(make_engine(database_url))
    # the model loaded and the report's vector made before the start: the three saves
    # then meet in the store at once, not one model load apart
    meaning_of(text[0], text[1][:STORY_LEAD_CHARS])
    barrier.wait()  # type: ignore[attr-defined]
    outcome = store.save(article(url, text, published, actors, url.split("/")[2]), T0).outcome
    store.engine.dispose()
    return outcome


def _story_worker(
    args: tuple[str, str, tuple[str, str], datetime, list[Actor], object], queue: object
) -> None:
    queue.put(_save_one(*args))  # type: ignore[attr-defined]


# Local reports of the Kostiantynivka market strike naming no actor (and so taking no
# actor's lock): they meet through their town.
MARKET_COUNCIL = (
    "الإدارة العسكرية: قتيلان بقذائف سقطت على سوق كوستيانتينيفكا",
    "أعلنت الإدارة العسكرية لمدينة كوستيانتينيفكا مقتل شخصين وإصابة ثمانية بعد سقوط قذائف مدفعية على السوق "
    "الشعبي وسط المدينة صباح اليوم.",
)
MARKET_TOLL = (
    "وفاة جريح ترفع قتلى قذائف كوستيانتينيفكا إلى ثلاثة",
    "ارتفعت حصيلة سقوط القذائف على السوق الشعبي في مدينة كوستيانتينيفكا إلى ثلاثة قتلى بعد وفاة أحد الجرحى "
    "في المستشفى، بحسب الإدارة العسكرية للمدينة.",
)


@pytest.mark.parametrize("order", ["abc", "bac", "cab"])
def test_reports_naming_no_actor_meet_through_their_town_in_any_order(
    store: ArticleStore, order: str
) -> None:
    """The lookup by event words searches the index in its own form: it strips a leading
    ك as a preposition (كوستيانتينيفكا is indexed as وستيانتينيفكا), and by terms alone the
    toll report, stored last, found neither of the others."""
    texts = {"a": STRIKE_DONETSK_LOCAL, "b": MARKET_COUNCIL, "c": MARKET_TOLL}
    hours = {"a": 0, "b": 1, "c": 20}
    for name in order:
        store.save(
            article(f"https://{name}.example/5", texts[name], T0 + timedelta(hours=hours[name]), []), T0
        )
    [story] = list(store.iter_stories())
    assert story["article_count"] == 3


@pytest.mark.parametrize("named", ["actors", "no actor"])
def test_three_processes_storing_one_story_at_once_make_one_story(
    store: ArticleStore, database_url: str, named: str
) -> None:
    """Without the locks (PostgreSQL: one per actor and one per event word) each process
    could open its own story for the same event, or none."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    queue = context.Queue()
    texts = (
        (KHARKIV_A, KHARKIV_B, KHARKIV_C)
        if named == "actors"
        else (STRIKE_DONETSK_LOCAL, MARKET_COUNCIL, MARKET_TOLL)
    )
    actors = [RUSSIA, UKRAINE] if named == "actors" else []
    reports = [
        ("https://a.example/1", texts[0], T0),
        ("https://b.example/1", texts[1], T0 + timedelta(hours=1)),
        ("https://c.example/1", texts[2], T0 + timedelta(hours=20)),
    ]
    workers = [
        context.Process(target=_story_worker, args=((database_url, *report, actors, barrier), queue))
        for report in reports
    ]
    for worker in workers:
        worker.start()
    outcomes = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert outcomes == ["new"] * 3
    [story] = list(store.iter_stories())
    assert story["article_count"] == 3
    assert story["first_url"] == "https://a.example/1"


# One missile told from two sides: the launcher's claim (أم الرشراش) and the target's
# interception (إيلات) share too few words to join; a report that tells both bridges them.
YEMEN_ISRAEL = [Actor("اليمن", "country", 2, True), Actor("إسرائيل", "country", 1, False)]
CLAIM = (
    "القوات اليمنية تستهدف أم الرشراش بصاروخ فلسطين 2",
    "أعلن المتحدث العسكري يحيى سريع استهداف منطقة أم الرشراش بصاروخ باليستي فرط صوتي من نوع فلسطين 2، "
    "مؤكدا أن العملية حققت أهدافها.",
)
CLAIM_AGAIN = (
    "سريع: صاروخ فلسطين 2 يضرب أم الرشراش",
    "قال العميد يحيى سريع إن القوة الصاروخية ضربت أهدافا في أم الرشراش بصاروخ فلسطين 2 الفرط صوتي.",
)
INTERCEPTION = (
    "اعتراض صاروخ أطلق من اليمن فوق إيلات",
    "قال الجيش الإسرائيلي إن منظومة آرو اعترضت صاروخا أطلق من اليمن فوق إيلات بعد دوي صفارات الإنذار في المدينة.",
)
SIRENS = (
    "صفارات الإنذار في إيلات وآرو تعترض الصاروخ اليمني",
    "دوت صفارات الإنذار في إيلات قبل أن تعترض منظومة آرو صاروخا باليستيا قادما من اليمن، دون إصابات.",
)
BOTH_SIDES = (
    "صاروخ فلسطين 2 اليمني على أم الرشراش: آرو تعترضه فوق إيلات",
    "أعلن يحيى سريع من اليمن إطلاق صاروخ فلسطين 2 على أم الرشراش، فيما قال الجيش الإسرائيلي إن منظومة آرو "
    "اعترضت الصاروخ فوق إيلات بعد دوي صفارات الإنذار.",
)


def test_a_report_that_passes_against_both_stories_bridges_them(store: ArticleStore) -> None:
    texts = {"claim": CLAIM, "sirens": INTERCEPTION, "claim2": CLAIM_AGAIN, "sirens2": SIRENS}
    for hour, (site, text) in enumerate(texts.items()):
        store.save(
            article(f"https://{site}.example/1", text, T0 + timedelta(hours=hour), YEMEN_ISRAEL, site), T0
        )
    before = {r["site"]: r["story_id"] for r in store.iter_records()}
    assert before["claim"] == before["claim2"] != ""
    assert before["sirens"] == before["sirens2"] != ""
    assert before["claim"] != before["sirens"]  # two stories of one event, for now

    store.save(
        article("https://both.example/1", BOTH_SIDES, T0 + timedelta(hours=5), YEMEN_ISRAEL, "both"), T0
    )
    [story] = list(store.iter_stories())
    assert story["article_count"] == 5
    assert story["title"] == CLAIM[0]  # named by its first report
    assert story["first_published_at"] == "2025-03-07T06:00:00Z"
    assert story["last_published_at"] == "2025-03-07T11:00:00Z"
    assert len({r["story_id"] for r in store.iter_records()}) == 1


# Two events of one night in one war: a power station struck in Omdurman, drones over
# Khartoum airport the next morning. The airport's second report recalls the station
# "the day before" and so reads close to the station's report too.
SUDAN = [Actor("السودان", "country", 2, True), Actor("قوات الدعم السريع", "armed_group", 1, False)]
STATION = (
    "مسيرات تضرب محطة كهرباء المرخيات في أم درمان",
    "أعلنت الشركة السودانية لنقل الكهرباء خروج محطة المرخيات التحويلية في أم درمان عن الخدمة مساء الأحد "
    "بعد استهدافها بمسيرات، واندلع حريق ضخم في المحولات وتوقفت محطات مياه الشرب عن العمل.",
)
AIRPORT = (
    "الدفاعات الأرضية تتصدى لمسيرات فوق مطار الخرطوم الدولي",
    "تصدت الدفاعات الأرضية للجيش السوداني صباح الاثنين لعدد من الطائرات المسيرة التي حلقت فوق مطار الخرطوم "
    "الدولي، وسمع دوي انفجارات في محيط المطار، بحسب شهود عيان.",
)
AIRPORT_RECALLING_STATION = (
    "السودان: مسيرات تستهدف مطار الخرطوم غداة ضرب محطة كهرباء في أم درمان",
    "تصدت الدفاعات الأرضية صباح الاثنين لطائرات مسيرة حلقت فوق مطار الخرطوم الدولي وسمع دوي انفجارات في "
    "محيط المطار، غداة هجوم بالمسيرات على محطة كهرباء في أم درمان.",
)
# The same report with a plain "بعد" (after), which as often tells the event's own cause
# ("انسحاب من الناصر بعد هجوم للمتمردين") and is read as part of it: it passes against both
# the airport's reports and the station's.
AIRPORT_AFTER_STATION = (
    "السودان: مسيرات تستهدف مطار الخرطوم بعد ضرب محطة كهرباء في أم درمان",
    AIRPORT_RECALLING_STATION[1].replace("غداة", "بعد"),
)


AIRPORT_AGAIN = (
    "شهود: انفجارات في محيط مطار الخرطوم والمضادات الأرضية تتصدى لمسيرات",
    "أفاد شهود عيان بسماع دوي انفجارات في محيط مطار الخرطوم الدولي صباح الاثنين، فيما تصدت المضادات الأرضية "
    "للجيش السوداني لطائرات مسيرة حلقت فوق المطار.",
)
STATION_AGAIN = (
    "حريق في محطة المرخيات التحويلية بأم درمان بعد هجوم بالمسيرات",
    "اندلع حريق كبير في محطة المرخيات التحويلية بمدينة أم درمان مساء الأحد إثر استهدافها بطائرات مسيرة، "
    "وأعلنت الشركة السودانية لنقل الكهرباء خروجها عن الخدمة وتوقف محطات مياه الشرب.",
)


def test_a_clause_that_recalls_an_earlier_event_is_cut_from_headline_and_lead() -> None:
    recalled = "السودان: مسيرات تستهدف مطار الخرطوم غداة ضرب محطة كهرباء في أم درمان"
    assert stories.own_event(recalled) == "السودان: مسيرات تستهدف مطار الخرطوم"
    # in a lead, each such clause up to its end; the sentence goes on after it
    assert (
        stories.own_event(
            "شنت مقاتلات غارات على الهرمل، بعد ساعات من مقتل شخصين بضربة مسيّرة في الجنوب. وقال الجيش إنه "
            "استهدف مخازن أسلحة، وذلك ردًا على إطلاق صواريخ."
        )
        == "شنت مقاتلات غارات على الهرمل، وقال الجيش إنه استهدف مخازن أسلحة، وذلك"
    )
    # any spelling of the marker (ردًا, رداً, ردا)
    assert (
        stories.own_event("الحرس الثوري يطلق صواريخ على قاعدة نيفاتيم ردًا على ضربة كرمانشاه")
        == "الحرس الثوري يطلق صواريخ على قاعدة نيفاتيم"
    )
    # the clause ends where the headline's next part starts
    assert (
        stories.own_event("قصف جوي على أولانق بعد يوم من سقوط الناصر: 12 قتيلا مدنيا")
        == "قصف جوي على أولانق 12 قتيلا مدنيا"
    )
    # a headline that opens with the clause tells its own event in its next part
    assert stories.own_event("ردا على ضربة كرمانشاه.. صواريخ على قاعدة نيفاتيم") == "صواريخ على قاعدة نيفاتيم"
    # a clause ends at an ellipsis, at a stop inside a closing quote, at a paragraph's end
    assert (
        stories.own_event("غارات على الهرمل غداة مقتل شخصين… وتوتر في الجنوب")
        == "غارات على الهرمل وتوتر في الجنوب"
    )
    assert (
        stories.own_event("غارات على الهرمل «ردا على الضربة.» وتوعد بالمزيد")
        == "غارات على الهرمل وتوعد بالمزيد"
    )
    assert (
        stories.own_event(
            "مسيرات فوق مطار الخرطوم غداة هجوم على محطة كهرباء\n\nوأعلن الجيش إسقاط ثلاث مسيرات."
        )
        == "مسيرات فوق مطار الخرطوم وأعلن الجيش إسقاط ثلاث مسيرات."
    )
    for whole in (
        # where the clause would run to the end, there is nothing else to read
        "ردا على ضربة كرمانشاه",
        # nor where it opens the headline after a rubric: its end is not written
        "عاجل | بعد ساعات من التهديد الحوثيون يستهدفون سفينة في البحر الأحمر",
        "السودان: غداة سقوط الناصر الجيش ينسحب من أولانق",
        # answering a question recalls no event
        "وقال المتحدث ردا على سؤال إن القوات استهدفت مطار الخرطوم.",
        # a phrase is read within one clause: "بعد يوم. من جهته" is none
        "وصل الوفد بعد يوم. من جهته قال الوزير إن المحادثات مستمرة",
        # a plain "after" is as often the event's own cause
        "انسحاب تكتيكي من الناصر بعد هجوم للمتمردين",
        "غارة إسرائيلية على سيارة في جنوب لبنان",
    ):
        assert stories.own_event(whole) == whole


def test_a_report_is_not_one_story_with_the_event_its_headline_recalls() -> None:
    """The airport's report names the station struck the day before: its headline's
    place and action after "غداة" are that event's, not its own. Read with them, it
    passed against the station's report; read without, it is the airport's story only."""
    sudan = [a.name for a in SUDAN]

    def read(text: tuple[str, str]) -> stories.StoryEvidence:
        return stories.evidence(*text, T0, sudan, meaning_of(*text).vector)

    recall, station, airport = read(AIRPORT_RECALLING_STATION), read(STATION), read(AIRPORT)
    # neither the headline's clause nor the lead's ("…، غداة هجوم بالمسيرات على محطة كهرباء في أم درمان."),
    # by the word rules or by the vector
    assert stories.term(matching_form("درمان")) not in recall.lead_terms
    assert "درمان" not in vector_text(
        AIRPORT_RECALLING_STATION[0], AIRPORT_RECALLING_STATION[1][:STORY_LEAD_CHARS]
    )
    assert not stories.compare(recall, station).same_story
    assert stories.compare(recall, airport).same_story


@pytest.mark.parametrize(
    "before",
    [
        pytest.param({"station": STATION, "airport": AIRPORT}, id="two-lone-reports"),
        # the recalling report joins the airport's story, which would pull the station's report in
        pytest.param(
            {"station": STATION, "airport": AIRPORT, "airport2": AIRPORT_AGAIN}, id="story-and-lone"
        ),
        # it opens a story with the airport's report, which would pull the station's story in
        pytest.param(
            {"station": STATION, "station2": STATION_AGAIN, "airport": AIRPORT}, id="lone-and-story"
        ),
    ],
)
def test_a_report_the_test_kept_apart_is_not_pulled_in_by_a_third(
    store: ArticleStore, before: dict[str, tuple[str, str]]
) -> None:
    """The station's reports and the airport's were compared and kept apart; the airport's
    later report passes against both. It joins the airport's side and leaves the station's
    where it was: its one pass with a lone report does not undo the test's own verdict on
    the other pair. A bridge joins two stories only."""
    recall = stories.evidence(
        *AIRPORT_AFTER_STATION, T0, [a.name for a in SUDAN], meaning_of(*AIRPORT_AFTER_STATION).vector
    )
    station = stories.evidence(*STATION, T0, [a.name for a in SUDAN], meaning_of(*STATION).vector)
    assert stories.compare(recall, station).same_story  # else nothing would pull, and this proves nothing
    for hours, (site, text) in enumerate({**before, "recall": AIRPORT_AFTER_STATION}.items()):
        store.save(
            article(f"https://{site}.example/1", text, T0 + timedelta(hours=10 + hours), SUDAN, site), T0
        )
    story_of = {r["site"]: r["story_id"] for r in store.iter_records()}
    airport = {story_of[site] for site in story_of if site.startswith(("airport", "recall"))}
    station_side = {story_of[site] for site in story_of if site.startswith("station")}
    assert len(airport) == 1
    assert "" not in airport
    assert len(station_side) == 1  # the station's reports stay as they were: one story, or alone
    assert not airport & station_side


# -- the labelled pairs ----------------------------------------------------------------

# Measured with `python -m bench.story_eval --set all` (docs/lens.md), each report read by
# words and as a sentence vector, as the store reads it. Precision first: a wrong merge
# misleads, a missed one leaves two stories. The project's own pairs: precision 0.957,
# recall 0.703 on 149 pairs.
PAIRS_MIN_PRECISION = 0.9
PAIRS_MIN_RECALL = 0.65
# The trap sets (same actors, same day, another event), pairs and the store's clusters,
# each floor a little under what was measured (pairs P/R, clusters P/R; 2026-12-07; the
# 4-bit model's vectors differ in the last digits from one CPU to another, so a floor
# keeps a margin of a few points):
# tune, heldout and fresh (tuned on, or their mistakes read): 0.973/0.800, 1.0/0.867;
# 1.0/0.759, 1.0/0.793; 0.950/0.487, 1.0/0.513;
# blind to blind4 (written by people who never read the rules; the vectors' threshold, the
# quorum, the place veto, the bridges and the recalled events were chosen on them):
# 0.848/0.709, 0.818/0.654; 0.854/0.583, 0.892/0.550; 0.729/0.470, 0.873/0.470;
# 0.894/0.567, 0.930/0.613;
# blind5 to blind8 (written the same way, used for no decision; blind8 after every rule
# here but the headline template's name): 0.878/0.581, 0.915/0.596; 0.925/0.759,
# 0.936/0.759; 0.904/0.572, 0.916/0.558; 0.842/0.768, 0.833/0.722.
# A change that loses on text it was not written for shows here.
TRAP_FLOORS = {
    "tune": {"pairs": (0.9, 0.75), "clusters": (0.9, 0.85)},
    "heldout": {"pairs": (0.95, 0.7), "clusters": (0.95, 0.75)},
    "fresh": {"pairs": (0.9, 0.45), "clusters": (0.95, 0.46)},
    "blind": {"pairs": (0.8, 0.65), "clusters": (0.78, 0.6)},
    "blind2": {"pairs": (0.8, 0.5), "clusters": (0.85, 0.5)},
    "blind3": {"pairs": (0.68, 0.42), "clusters": (0.82, 0.43)},
    "blind4": {"pairs": (0.85, 0.52), "clusters": (0.88, 0.56)},
    "blind5": {"pairs": (0.84, 0.54), "clusters": (0.86, 0.55)},
    "blind6": {"pairs": (0.88, 0.7), "clusters": (0.9, 0.71)},
    "blind7": {"pairs": (0.86, 0.48), "clusters": (0.87, 0.51)},
    "blind8": {"pairs": (0.8, 0.7), "clusters": (0.8, 0.65)},
}


def test_precision_and_recall_on_the_labelled_pairs() -> None:
    from bench.story_eval import evaluate, load_pairs

    pairs = load_pairs()
    kinds = {pair.kind for pair in pairs}
    assert len(pairs) >= 140
    assert {"same_event", "same_actors_other_event", "title_trap", "same_topic_far_apart"} <= kinds
    figures = evaluate(pairs)
    assert figures["precision"] >= PAIRS_MIN_PRECISION, figures
    assert figures["recall"] >= PAIRS_MIN_RECALL, figures


@pytest.mark.parametrize("name", sorted(TRAP_FLOORS))
def test_precision_and_recall_on_the_trap_sets(name: str) -> None:
    from bench.story_eval import SETS, evaluate, evaluate_clusters, load_pairs

    pairs = load_pairs(SETS[name])
    assert len(pairs) >= 80
    assert sum(pair.same_story for pair in pairs) >= 25
    floors = TRAP_FLOORS[name]
    figures = evaluate(pairs)
    assert figures["precision"] >= floors["pairs"][0], figures
    assert figures["recall"] >= floors["pairs"][1], figures
    clusters = evaluate_clusters(SETS[name])
    assert clusters["precision"] >= floors["clusters"][0], clusters
    assert clusters["recall"] >= floors["clusters"][1], clusters
