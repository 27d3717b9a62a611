"""Page templates of the mirror, in the image of a WordPress news theme (Jannah-like, RTL).

One method per page part (header, ticker, ad slot, sidebar, article head, body ...) so a
template variant overrides only what differs. Chrome around the article deliberately holds
what extractors must not take: ads, share buttons, tags, a sidebar with a read-also widget,
reader comments using read-also wording, and links that are not articles at all.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from email.utils import format_datetime
from functools import cached_property
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from devsite.mirror.body import AR_MONTHS, Para, RenderContext, esc, render_body
from devsite.mirror.model import PUBLISHER, Post, Section, SiteModel, author_path, tag_path
from devsite.mirror.vocab import COMMENTERS, COMMENTS, READ_ALSO_COMMENT, excerpt

AR_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
LOGO_PATH = "/wp-content/uploads/2023/05/logo-alosboa.png"
STYLE_PATH = "/wp-content/themes/jannah/style.css"
SCRIPT_PATH = "/wp-content/themes/jannah/assets/js/scripts.min.js"
TRACKING_QUERY = "?utm_source=facebook&utm_medium=social&fbclid=XYZ"
SITE_DESCRIPTION = "بوابة الأسبوع الإخبارية: أخبار مصر والعالم العربي والشؤون العسكرية"


def arabic_datetime(moment: datetime) -> str:
    """Visible date as the site prints it: ``الأحد، 19 يناير 2025 - 03:15 م``."""
    hour = moment.hour % 12 or 12
    half = "ص" if moment.hour < 12 else "م"
    day = AR_WEEKDAYS[moment.weekday()]
    month = AR_MONTHS[moment.month - 1]
    return f"{day}، {moment.day} {month} {moment.year} - {hour:02d}:{moment.minute:02d} {half}"


def arabic_date(moment: datetime) -> str:
    return f"{moment.day} {AR_MONTHS[moment.month - 1]} {moment.year}"


def first_paragraph(post: Post) -> str:
    return next((b.text for b in post.blocks if isinstance(b, Para)), post.title)


class Theme:
    """Renders every page of the mirror for one base URL.

    ``upto`` renders the site as it was when only the first ``upto`` posts of the model
    existed: the ticker and sidebars of an article page show what was published when the
    page was made, so adding posts later leaves the bytes of older pages alone.
    """

    name = "default"  # the template name build_site() and the manifest use

    def __init__(self, model: SiteModel, base_url: str, upto: int | None = None) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.upto = upto

    @cached_property
    def articles(self) -> list[Post]:
        """Article posts newest first; menus and sidebars of every page draw from it."""
        if self.upto is None:
            return self.model.articles()
        return self.model.newest_first([p for p in self.model.posts[: self.upto] if p.in_feeds])

    @classmethod
    def page_shapes(cls, post: Post) -> list[str]:
        """The markup shapes a post's page shows in this template (the manifest's ``shapes``)."""
        return sorted(post.shapes)

    @cached_property
    def chrome_top(self) -> str:
        """Header, ticker and top ad: the same on every page, so rendered once per build."""
        return f"{self.header()}\n{self.ticker()}\n{self.ad(0)}"

    @cached_property
    def chrome_bottom(self) -> str:
        return self.footer()

    def url(self, path: str) -> str:
        return self.base_url + path

    def excerpt(self, post: Post) -> str:
        return excerpt(post.summary or first_paragraph(post))

    # --- the document shell ------------------------------------------------------------------

    def document(self, *, title: str, head: str, body_class: str, main: str, charset: bool = True) -> str:
        meta_charset = '<meta charset="UTF-8">\n' if charset else ""
        return (
            '<!DOCTYPE html>\n<html lang="ar" dir="rtl" prefix="og: https://ogp.me/ns#">\n<head>\n'
            f"{meta_charset}"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n{head}"
            f'<link rel="stylesheet" id="tie-css-base-css" href="{STYLE_PATH}" type="text/css" media="all">\n'
            '<link rel="alternate" type="application/rss+xml" title="الأسبوع &raquo; الخلاصة" '
            f'href="{self.url("/rss/1/")}">\n'
            f'</head>\n<body id="tie-body" class="rtl {body_class}">\n'
            '<div class="background-overlay"><div id="tie-container" class="site tie-container">'
            '<div id="tie-wrapper">\n'
            f"{self.chrome_top}\n"
            '<div id="content" class="site-content container"><div class="tie-row main-content-row">\n'
            f"{main}\n</div></div>\n{self.chrome_bottom}\n</div></div></div>\n"
            f'<script type="text/javascript" src="{SCRIPT_PATH}"></script>\n</body>\n</html>\n'
        )

    def header(self) -> str:
        items = "".join(
            '<li class="menu-item menu-item-type-taxonomy">'
            f'<a href="{self.url(s.path)}">{esc(s.name)}</a></li>'
            for s in self.model.sections
        )
        return (
            '<header id="theme-header" class="theme-header header-layout-3 main-nav-dark">\n'
            '<nav id="top-nav" class="top-nav" aria-label="الشريط العلوي"><ul class="components">'
            '<li class="social-icons-item"><a class="social-link facebook-social-icon" '
            'rel="external noopener nofollow" target="_blank" href="https://www.facebook.com/alosboa.news">'
            "فيسبوك</a></li>"
            '<li class="social-icons-item"><a class="social-link twitter-social-icon" rel="external noopener '
            'nofollow" target="_blank" href="https://twitter.com/alosboa_news">تويتر</a></li>'
            '<li class="search-bar menu-item"><a href="javascript:void(0)" class="tie-search-trigger">بحث</a>'
            "</li></ul></nav>\n"
            '<div class="container header-container"><div class="logo-row"><div id="logo" class="image-logo">'
            f'<a title="{PUBLISHER}" href="{self.url("/")}"><img src="{LOGO_PATH}" alt="{PUBLISHER}" '
            'width="300" height="80"></a></div></div></div>\n'
            '<nav id="main-nav" class="main-nav header-nav" aria-label="القائمة الرئيسية"><ul id="menu-main" '
            f'class="menu"><li class="menu-item"><a href="{self.url("/")}">الرئيسية</a></li>{items}'
            "</ul></nav>\n"
            "</header>"
        )

    def ticker(self) -> str:
        items = "".join(
            f'<li class="news-item"><a href="{self.url(p.path)}">{esc(p.title)}</a></li>'
            for p in self.articles[:5]
        )
        return (
            '<div id="breaking-news" class="breaking-news"><span class="breaking-title">'
            '<span class="breaking-title-text">عاجل</span></span>'
            f'<ul id="breaking-news-in-header" class="breaking-news-list">{items}</ul></div>'
        )

    def ad(self, slot: int) -> str:
        """An ad slot; the two kinds real pages carry (ad script, iframe) alternate by slot."""
        if slot % 2 == 0:
            return (
                f'<div class="stream-item stream-item-{slot}"><script async '
                'src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>'
                '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" '
                f'data-ad-slot="{1000 + slot}" data-ad-format="auto"></ins>'
                "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>"
            )
        return (
            f'<div class="stream-item stream-item-{slot}"><div class="stream-item-size">'
            '<span class="stream-title">إعلان</span><iframe src="https://tpc.googlesyndication.com/safeframe/'
            f'1-0-40/html/container.html?slot={slot}" width="300" height="250" frameborder="0" '
            'scrolling="no" title="advertisement"></iframe></div></div>'
        )

    def share(self, post: Post | None = None) -> str:
        link = quote(self.url(post.path) if post else self.url("/"), safe="")
        return (
            '<div class="post-share share-buttons"><span class="share-title">شارك</span>'
            f'<a href="https://www.facebook.com/sharer.php?u={link}" rel="external noopener nofollow" '
            'target="_blank" class="facebook-share-btn">فيسبوك</a>'
            f'<a href="https://twitter.com/intent/tweet?url={link}" rel="external noopener nofollow" '
            'target="_blank" class="twitter-share-btn">تويتر</a>'
            f'<a href="https://api.whatsapp.com/send?text={link}" class="whatsapp-share-btn">واتساب</a>'
            f'<a href="mailto:?subject=%D8%A7%D9%84%D8%A3%D8%B3%D8%A8%D9%88%D8%B9&amp;body={link}" '
            'class="email-share-btn">بريد</a>'
            '<a href="javascript:window.print()" class="print-share-btn">طباعة</a></div>'
        )

    def footer(self) -> str:
        private = next((p for p in self.model.posts if p.kind == "private"), None)
        private_link = (
            f'<li><a href="{self.url(private.path)}" rel="nofollow">أرشيف التحرير</a></li>' if private else ""
        )
        sections = "".join(
            f'<li><a href="{self.url(s.path)}">{esc(s.name)}</a></li>' for s in self.model.sections
        )
        return (
            '<footer id="footer" class="site-footer dark-skin"><div class="container">'
            f'<ul class="footer-menu">{sections}{private_link}'
            f'<li><a href="{self.url("/wp-admin/")}" rel="nofollow">دخول المحررين</a></li>'
            '<li><a href="mailto:contact@alusbu.invalid">راسلنا</a></li>'
            '<li><a href="tel:+20200000000">اتصل بنا</a></li>'
            '<li><a href="https://www.youm7.com/" rel="external noopener" target="_blank">'
            "اليوم السابع</a></li>"
            '<li><a href="https://www.facebook.com/alosboa.news" rel="external noopener">'
            "تابعنا على فيسبوك</a></li></ul>"
            f'<div class="copyright-text">© 2025 {PUBLISHER}. جميع الحقوق محفوظة.</div></div></footer>'
        )

    # --- sidebar -----------------------------------------------------------------------------

    def widget(self, widget_id: str, title: str, links: list[tuple[str, str]]) -> str:
        items = "".join(
            '<li class="widget-single-post-item"><div class="post-widget-body">'
            f'<a class="post-title the-subtitle" href="{esc(href)}">{esc(text)}</a></div></li>'
            for text, href in links
        )
        return (
            f'<div id="{widget_id}" class="container-wrapper widget posts-list">'
            f'<div class="widget-title the-global-title"><div class="the-subtitle">{title}</div></div>'
            f'<div class="widget-posts-list-container"><ul class="posts-list-items">{items}</ul></div></div>'
        )

    def most_read_links(self) -> list[tuple[str, str]]:
        links = []
        for post_id in self.model.most_read:
            post = self.model.by_id[post_id]
            href = self.url(post.path)
            if post_id == self.model.tracked_id:
                href += TRACKING_QUERY
            links.append((post.title, href))
        return links

    def sidebar(self, post: Post | None = None) -> str:
        """Most-read plus a read-also widget: links to other articles that are NOT part of the page."""
        rng = random.Random(f"{self.model.seed}:sidebar:{post.id if post else 0}")
        candidates = rng.sample(self.articles, min(5, len(self.articles)))
        picks = [p for p in candidates if post is None or p.id != post.id][:4]
        return (
            '<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side" aria-label="الشريط الجانبي">'
            f"{self.widget('posts-list-widget-2', 'الأكثر قراءة', self.most_read_links())}"
            f"{self.ad(5)}"
            f"{self.widget('posts-list-widget-3', 'اقرأ أيضاً', [(p.title, self.url(p.path)) for p in picks])}"
            "</aside>"
        )

    # --- article pages -----------------------------------------------------------------------

    def article_head(self, post: Post) -> str:
        url, published = self.url(post.path), post.published.isoformat()
        modified = post.updated.isoformat()
        return (
            f'<link rel="canonical" href="{url}">\n'
            f'<meta name="description" content="{esc(self.excerpt(post))}">\n'
            '<meta property="og:locale" content="ar_AR">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{esc(post.title)}">\n'
            f'<meta property="og:description" content="{esc(self.excerpt(post))}">\n'
            f'<meta property="og:url" content="{url}">\n'
            f'<meta property="og:site_name" content="{PUBLISHER}">\n'
            f'<meta property="og:image" content="{self.url(post.image_path)}">\n'
            f'<meta property="article:section" content="{esc(post.section.name)}">\n'
            + "".join(f'<meta property="article:tag" content="{esc(tag)}">\n' for tag in post.tags)
            + f'<meta property="article:published_time" content="{published}">\n'
            f'<meta property="article:modified_time" content="{modified}">\n'
            '<meta name="twitter:card" content="summary_large_image">\n'
            f'<script type="application/ld+json">{self.json_ld(post)}</script>\n'
        )

    def json_ld(self, post: Post) -> str:
        url = self.url(post.path)
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": post.title,
            "description": self.excerpt(post),
            "datePublished": post.published.isoformat(),
            "dateModified": post.updated.isoformat(),
            "author": {
                "@type": "Person",
                "name": post.author.name,
                "url": self.url(author_path(post.author)),
            },
            "articleSection": post.section.name,
            "keywords": ",".join(post.tags),
            "inLanguage": "ar",
            "image": {"@type": "ImageObject", "url": self.url(post.image_path), "width": 780, "height": 470},
            "publisher": {
                "@type": "Organization",
                "name": PUBLISHER,
                "logo": {"@type": "ImageObject", "url": self.url(LOGO_PATH), "width": 300, "height": 80},
            },
        }
        # "</" would end the script element early; JSON allows the escaped form.
        return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")

    def entry_header(self, post: Post, *, titled: bool = True) -> str:
        title = f'<h1 class="post-title entry-title">{esc(post.title)}</h1>\n' if titled else ""
        return (
            '<header class="entry-header-outer container-wrapper">\n'
            f'<nav id="breadcrumb"><a href="{self.url("/")}">الرئيسية</a><em class="delimiter">/</em>'
            f'<a href="{self.url(post.section.path)}">{esc(post.section.name)}</a></nav>\n'
            '<div class="entry-header">\n'
            '<div class="post-cat-wrap">'
            f'<a class="post-cat tie-cat-{self.model.all_sections.index(post.section) + 2}" '
            f'href="{self.url(post.section.path)}">{esc(post.section.name)}</a></div>\n{title}'
            '<div class="single-post-meta post-meta clearfix">'
            '<div class="author-meta single-author with-avatars">'
            f'<div class="meta-author"><a href="{self.url(author_path(post.author))}" class="author-name '
            f'tie-icon" title="{esc(post.author.name)}">{esc(post.author.name)}</a></div></div>'
            f'<span class="date meta-item tie-icon"><time class="entry-date published updated" '
            f'datetime="{post.published.isoformat()}">{arabic_datetime(post.published)}</time></span>'
            "</div>\n</div>\n</header>"
        )

    def featured_image(self, post: Post) -> str:
        return (
            f'<figure class="single-featured-image"><img width="780" height="470" src="{post.image_path}" '
            'class="attachment-jannah-image-post size-jannah-image-post wp-post-image" '
            f'alt="{esc(post.title)}">'
            f'<figcaption class="single-caption-text">صورة أرشيفية</figcaption></figure>'
        )

    def source_field(self, post: Post) -> str:
        if not post.source_field:
            return ""
        return f'<div class="post-source"><span class="label">المصدر:</span> {esc(post.source_field)}</div>'

    def tag_links(self, post: Post) -> str:
        return "".join(f'<a href="{self.url(tag_path(t))}" rel="tag">{esc(t)}</a>' for t in post.tags)

    def tags(self, post: Post) -> str:
        return (
            '<div class="post-bottom-meta post-bottom-tags post-tags-modern">'
            f'<div class="post-tags">{self.tag_links(post)}</div></div>'
        )

    def comments(self, post: Post) -> str:
        rng = random.Random(f"{self.model.seed}:comments:{post.id}")
        texts = [*rng.sample(COMMENTS, 2), READ_ALSO_COMMENT]
        items = "".join(
            f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
            f'<b class="fn">{esc(rng.choice(COMMENTERS))}</b></footer>'
            f'<div class="comment-content"><p>{esc(text)}</p></div></article></li>'
            for text in texts
        )
        return (
            '<div id="comments" class="comments-area"><div id="add-comment-block" class="container-wrapper">'
            f'<h3 id="comments-title" class="section-title">تعليقات القراء ({len(texts)})</h3>'
            f'<ol class="comment-list">{items}</ol>'
            '<form action="/wp-comments-post.php" method="post" id="commentform"><textarea name="comment">'
            '</textarea><input name="submit" type="submit" value="إرسال التعليق"></form></div></div>'
        )

    def body_context(self, post: Post) -> RenderContext:
        rng = random.Random(f"{self.model.seed}:noise:{post.id}")
        return RenderContext(url=self.url, rng=rng, ad=self.ad, share=lambda: self.share(post))

    def article_main(self, post: Post, *, titled: bool = True) -> str:
        inside, after = render_body(post.blocks, post.layout, self.body_context(post))
        return (
            '<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">\n'
            '<article id="the-post" class="container-wrapper post-content tie-standard post '
            f'post-{post.id}">\n'
            f"{self.entry_header(post, titled=titled)}\n{self.ad(1)}\n{self.featured_image(post)}\n"
            f'<div class="entry-content entry clearfix">\n{inside}\n</div>\n'
            f"{after}\n{self.source_field(post)}\n"
            f'{self.tags(post)}\n<div class="post-footer post-footer-on-bottom">{self.share(post)}</div>\n'
            f"</article>\n{self.ad(2)}\n{self.comments(post)}\n</div>\n{self.sidebar(post)}"
        )

    def article_page(self, post: Post) -> str:
        body_class = f"post-template-default single single-post postid-{post.id} single-format-standard"
        return self.document(
            title=f"{post.title} - {PUBLISHER}",
            head=self.article_head(post),
            body_class=body_class,
            main=self.article_main(post),
            charset=post.encoding == "utf-8",
        )

    def untitled_page(self, post: Post) -> str:
        """An article page that lost every title: no h1, no og:title, no JSON-LD, empty <title>."""
        head = f'<link rel="canonical" href="{self.url(post.path)}">\n'
        return self.document(
            title="",
            head=head,
            body_class=f"single single-post postid-{post.id}",
            main=self.article_main(post, titled=False),
        )

    # --- listings ----------------------------------------------------------------------------

    def post_item(self, post: Post, href: str) -> str:
        return (
            '<li class="post-item tie-standard">'
            f'<a aria-label="{esc(post.title)}" href="{esc(href)}" class="post-thumb">'
            f'<img width="390" height="220" src="{post.image_path}" alt=""></a>'
            '<div class="post-details"><div class="post-meta clearfix">'
            f'<span class="date meta-item tie-icon">{arabic_date(post.published)}</span></div>'
            f'<h2 class="post-title"><a href="{esc(href)}">{esc(post.title)}</a></h2>'
            f'<p class="post-excerpt">{esc(self.excerpt(post))}</p></div></li>'
        )

    def item_href(self, post: Post) -> str:
        href = self.url(post.path)
        return href + TRACKING_QUERY if post.id == self.model.tracked_id else href

    def pagination(self, section: Section, page: int, pages: int) -> str:
        """WordPress ``paginate_links``: prev, numbers near the current page with dots, next."""
        parts = []
        if page > 1:
            parts.append(
                f'<a class="prev page-numbers" href="{self.url(section.page_path(page - 1))}">« السابق</a>'
            )
        shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
        previous = 0
        for number in shown:
            if number - previous > 1:
                parts.append('<span class="page-numbers dots">…</span>')
            if number == page:
                parts.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
            else:
                parts.append(
                    f'<a class="page-numbers" href="{self.url(section.page_path(number))}">{number}</a>'
                )
            previous = number
        if page < pages:
            parts.append(
                f'<a class="next page-numbers" href="{self.url(section.page_path(page + 1))}">التالي »</a>'
            )
        return (
            '<div class="pages-nav"><nav class="navigation pagination" aria-label="الصفحات">'
            f'<div class="nav-links">{"".join(parts)}</div></nav></div>'
        )

    def listing_main(self, heading: str, items: str, pagination: str = "") -> str:
        return (
            '<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">\n'
            f'<header class="entry-header-outer container-wrapper"><h1 class="page-title">{esc(heading)}</h1>'
            '</header>\n<div class="mag-box wide-post-box"><div class="container-wrapper">'
            '<div class="mag-box-container">'
            f'<ul id="posts-container" class="posts-items">{items}</ul></div></div></div>\n'
            f"{pagination}\n</div>\n{self.sidebar()}"
        )

    def listing_page(self, heading: str, body_class: str, posts: list[Post], pagination: str = "") -> str:
        items = "\n".join(self.post_item(p, self.item_href(p)) for p in posts)
        return self.document(
            title=f"{heading} - {PUBLISHER}",
            head=(
                '<meta property="og:type" content="website">\n'
                f'<meta property="og:site_name" content="{PUBLISHER}">\n'
            ),
            body_class=body_class,
            main=self.listing_main(heading, items, pagination),
        )

    def section_page(self, section: Section, page: int, pages: int, posts: list[Post]) -> str:
        return self.listing_page(
            section.name,
            f"archive category category-{section.slug}",
            posts,
            self.pagination(section, page, pages),
        )

    def home_page(self) -> str:
        boxes = []
        for section in self.model.sections:
            latest = [p for p in self.articles if p.section == section][:4]
            items = "\n".join(self.post_item(p, self.url(p.path)) for p in latest)
            boxes.append(
                f'<div class="mag-box"><div class="mag-box-title the-global-title"><h3>'
                f'<a href="{self.url(section.path)}">{esc(section.name)}</a></h3>'
                f'<a class="block-more-button" href="{self.url(section.path)}">المزيد</a></div>'
                f'<ul class="posts-items">{items}</ul></div>'
            )
        main = (
            '<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">\n'
            + "\n".join(boxes)
            + f"\n</div>\n{self.sidebar()}"
        )
        head = (
            f'<link rel="canonical" href="{self.url("/")}">\n'
            f'<meta name="description" content="{SITE_DESCRIPTION}">\n'
            '<meta property="og:type" content="website">\n'
        )
        return self.document(
            title=f"{PUBLISHER} - {SITE_DESCRIPTION}", head=head, body_class="home", main=main
        )

    def not_found_page(self) -> str:
        main = (
            '<div class="main-content tie-col-md-12" role="main"><div class="container-wrapper not-found">'
            '<h1 class="page-title">404 :(</h1><p>عذراً، الصفحة التي تبحث عنها غير موجودة.</p>'
            f'<a href="{self.url("/")}">العودة إلى الرئيسية</a></div></div>'
        )
        return self.document(
            title=f"الصفحة غير موجودة - {PUBLISHER}", head="", body_class="error404", main=main
        )

    def login_page(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="UTF-8"><title>تسجيل الدخول ‹ '
            f'{PUBLISHER}</title></head><body class="login"><form name="loginform" action="/wp-login.php" '
            'method="post"><input type="text" name="log"><input type="password" name="pwd">'
            '<input type="submit" value="دخول"></form></body></html>\n'
        )

    # --- feeds -------------------------------------------------------------------------------

    def rss(self, posts: list[Post]) -> str:
        items = "".join(
            f"<item><title>{xml_escape(p.title)}</title><link>{self.url(p.path)}</link>"
            f"<dc:creator><![CDATA[{p.author.name}]]></dc:creator>"
            f"<pubDate>{format_datetime(p.published)}</pubDate>"
            f"<category><![CDATA[{p.section.name}]]></category>"
            f'<guid isPermaLink="false">{self.url("/")}?p={p.id}</guid>'
            f"<description><![CDATA[{self.excerpt(p)}]]></description></item>\n"
            for p in posts
        )
        built = format_datetime(max(p.updated for p in posts)) if posts else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"<title>{PUBLISHER}</title>\n"
            f'<atom:link href="{self.url("/rss/1/")}" rel="self" type="application/rss+xml" />\n'
            f"<link>{self.url('/')}</link>\n<description>{SITE_DESCRIPTION}</description>\n"
            f"<lastBuildDate>{built}</lastBuildDate>\n<language>ar</language>\n{items}</channel>\n</rss>\n"
        )

    def sitemap_index(self, files: list[tuple[str, datetime]]) -> str:
        entries = "".join(
            f"<sitemap><loc>{self.url(path)}</loc><lastmod>{lastmod.isoformat()}</lastmod></sitemap>\n"
            for path, lastmod in files
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n'
        )

    def sitemap(self, posts: list[Post]) -> str:
        entries = "".join(
            f"<url><loc>{self.url(p.path)}</loc><lastmod>{p.updated.isoformat()}</lastmod></url>\n"
            for p in posts
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        )

    def robots(self, crawl_delay: float | None = None) -> str:
        delay = f"Crawl-delay: {crawl_delay:g}\n" if crawl_delay is not None else ""
        return (
            "User-agent: *\nDisallow: /wp-admin/\nDisallow: /private/\nAllow: /wp-admin/admin-ajax.php\n"
            f"{delay}\nSitemap: {self.url('/sitemap.xml')}\n"
        )
