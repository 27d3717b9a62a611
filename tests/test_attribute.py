"""Source lines, agency credits, cited outlets and embedded tweets."""

from __future__ import annotations

import pytest

from crawler.items import Article, Block
from crawler.text.sources import agency_only, clean_source_name, slash_dateline, source_line
from pipelines.attribute import attribute_article
from tests.helpers import process_html
from tests.test_readalso import P1, P2, page


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("المصدر: الأسبوع", "الأسبوع"),
        ("المصدر : وكالات", "وكالات"),
        ('المصدر: "سانا" + RT', "سانا + RT"),
        ("مصدر الخبر: وكالة الأنباء الروسية", "وكالة الأنباء الروسية"),
        ("المصدر:(أبوظبي - البيان)", "البيان"),
    ],
)
def test_source_lines(line: str, name: str) -> None:
    assert source_line(line) == name


@pytest.mark.parametrize(
    "sentence",
    [
        "وقال المصدر إن القوات أحبطت محاولة تسلل على الحدود الشمالية فجر اليوم",
        "وأوضح المصدر الأمني أن التحقيقات مستمرة",
        "المصدر: مصادر مطلعة قالت إن المفاوضات بين الجانبين ستستأنف الأسبوع المقبل في القاهرة بحضور الوسطاء",
    ],
)
def test_sentences_about_a_source_stay(sentence: str) -> None:
    assert source_line(sentence) is None
    article = Article(url="u", site="s", blocks=[Block(P1), Block(sentence)])
    attribute_article(article, "الأسبوع")
    assert [block.text for block in article.blocks] == [P1, sentence]
    # nothing credits a source: the article has none, rather than its publisher's name
    assert article.source == ""


@pytest.mark.parametrize(
    ("line", "name"), [("(رويترز)", "رويترز"), ("- أ ف ب", "فرانس برس"), ("وكالات", "وكالات")]
)
def test_agency_credit_lines(line: str, name: str) -> None:
    assert agency_only(line) == name


def test_clean_source_name() -> None:
    assert clean_source_name("«الأسبوع»") == "الأسبوع"


def test_source_line_and_field_in_a_page() -> None:
    html = page(
        f"<p>{P1}</p><p>وقال المصدر إن التدريبات ناجحة وفق التقييم الأولي للقيادة.</p><p>{P2}</p><p>المصدر : وكالات</p>",
        after='<div class="post-source"><span class="label">المصدر:</span> وكالة الأنباء الروسية</div>',
    )
    [article] = process_html(html)
    assert article.body.split("\n\n") == [
        P1,
        "وقال المصدر إن التدريبات ناجحة وفق التقييم الأولي للقيادة.",
        P2,
    ]
    assert [(a.kind, a.name) for a in article.attributions][:2] == [
        ("source_field", "وكالة الأنباء الروسية"),
        ("source_line", "وكالات"),
    ]
    assert article.source == "وكالة الأنباء الروسية"


def test_cited_outlets() -> None:
    article = Article(
        url="u",
        site="s",
        blocks=[
            Block('وأفادت وكالة الأنباء الروسية الرسمية "تاس" في وقت سابق بأن الاجتماع انتهى.'),
            Block(P1),
        ],
    )
    attribute_article(article, "الأسبوع")
    assert [(a.kind, a.name) for a in article.attributions] == [("cited", "تاس")]
    assert len(article.blocks) == 2  # a cited outlet is recorded, the sentence stays


TWEET_EN = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Our forces intercepted two drones over the Red Sea '
    '<a href="https://t.co/AbCdEf123">pic.twitter.com/AbCdEf123</a></p>&mdash; U.S. Central Command (@CENTCOM) '
    '<a href="https://twitter.com/CENTCOM/status/1720000000000000001?ref_src=twsrc%5Etfw">November 2, 2023</a>'
    '</blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
)
TWEET_AR = (
    '<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">الدفاعات الجوية تتصدى لهجوم '
    'بطائرات مسيرة <a href="https://t.co/Xy12">https://t.co/Xy12</a></p>— أفيخاي أدرعي (@AvichayAdraee) '
    '<a href="https://x.com/AvichayAdraee/status/1800000000000000002">١٢ يونيو ٢٠٢٤</a></blockquote>'
)


def test_embedded_tweets_in_html() -> None:
    [article] = process_html(page(f"<p>{P1}</p>{TWEET_EN}<p>{P2}</p>{TWEET_AR}"))
    assert article.body.split("\n\n") == [P1, P2]
    english, arabic = article.embeds
    assert (english.author, english.handle, english.posted_at) == (
        "U.S. Central Command",
        "@CENTCOM",
        "2023-11-02",
    )
    assert english.url == "https://twitter.com/CENTCOM/status/1720000000000000001"  # ?ref_src dropped
    assert english.links == ["https://t.co/AbCdEf123"]
    assert english.text.startswith("Our forces intercepted two drones")
    assert (arabic.author, arabic.handle, arabic.posted_at) == (
        "أفيخاي أدرعي",
        "@AvichayAdraee",
        "2024-06-12",
    )
    assert arabic.url == "https://x.com/AvichayAdraee/status/1800000000000000002"


