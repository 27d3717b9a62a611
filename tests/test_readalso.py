"""Read-also chains in every shape seen on Arabic news pages, and appended articles."""

from __future__ import annotations

import pytest

from crawler.items import Block, Link
from crawler.text.lexicon import READ_ALSO_RE, is_not_related_label
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


def test_appended_article_under_a_linked_heading() -> None:
    """A CMS that appends a whole story prints its headline as a linked heading: the headline is a
    related item, its paragraphs an appended article, neither the page's body."""
    html = page(
        f"""<p>{P1}</p><p><strong>إقرأ أيضاً:</strong></p><h3><a href="/100201/">{T1}</a></h3><p>{P2}</p><p>{P1}</p>"""
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1]
    assert related(articles) == [(T1, "100201")]
    assert len(articles) == 2
    assert articles[1].title == T1
    assert paragraphs(articles, 1) == [P2, P1]


def test_a_linked_read_also_item_before_the_rest_of_the_article_stays_a_chain() -> None:
    html = page(f"""<p>{P1}</p><p>اقرأ أيضاً:</p><p><a href="/100201/">{T1}</a></p><p>{P2}</p><p>{P1}</p>""")
    articles = process_html(html)
    assert len(articles) == 1
    assert paragraphs(articles) == [P1, P2, P1]
    assert related(articles) == [(T1, "100201")]


T3 = "تدريبات ليلية مشتركة لوحدات الحدود في المنطقة الشمالية"
T4 = "افتتاح مركز جديد للتدريب على الرماية لقوات المشاة"


def test_tabbed_module_counts_only_its_related_panel() -> None:
    """WAI-ARIA tabs: each panel goes by the tab that controls it; "المزيد من الكاتب" is another list."""
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after=f"""<section class="related-articles"><ul role="tablist">
        <li><button role="tab" aria-controls="pane-related">مقالات قد تهمك</button></li>
        <li><button role="tab" aria-controls="pane-author">المزيد من الكاتب</button></li></ul>
        <div role="tabpanel" id="pane-related"><h3><a href="/100201/">{T1}</a></h3><h3><a href="/100202/">{T2}</a></h3></div>
        <div role="tabpanel" id="pane-author" hidden-tab><h3><a href="/100203/">{T3}</a></h3>
        <h3><a href="/100204/">{T4}</a></h3></div></section>""",
    )
    assert related(process_html(html)) == [(T1, "100201"), (T2, "100202")]


def test_more_from_the_author_tabs_without_aria_are_not_related() -> None:
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after=f"""<section class="author-more"><div><button>المزيد من محمد سمير</button>
        <button>المزيد من القوات المسلحة</button></div><ul><li><a href="/100203/">{T3}</a></li>
        <li><a href="/100204/">{T4}</a></li><li><a href="/100202/">{T2}</a></li></ul></section>""",
    )
    assert related(process_html(html)) == []


def test_the_sites_archive_list_after_the_post_is_not_related() -> None:
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after=f"""<div class="post-list-section"><div class="portable-archive-list">
        <div class="post-preview"><a href="/100203/">{T3}</a></div><div class="post-preview"><a href="/100204/">{T4}</a></div>
        <div class="post-preview"><a href="/100202/">{T2}</a></div></div></div>""",
    )
    assert related(process_html(html)) == []


def test_post_teasers_printed_in_the_body_column_are_cards() -> None:
    """A posts module's nested <article> teasers (heading link, date, excerpt) are related cards:
    their excerpts are not body text."""
    teaser = (
        '<article class="et_pb_post post hentry"><h2 class="entry-title"><a href="/{id}/">{title}</a></h2>'
        '<p class="post-meta"><span class="published">04/25/2025</span></p>'
        "<div class='post-content'><p>أعلنت الجهات المختصة مواعيد التحاق الدفعة المقبلة من المجندين...</p></div></article>"
    )
    html = page(
        f"<p>{P1}</p><p>{P2}</p>" + teaser.format(id=100203, title=T3) + teaser.format(id=100204, title=T4)
    )
    articles = process_html(html)
    assert paragraphs(articles) == [P1, P2]
    assert related(articles) == [(T3, "100203"), (T4, "100204")]


