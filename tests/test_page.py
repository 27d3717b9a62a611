"""ArticlePage's query shortcuts give the answers a plain selector walk gives."""

from __future__ import annotations

import pytest

from crawler.extract.article import parse_html
from crawler.extract.page import ArticlePage

HTML = """<!doctype html><html lang="ar"><head><meta charset="utf-8">
<meta property="og:title" content="">
<meta name="og:title" content="عنوان من الوسم الثاني">
<meta name="description" content="وصف قصير"></head><body>
<div class="post-body col-md-8"><p class="lead">نص</p>
<a class="more" href="https://example.com/x">موقع</a></div>
<span class="source-name">رويترز</span>
</body></html>"""


@pytest.fixture
def article_page() -> ArticlePage:
    return ArticlePage(parse_html(HTML), HTML, "https://example.com/a/1", None)


@pytest.mark.parametrize(
    "query",
    [
        "div.post-body",
        ".post-body .lead",
        "a[href*='.com']",  # the ".com" in a value names no class
        'a[href*=".com"]',
        ".missing, .source-name",  # one alternative is enough
        "p:not(.missing)",  # a class inside :not() is not needed
        "span.source-name::text",
    ],
)
def test_queries_that_can_match_are_walked(article_page: ArticlePage, query: str) -> None:
    assert len(article_page._css(query)) == len(article_page.sel.css(query)) > 0


@pytest.mark.parametrize("query", [".missing", "div.post-body.missing", ".missing, .absent .x"])
def test_queries_naming_an_absent_class_match_nothing(article_page: ArticlePage, query: str) -> None:
    assert article_page._css(query) == [] == list(article_page.sel.css(query))


def test_meta_skips_an_empty_tag_for_the_next_attribute(article_page: ArticlePage) -> None:
    assert article_page.meta("og:title") == "عنوان من الوسم الثاني"
    assert article_page.meta("missing", "description") == "وصف قصير"
    assert article_page.meta("missing") == ""


def _titled(og_title: str, h1: str) -> ArticlePage:
    html = (
        f'<html lang="ar"><head><meta charset="utf-8"><meta property="og:title" content="{og_title}"></head>'
        f'<body><header><h1 class="logo">موقع الأخبار</h1></header><article><h1 class="entry-title">{h1}</h1>'
        "<p>نص الخبر.</p></article></body></html>"
    )
    return ArticlePage(parse_html(html), html, "https://example.com/a/1", None)


def test_the_printed_headline_wins_over_a_shorter_social_title() -> None:
    page = _titled("اختتام تمرين الدرع الصلب", "اختتام تمرين الدرع الصلب بمشاركة وحدات صواريخ متوسطة المدى")
    assert page.title() == "اختتام تمرين الدرع الصلب بمشاركة وحدات صواريخ متوسطة المدى"


def test_a_headline_that_is_another_text_leaves_the_declared_title() -> None:
    page = _titled("اختتام تمرين الدرع الصلب", "عاجل: اختتام تمرين الدرع الصلب")
    assert page.title() == "اختتام تمرين الدرع الصلب"


_PAGE_TITLE_BAR = """<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>جهاز مكافحة الإرهاب ينفذ إنزالاً جوياً في سلسلة جبال مكحول &#8211; الحدث الأمني</title></head>
<body><section class="fusion-page-title-bar"><h1 class="entry-title">{h1}</h1></section>
<main><article class="post"><h2 class="entry-title fusion-post-title">جهاز مكافحة الإرهاب ينفذ إنزالاً جوياً
في سلسلة جبال مكحول</h2><div class="post-content"><p>نفذت قوة من جهاز مكافحة الإرهاب عملية إنزال جوي.</p>
</div></article></main></body></html>"""


def test_a_page_title_bar_h1_gives_way_to_the_heading_that_prints_the_title() -> None:
    # Avada prints the section's name in an h1 above the post; the post's headline is an h2
    html = _PAGE_TITLE_BAR.format(h1="أخبار أمنية")
    page = ArticlePage(parse_html(html), html, "https://example.iq/news/cts-raid/", None)
    assert page.title() == "جهاز مكافحة الإرهاب ينفذ إنزالاً جوياً في سلسلة جبال مكحول"
    assert page.headline is not None
    assert page.headline.tag == "h2"


def test_an_h1_the_document_title_holds_stays_the_title() -> None:
    html = _PAGE_TITLE_BAR.format(h1="جهاز مكافحة الإرهاب ينفذ إنزالاً جوياً في سلسلة جبال مكحول")
    page = ArticlePage(parse_html(html), html, "https://example.iq/news/cts-raid/", None)
    assert page.headline is not None
    assert page.headline.tag == "h1"