def test_flattened_tweet_signature_glued_to_next_paragraph() -> None:
    html = page(
        f"<p>{P1}<br>Drones shot down over the Red Sea https://t.co/Zz9 pic.twitter.com/Yy8<br>"
        f"— CENTCOM (@CENTCOM) March 3, 2024{P2}</p>"
    )
    [article] = process_html(html)
    assert article.body.split("\n\n") == [P1, P2]
    [tweet] = article.embeds
    assert (tweet.author, tweet.handle, tweet.posted_at) == ("CENTCOM", "@CENTCOM", "2024-03-03")
    assert tweet.links == ["https://t.co/Zz9", "pic.twitter.com/Yy8"]


def test_a_labelled_box_wrapping_a_paragraph_is_the_source_field() -> None:
    """The box is found from the label's text node: the paragraph inside it is climbed past
    (a paragraph's line is the attribution stage's), its wrapper is the field."""
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after='<div class="meta-credit"><p>المصدر: وكالة الأنباء الأردنية</p></div>',
    )
    [article] = process_html(html)
    assert article.source == "وكالة الأنباء الأردنية"
    assert "وكالة الأنباء الأردنية" not in article.body


def test_a_source_label_in_a_long_section_is_not_a_box() -> None:
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after='<div class="about"><span>المصدر</span> ' + "نص طويل عن الموقع وسياسة النشر " * 8 + "</div>",
    )
    [article] = process_html(html)
    assert all(a.kind != "source_field" for a in article.attributions)
    assert article.source == ""


@pytest.mark.parametrize(
    ("line", "own", "credit"),
    [
        ("أنقرة/ الأناضول", (), "الأناضول"),
        ("بغداد/ علي جواد/ الأناضول", (), "الأناضول"),
        ("أنقرة / الجسر", ("وكالة الجسر للأنباء",), "الجسر"),
        ("أنقرة/ الجسر", (), None),  # an unknown name that is not the page's outlet
        ("بغداد/ محمد علي", ("المسلة",), None),  # a reporter
        ("الولايات المتحدة/ روسيا: سباق تسلح جديد", (), None),  # a headline
        ("وقال إن الاجتماع بحث التعاون العسكري/ الأمني بين البلدين خلال العام", (), None),
    ],
)
def test_slash_datelines(line: str, own: tuple[str, ...], credit: str | None) -> None:
    assert slash_dateline(line, own) == credit


def test_a_slash_dateline_line_is_a_credit_not_body_text() -> None:
    article = Article(url="u", site="s", blocks=[Block("أنقرة/ الجسر"), Block(P1), Block(P2)])
    attribute_article(article, "aljisr-ajans.com.tr", site_name="وكالة الجسر للأنباء")
    assert [b.text for b in article.blocks] == [P1, P2]
    assert article.source == "الجسر"
    assert [(a.kind, a.name, a.text) for a in article.attributions][:1] == [
        ("agency", "الجسر", "أنقرة/ الجسر")
    ]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("نقلاً عن الوكالة الوطنية للإعلام", "الوكالة الوطنية للإعلام"),
        ("نقلا عن: رويترز", "رويترز"),
        ("Via Reuters", "Reuters"),
        ("نقلاً عن مصادر مطلعة قولها إن الجيش سيبدأ انتشارا واسعا في المنطقة الحدودية", None),
    ],
)
def test_a_line_crediting_with_a_preposition(line: str, name: str | None) -> None:
    assert source_line(line) == name


def _credits(*texts: str) -> tuple[list[str], list[tuple[str, str]]]:
    article = Article(
        url="https://example.jo/news/1", site="example", title="عنوان", blocks=[Block(t) for t in texts]
    )
    attribute_article(article, "example")
    return [block.text for block in article.blocks], [(a.kind, a.name) for a in article.attributions]


def test_a_trailing_credit_naming_several_agencies_credits_each() -> None:
    body, credits = _credits(
        "اختتمت القوات المسلحة الأردنية تمرين النسر الحارس بمشاركة وحدات من عدة دول.",
        "ويُنفذ التمرين بشكل دوري لرفع الجاهزية في مواجهة التهديدات المشتركة. (بترا - وكالات)",
    )
    assert credits == [("agency", "بترا"), ("agency", "وكالات")]
    assert body[-1] == "ويُنفذ التمرين بشكل دوري لرفع الجاهزية في مواجهة التهديدات المشتركة."


def test_a_trailing_bracket_that_is_not_all_agencies_is_no_credit() -> None:
    _, credits = _credits(
        "اختتمت القوات المسلحة الأردنية تمرين النسر الحارس بمشاركة وحدات من عدة دول.",
        "وشاركت في التمرين وحدات من القوات الخاصة والطيران العسكري. (عمّان - بترا)",
    )
    assert credits == []


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("The Associated Press contributed to this report.", [("agency", "أسوشيتد برس")]),
        ("Reuters and AFP contributed reporting.", [("agency", "رويترز"), ("agency", "فرانس برس")]),
        ("ساهمت رويترز في إعداد هذا التقرير.", [("agency", "رويترز")]),
        ("John Smith contributed to this report.", []),  # a reporter, not an outlet
        ("ساهم الزميل أحمد علي في إعداد هذا التقرير", []),
    ],
)
def test_a_closing_contribution_line_credits_the_agencies_it_names(
    line: str, names: list[tuple[str, str]]
) -> None:
    body, credits = _credits("Bahraini and US navy teams ended a week-long night mine clearance drill.", line)
    assert credits == names
    assert (line in body) == (not names)
