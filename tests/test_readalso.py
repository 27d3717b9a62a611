"""Read-also chains in every shape seen on Arabic news pages, and appended articles."""

from __future__ import annotations

import pytest

from crawler.items import Block, Link
from crawler.text.readalso import label_remainder, split_blocks
from tests.helpers import process_html

P1 = (
    "أعلنت وزارة الدفاع عن بدء مناورات بحرية مشتركة في البحر الأحمر بمشاركة وحدات من القوات البحرية "
    "والجوية، وتستمر المناورات أسبوعا كاملا وفق البيان الرسمي الصادر صباح اليوم."
)
P2 = (
    "وأوضح المتحدث العسكري أن التدريبات تشمل التعامل مع الأهداف السطحية والجوية وتأمين خطوط الملاحة، "
    "مؤكدا أن القوات المشاركة أظهرت كفاءة عالية في تنفيذ المهام المخطط لها خلال المرحلة الأولى."
)
T1 = "قائد القوات البحرية يتفقد الوحدات المشاركة في التدريب"
T2 = "وزير الدفاع يستقبل نظيره اليوناني لبحث التعاون العسكري"


def page(body: str, after: str = "") -> str:
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
    <title>مناورات بحرية مشتركة في البحر الأحمر - الأسبوع</title>
    <meta property="og:title" content="مناورات بحرية مشتركة في البحر الأحمر"></head><body>
    <header><nav><a href="/">الرئيسية</a></nav></header>
    <article class="post"><h1 class="entry-title">مناورات بحرية مشتركة في البحر الأحمر</h1>
    <div class="entry-content">{body}</div>{after}</article>
    <aside class="sidebar"><div class="widget"><h3>اقرأ أيضاً</h3>
      <a href="/100777/">عنوان في الشريط الجانبي لا ينتمي إلى المقال إطلاقا</a></div></aside>
    </body></html>"""


def related(articles: list, index: int = 0) -> list[tuple[str, str]]:
    return [(item.title, item.url.rsplit("/", 2)[-2] if item.url else "") for item in articles[index].related]


def paragraphs(articles: list, index: int = 0) -> list[str]:
    return articles[index].body.split("\n\n")


@pytest.mark.parametrize(
    "label",
    [
        "اقرأ أيضاً",
        "إقرأ أيضاً:",
        "اقرأ ايضا",
        "اقرا أيضا :",
        "اقرأ أيضًا",
        "اقرأ  أيضاً :",
        "شاهد أيضاً",
        "طالع أيضا:",
        "اقرأ المزيد",
        "مواضيع ذات صلة",
        "الأخبار المرتبطة",
        "إقرأ أيضـــاً",
    ],
)
def test_label_variants(label: str) -> None:
    assert label_remainder(label) == ""
    assert label_remainder(f"{label} {T1}") == T1


@pytest.mark.parametrize(
    "sentence",
    [
        "وقال المصدر إن القوات اقرأ أيضا في البيان",
        "ويمكن للقارئ أن يقرأ أيضا التفاصيل الكاملة",
        "أيضا قالت الوزارة إن المناورات مستمرة",
    ],
)
def test_words_inside_sentences_are_not_labels(sentence: str) -> None:
    assert label_remainder(sentence) is None


def test_heading_with_list_after_the_body() -> None:
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after=f"""<div id="Related"><h2>إقرأ أيضاً</h2>
        <h4><a href="/100201/">{T1}</a></h4><h4><a href="/100202/">{T2}</a></h4></div>""",
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201"), (T2, "100202")]


def test_heading_with_list_inside_the_body() -> None:
    html = page(
        f"""<p>{P1}</p><p>{P2}</p><div id="Related"><h2>إقرأ أيضاً</h2>
        <h4><a href="/100201/">{T1}</a></h4><h4><a href="/100202/">{T2}</a></h4></div>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201"), (T2, "100202")]


def test_inline_card_between_paragraphs() -> None:
    html = page(
        f"""<p>{P1}</p><div class="read-more"><span>إقرأ المزيد</span><a href="/100201/">{T1}</a></div><p>{P2}</p>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201")]


def test_strong_label_lines_one_or_several() -> None:
    html = page(
        f"""<p>{P1}</p><p><strong>اقرأ أيضاً:</strong> <a href="/100201/">{T1}</a></p>
        <p><strong>اقرأ أيضاً:</strong> <a href="/100202/">{T2}</a></p><p>{P2}</p>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201"), (T2, "100202")]


def test_label_glued_to_first_title_in_text_lines() -> None:
    html = page(f"""<p>{P1}<br>{P2}<br>اقرأ أيضاً{T1}<br>{T2}<br>المصدر: الأسبوع</p>""")
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, ""), (T2, "")]
    assert articles[0].source == "الأسبوع"


def test_wordpress_inline_related_block_with_dates() -> None:
    html = page(
        f"""<p>{P1}</p><div class=related-inline><h3>إقرأ أيضاً</h3>
        <article class=related-item><h3><a href=/100201/>{T1}</a></h3><span class=date>12 يناير 2025</span></article>
        <article class=related-item><h3><a href=/100202/>{T2}</a></h3><span class=date>منذ 3 ساعات</span></article>
        </div><p>{P2}</p>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201"), (T2, "100202")]


def test_card_nested_in_a_paragraph() -> None:
    """Sputnik's b-inject inside <p>: the parser closes the paragraph early."""
    html = page(
        f"""<p>{P1}<div class="b-inject"><div class="b-inject__copy">© AFP</div>
        <div class="b-inject__content"><a href="/100201/">{T1}</a></div></div></p><p>{P2}</p>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T1, "100201")]


def test_sidebar_widgets_are_not_related() -> None:
    articles = process_html(page(f"<p>{P1}</p><p>{P2}</p>"))
    assert articles[0].related == []


def test_appended_article_after_label_alone() -> None:
    appended_title = "كوريا الشمالية تختبر صاروخا جديدا بعيد المدى"
    html = page(
        f"""<p>{P1}</p><p>المصدر: الأسبوع</p><p>إقرأ أيضاً:</p><p>{appended_title}</p><p>{P2}</p><p>{P1}</p>"""
    )
    articles = process_html(html)
    assert len(articles) == 2
    assert paragraphs(articles) == [P1]
    assert articles[1].title == appended_title
    assert paragraphs(articles, 1) == [P2, P1]
    assert articles[1].appended_from == articles[0].url
    assert articles[1].url == articles[0].url + "#appended-1"


def test_split_blocks_keeps_order_and_text_without_labels() -> None:
    blocks = [Block(P1), Block(f"اقرأ أيضاً: {T1}", links=[Link(T1, "https://x/1/")]), Block(P2)]
    split = split_blocks("t", blocks)
    assert [block.text for block in split.blocks] == [P1, P2]
    assert [(item.title, item.url) for item in split.related] == [(T1, "https://x/1/")]