_BLOCK_GRID = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<meta property="og:title" content="القوات البحرية الأميرية تتسلم سفينة دورية جديدة"></head><body>
<main><article class="article"><header class="article__header"><a class="article__section" href="/ar/security/">أمن ودفاع</a>
<h1 class="article__title">القوات البحرية الأميرية تتسلم سفينة دورية جديدة</h1>
<p class="article__lead">السفينة متعددة المهام مزودة بمنصة لهبوط المروحيات وزورقي اعتراض سريعين</p>
<div class="article__byline">مريم السليطي</div></header>
<div class="article__body"><div class="umb-block-grid"><div class="umb-block-grid__layout-container">
<div class="umb-block-grid__layout-item"><div class="block-rte"><p>الدوحة - قنا: تسلمت القوات البحرية الأميرية أمس
سفينة دورية بحرية جديدة من فئة السفن متعددة المهام، وذلك في مراسم أقيمت بقاعدة بحرية شمال البلاد.</p>
<p>ويبلغ طول السفينة نحو خمسة وسبعين متراً، وهي مزودة بمنصة لهبوط المروحيات ورادار بحري ثلاثي الأبعاد.</p></div></div>
<div class="umb-block-grid__layout-item"><div class="block-rte"><p>وقال قائد السفينة إن الطاقم المكون من ستين بحاراً
أمضى أكثر من عام في التدريب على أنظمة الملاحة والقتال، وإن السفينة جاهزة للمهام.</p></div></div>
<div class="umb-block-grid__layout-item"><div class="block-rte"><p>وتبدأ السفينة خلال الأسابيع المقبلة سلسلة من تجارب
الإبحار في المياه الإقليمية، تشمل اختبار أنظمة الدفع والرادار والاتصالات.</p>
<p>ومن المقرر أن تنضم سفينة ثانية من الفئة ذاتها إلى الأسطول قبل نهاية العام الجاري، بعد استكمال اختبارات القبول.</p>
</div></div>
<div class="umb-block-grid__layout-item"><div class="block-rte"><p>وتأتي هذه الخطوة ضمن برنامج لتحديث الأسطول يهدف إلى
تعزيز حماية المنشآت البحرية الحيوية وخطوط الملاحة، ورفع قدرة القوات على الاستجابة السريعة في المياه الإقليمية.</p>
<p>وأشار مسؤول في القوات البحرية إلى أن السفينة ستُربط بشبكة القيادة والسيطرة الموحدة، بما يتيح تبادل الصورة البحرية
مع مراكز المراقبة الساحلية والوحدات العاملة في البحر على مدار الساعة.</p></div></div></div></div></div>
<div class="newsletter-cta"><p>تابع أخبار الأمن والدفاع أولاً بأول عبر قناتنا على واتساب أو اشترك في النشرة اليومية.</p></div>
<section class="comments"><p>تعليق: خطوة مهمة لتعزيز أمن المياه الإقليمية وحماية المنشآت البحرية.</p></section>
</article></main></body></html>"""


def test_a_wrapper_around_the_headline_is_narrowed_to_the_body() -> None:
    # the article element's class words outscore a body split into many small blocks; the body
    # is the child holding nearly all the text, not the header's standfirst and byline
    from crawler.extract import extract_html
    from devsite.harness import process_extraction

    url = "https://example.qa/ar/security/new-patrol-vessel/"
    [article] = process_extraction(extract_html(_BLOCK_GRID, url, None), url, None)
    assert article.body.startswith("تسلمت القوات البحرية الأميرية أمس")
    assert "السفينة متعددة المهام مزودة" not in article.body
    assert "مريم السليطي" not in article.body
    assert [(a.kind, a.name) for a in article.attributions] == [("agency", "قنا")]


def test_a_body_split_around_an_ad_beside_the_headline_is_kept_whole() -> None:
    # two halves of the body in sibling divs of the article wrapper: neither holds nearly all
    from crawler.extract import extract_html
    from devsite.harness import process_extraction

    first = "".join(
        f"<p>الفقرة {n} من الجزء الأول تروي تفاصيل التمرين العسكري المشترك في المنطقة الشمالية.</p>"
        for n in range(3)
    )
    second = "".join(
        f"<p>الفقرة {n} من الجزء الثاني تروي نتائج التمرين العسكري المشترك ودروسه المستفادة.</p>"
        for n in range(2)
    )
    html = (
        '<html lang="ar"><head><meta charset="utf-8"></head><body><article class="post">'
        f'<h1>اختتام تمرين عسكري مشترك في المنطقة الشمالية</h1><div class="part">{first}</div>'
        f'<div class="ad-slot">إعلان</div><div class="part">{second}</div></article></body></html>'
    )
    url = "https://example.jo/news/drill/"
    [article] = process_extraction(extract_html(html, url, None), url, None)
    assert "الجزء الأول" in article.body
    assert "الجزء الثاني" in article.body