def test_each_list_of_a_post_end_area_goes_by_its_own_heading() -> None:
    # a theme's article foot (an entry-footer inside the article) prints the site's latest news
    # and then its related posts, in one wrapper and the same card markup
    html = page(
        f"<p>{P1}</p><p>{P2}</p>",
        after=f"""<footer class="entry-footer"><div class="post-end-area">
        <h3 class="block-title">أحدث الأخبار</h3>
        <article class="preview-mini"><h3><a href="/100301/">الأرصاد تتوقع رياحاً نشطة على المناطق الساحلية</a></h3></article>
        <article class="preview-mini"><h3><a href="/100302/">افتتاح مركز جديد لخدمات المراجعين في العاصمة</a></h3></article>
        <div class="related-posts-wrap"><h3 class="block-title">قد يعجبك أيضاً</h3>
        <article class="preview-mini"><h3><a href="/100201/">{T1}</a></h3></article>
        <article class="preview-mini"><h3><a href="/100202/">{T2}</a></h3></article></div>
        </div></footer>""",
    )
    assert related(process_html(html)) == [(T1, "100201"), (T2, "100202")]


def test_unlabelled_cards_printing_their_titles_in_their_own_header_are_related() -> None:
    # Kadence's related carousel: each card an <article> with header.entry-header and
    # footer.entry-footer of its own, which are the card's, not the page's
    cards = "".join(
        f"""<li><article class="entry loop-entry"><header class="entry-header"><h3 class="entry-title">
        <a href="/{number}/">{title}</a></h3></header><footer class="entry-footer"><a href="/{number}/">اقرأ المزيد</a>
        </footer></article></li>"""
        for number, title in (("100201", T1), ("100202", T2))
    )
    html = page(f"<p>{P1}</p><p>{P2}</p>", after=f'<div class="entry-related"><ul>{cards}</ul></div>')
    assert related(process_html(html)) == [(T1, "100201"), (T2, "100202")]


def test_a_related_aside_after_the_post_counts_and_a_sidebar_titled_read_also_does_not() -> None:
    # static themes (Jekyll) print the related posts in an <aside class="related"> inside the
    # article; a sidebar beside the body whose widget is titled "اقرأ أيضاً" stays a sidebar
    related_aside = f"""<aside class="related"><h2 class="related-title">قد يهمك أيضاً</h2><ul>
        <li><a href="/100201/">{T1}</a></li><li><a href="/100202/">{T2}</a></li></ul></aside>"""
    assert related(process_html(page(f"<p>{P1}</p><p>{P2}</p>", after=related_aside))) == [
        (T1, "100201"),
        (T2, "100202"),
    ]
    sidebar = f"""<aside class="sidebar normal-side"><h3>اقرأ أيضاً</h3><ul>
        <li><a href="/100301/">{T3}</a></li><li><a href="/100302/">{T4}</a></li></ul></aside>"""
    assert related(process_html(page(f"<p>{P1}</p><p>{P2}</p>", after=sidebar))) == []


def test_a_posts_loop_goes_by_the_heading_widget_printed_before_it() -> None:
    # page builders (Bricks, Elementor) print a heading widget, then the posts loop beside it:
    # an unlabelled related loop right after the post, then "الأكثر قراءة" in the same markup
    def loop(kind: str, cards: tuple[tuple[str, str], ...]) -> str:
        items = "".join(f'<div class="brxe-post"><h3><a href="/{n}/">{t}</a></h3></div>' for n, t in cards)
        return f'<div class="brxe-posts {kind}">{items}</div>'

    after = (
        loop("loop-a", (("100201", T1), ("100202", T2)))
        + '<h3 class="brxe-heading">الأكثر قراءة</h3>'
        + loop("loop-b", (("100301", T3), ("100302", T4)))
    )
    assert related(process_html(page(f"<p>{P1}</p><p>{P2}</p>", after=after))) == [
        (T1, "100201"),
        (T2, "100202"),
    ]


@pytest.mark.parametrize(
    "label",
    [
        "من نفس الكاتب",
        "من الكاتبة",
        "اختيارات المحرر",
        "اخترنا لك",
        "أحدث المقالات",
        "أحدث المنشورات",
        "Recent posts",
    ],
)
def test_the_sites_other_lists_are_not_related(label: str) -> None:
    assert is_not_related_label(label)


def test_a_blogs_related_posts_label_is_related() -> None:
    assert READ_ALSO_RE.match("منشورات ذات صلة")
    assert not is_not_related_label("منشورات ذات صلة")
