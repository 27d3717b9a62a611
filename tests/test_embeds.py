"""Embedded posts of every platform: the element recognised in a body, and the Embed record.

Each snippet is in the markup the platform's embed code produces (Twitter's
blockquote + widgets.js, Telegram's widget script, Facebook's SDK div and
plugin iframe, Instagram's blockquote in English and Arabic, YouTube's iframe,
youtube-nocookie, lite-youtube, WordPress's embed block), as newsrooms paste it.
"""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from crawler.extract.embeds import RECOGNISERS, embed_block
from crawler.items import Block, Embed, Link
from crawler.text.embeds import embed_from_block, link_card, post_url, split_embeds

BASE = "https://www.example-news.com/news/2024/06/12/123456"
P1 = "أعلنت وزارة الدفاع عن بدء مناورات بحرية مشتركة في البحر الأحمر بمشاركة وحدات من القوات البحرية والجوية."


def element(html: str) -> HtmlElement:
    """The first element of a body fragment, as the walker meets it."""
    body = lxml.html.document_fromstring(f"<html><body><div id='body'>{html}</div></body></html>").body
    return body[0][0]


def one_embed(html: str) -> tuple[Block, Embed]:
    block = embed_block(element(html), BASE)
    assert block is not None, html
    body, embeds = split_embeds([Block(P1), block])
    assert [b.text for b in body] == [P1]
    [embed] = embeds
    return block, embed


TWEET = (
    '<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">'
    "اعترضت قواتنا طائرتين مسيرتين فوق البحر الأحمر "
    '<a href="https://t.co/AbCdEf123">pic.twitter.com/AbCdEf123</a></p>'
    "&mdash; U.S. Central Command (@CENTCOM) "
    '<a href="https://twitter.com/CENTCOM/status/1720000000000000001?ref_src=twsrc%5Etfw">November 2, 2023</a>'
    '</blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
)


def test_tweet_blockquote() -> None:
    block, embed = one_embed(TWEET)
    assert block.tag == "blockquote"
    assert "embed:twitter" in block.hints
    assert block.links[0] == Link(
        "November 2, 2023", "https://twitter.com/CENTCOM/status/1720000000000000001"
    )
    assert (embed.platform, embed.author, embed.handle, embed.posted_at) == (
        "twitter",
        "U.S. Central Command",
        "@CENTCOM",
        "2023-11-02",
    )
    assert embed.url == "https://twitter.com/CENTCOM/status/1720000000000000001"
    assert embed.text.startswith("اعترضت قواتنا طائرتين مسيرتين")
    assert embed.links == ["https://t.co/AbCdEf123"]


def test_amp_tweet_keeps_its_placeholder_post() -> None:
    """amp-twitter names the tweet by id; the placeholder blockquote inside has the text,
    the author and the URL under the author's handle: the embed is read from it."""
    html = (
        '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1720000000000000001">'
        + TWEET.replace('class="twitter-tweet"', 'placeholder class="twitter-tweet"').split(" <script")[0]
        + "</amp-twitter>"
    )
    block, embed = one_embed(html)
    assert block.tag == "amp-twitter"
    assert (embed.platform, embed.author, embed.handle) == ("twitter", "U.S. Central Command", "@CENTCOM")
    assert embed.url == "https://twitter.com/CENTCOM/status/1720000000000000001"
    assert embed.text.startswith("اعترضت قواتنا طائرتين مسيرتين")


def test_amp_tweet_with_another_tweet_inside_keeps_its_own_id() -> None:
    html = (
        '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1999999999999999999">'
        + TWEET.split(" <script")[0]
        + "</amp-twitter>"
    )
    _, embed = one_embed(html)
    assert embed.url == "https://twitter.com/i/status/1999999999999999999"


def test_tweet_widget_script_is_not_an_embed() -> None:
    script = element('<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
    assert embed_block(script, BASE) is None


def test_rendered_tweet_iframe() -> None:
    # what widgets.js leaves in a saved page
    html = (
        '<div class="twitter-tweet twitter-tweet-rendered" style="display: flex;">'
        '<iframe id="twitter-widget-0" scrolling="no" frameborder="0" allowtransparency="true" '
        'class="" title="X Post" src="https://platform.twitter.com/embed/Tweet.html?dnt=false&amp;'
        'embedId=twitter-widget-0&amp;frame=false&amp;id=1797000000000000000&amp;lang=ar" '
        'data-tweet-id="1797000000000000000"></iframe></div>'
    )
    block, embed = one_embed(html)
    assert (block.tag, block.text) == ("div", "")
    assert (embed.platform, embed.url, embed.handle) == (
        "twitter",
        "https://twitter.com/i/status/1797000000000000000",
        "",
    )


def test_telegram_widget_script() -> None:
    html = (
        '<script async src="https://telegram.org/js/telegram-widget.js?22" '
        'data-telegram-post="military_news_ar/4521" data-width="100%"></script>'
    )
    block, embed = one_embed(html)
    assert (block.tag, block.text, block.hints) == ("script", "", ("embed:telegram",))
    assert block.links[0].href == "https://t.me/military_news_ar/4521"
    assert (embed.platform, embed.handle, embed.url, embed.text) == (
        "telegram",
        "military_news_ar",
        "https://t.me/military_news_ar/4521",
        "",
    )


@pytest.mark.parametrize(
    "html",
    [
        # the login and discussion widgets use the same script: no post
        '<script async src="https://telegram.org/js/telegram-widget.js?22" data-telegram-login="samplebot" data-size="large"></script>',
        '<script async src="https://telegram.org/js/telegram-widget.js?22" data-telegram-discussion="military_news_ar/4521"></script>',
        "<script>window.twttr = (function(d, s, id) {})(document, 'script', 'twitter-wjs');</script>",
        '<iframe src="https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fwww.facebook.com%2FPage" width="90" height="20"></iframe>',
        '<iframe src="https://www.google.com/maps/embed?pb=!1m18" width="600" height="450"></iframe>',
        '<div class="fb-page" data-href="https://www.facebook.com/MoDUAE" data-tabs="timeline"></div>',
        "<p>نص عادي بلا أي تضمين</p>",
    ],
)
def test_not_embeds(html: str) -> None:
    assert embed_block(element(html), BASE) is None


def test_telegram_rendered_iframe_in_a_wrapper() -> None:
    html = (
        '<p><iframe id="telegram-post-military_news_ar-4521" src="https://t.me/military_news_ar/4521?embed=1&amp;userpic=true" '
        'width="100%" height="" frameborder="0" scrolling="no" style="overflow: hidden; border: none;"></iframe></p>'
    )
    block, embed = one_embed(html)
    assert block.tag == "p"  # the wrapper: the walker must not descend into it
    assert (embed.platform, embed.handle, embed.url) == (
        "telegram",
        "military_news_ar",
        "https://t.me/military_news_ar/4521",
    )


FB_POST = (
    '<div class="fb-post" data-href="https://www.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC?ref=embed_post" '
    'data-width="500" data-show-text="true"><blockquote cite="https://developers.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC" '
    'class="fb-xfbml-parse-ignore"><p>القوات المسلحة تنفذ مشروعا تدريبيا بالذخيرة الحية في المنطقة الجنوبية</p>'
    'تم النشر بواسطة ‏<a href="https://www.facebook.com/MoDEgypt">المتحدث العسكري للقوات المسلحة</a>‏ في '
    '<a href="https://developers.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC">الخميس، ١٣ يونيو ٢٠٢٤</a>'
    "</blockquote></div>"
)


def test_facebook_sdk_post() -> None:
    block, embed = one_embed(FB_POST)
    assert (block.tag, block.hints) == ("div", ("embed:facebook",))
    assert block.links[0].href == "https://www.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC"
    assert (embed.platform, embed.handle, embed.author, embed.posted_at) == (
        "facebook",
        "MoDEgypt",
        "المتحدث العسكري للقوات المسلحة",
        "2024-06-13",
    )
    assert embed.url == "https://www.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC"
    assert embed.text == "القوات المسلحة تنفذ مشروعا تدريبيا بالذخيرة الحية في المنطقة الجنوبية"
    assert embed.links == []  # the page's profile and the post itself are not links of the post


def test_facebook_sdk_video_in_english() -> None:
    html = (
        '<div class="fb-video" data-href="https://www.facebook.com/facebook/videos/10153231379946729/" '
        'data-width="500" data-show-text="false"><blockquote cite="https://developers.facebook.com/facebook/videos/10153231379946729/" '
        'class="fb-xfbml-parse-ignore"><a href="https://developers.facebook.com/facebook/videos/10153231379946729/">'
        "How to Share With Just Friends</a><p>How to share with just friends.</p>Posted by "
        '<a href="https://www.facebook.com/facebook/">Facebook</a> on Friday, December 5, 2014</blockquote></div>'
    )
    _, embed = one_embed(html)
    assert (embed.handle, embed.author, embed.posted_at) == ("facebook", "Facebook", "2014-12-05")
    assert embed.url == "https://www.facebook.com/facebook/videos/10153231379946729"
    assert embed.text == "How to Share With Just Friends How to share with just friends."


def test_facebook_plugin_iframe_in_a_noise_wrapper() -> None:
    # Sputnik Arabic: div.ria-fb (a "fb" class word, noise to the walker) around the plugin iframe
    html = (
        '<div class="ria-fb"><iframe src="https://www.facebook.com/plugins/post.php?href=https%3A%2F%2F'
        'www.facebook.com%2Fegypt.mohp%2Fposts%2F139298604287427&amp;width=500" width="500" height="485" '
        'frameborder="0" style="border: none; overflow: hidden;"></iframe></div>'
    )
    block, embed = one_embed(html)
    assert (block.tag, block.text) == ("div", "")
    assert (embed.platform, embed.handle, embed.url) == (
        "facebook",
        "egypt.mohp",
        "https://www.facebook.com/egypt.mohp/posts/139298604287427",
    )


def test_facebook_video_plugin_iframe() -> None:
    html = (
        '<iframe src="https://www.facebook.com/plugins/video.php?height=314&amp;href=https%3A%2F%2F'
        'www.facebook.com%2FAlArabiya%2Fvideos%2F1234567890123456%2F&amp;show_text=false&amp;width=560&amp;t=0" '
        'width="560" height="314" style="border:none;overflow:hidden" scrolling="no" frameborder="0" '
        'allowfullscreen="true" allow="autoplay; clipboard-write; encrypted-media; picture-in-picture; web-share"></iframe>'
    )
    _, embed = one_embed(html)
    assert (embed.platform, embed.handle, embed.url) == (
        "facebook",
        "AlArabiya",
        "https://www.facebook.com/AlArabiya/videos/1234567890123456",
    )


# Instagram's current embed code (v14): the caption is not in the markup.
INSTAGRAM_AR = (
    '<blockquote class="instagram-media" data-instgrm-captioned '
    'data-instgrm-permalink="https://www.instagram.com/p/C7xYz12AbCd/?utm_source=ig_embed&amp;utm_campaign=loading" '
    'data-instgrm-version="14" style="background:#FFF; border:0; border-radius:3px; margin: 1px; max-width:540px;">'
    '<div style="padding:16px;"> <a href="https://www.instagram.com/p/C7xYz12AbCd/?utm_source=ig_embed&amp;utm_campaign=loading" '
    'style="background:#FFFFFF; line-height:0; padding:0 0; text-align:center; text-decoration:none; width:100%;" target="_blank">'
    '<div style="display: flex; flex-direction: row; align-items: center;"><div style="background-color: #F4F4F4; '
    'border-radius: 50%; flex-grow: 0; height: 40px; margin-right: 14px; width: 40px;"></div></div>'
    '<div style="padding: 19% 0;"></div><div style="padding-top: 8px;"><div style="color:#3897f0; font-family:Arial,sans-serif; '
    'font-size:14px; font-style:normal; font-weight:550; line-height:18px;">عرض هذا المنشور على Instagram</div></div></a>'
    '<p style="color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px; line-height:17px; margin-bottom:0; margin-top:8px; '
    'overflow:hidden; padding:8px 0 7px; text-align:center; text-overflow:ellipsis; white-space:nowrap;">'
    '<a href="https://www.instagram.com/p/C7xYz12AbCd/?utm_source=ig_embed&amp;utm_campaign=loading" '
    'style="color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px; font-style:normal; font-weight:normal; '
    'line-height:17px; text-decoration:none;" target="_blank">تمت مشاركة منشور بواسطة ‏وزارة الدفاع‏ (@uae_mod)</a></p></div>'
    '</blockquote> <script async src="//www.instagram.com/embed.js"></script>'
)

# Older captioned code (v12 and before): caption, author link and <time datetime>.
INSTAGRAM_EN = (
    '<blockquote class="instagram-media" data-instgrm-captioned '
    'data-instgrm-permalink="https://www.instagram.com/p/BuvGx7wnK4t/?utm_source=ig_embed" data-instgrm-version="12" '
    'style=" background:#FFF; border:0; margin: 1px; max-width:540px;"><div style="padding:16px;">'
    '<a href="https://www.instagram.com/p/BuvGx7wnK4t/?utm_source=ig_embed" target="_blank"> '
    "<div>View this post on Instagram</div></a>"
    '<p style=" margin:8px 0 0 0; padding:0 4px;"><a href="https://www.instagram.com/p/BuvGx7wnK4t/?utm_source=ig_embed" '
    'target="_blank">Sailors aboard the aircraft carrier conduct flight operations in the Red Sea. '
    '<a href="https://www.instagram.com/explore/tags/navy/">#navy</a></a></p> '
    '<p style=" color:#c9c8cd; font-family:Arial,sans-serif;">A post shared by '
    '<a href="https://www.instagram.com/usnavy/" target="_blank"> U.S. Navy</a> (@usnavy) on '
    '<time style=" font-family:Arial,sans-serif;" datetime="2019-03-06T15:30:13+00:00">Mar 6, 2019 at 7:30am PST</time></p>'
    "</div></blockquote>"
)


def test_instagram_arabic_embed() -> None:
    block, embed = one_embed(INSTAGRAM_AR)
    assert (block.tag, block.hints) == ("blockquote", ("embed:instagram",))
    assert block.links[0].href == "https://www.instagram.com/p/C7xYz12AbCd/"
    assert (embed.platform, embed.author, embed.handle) == ("instagram", "وزارة الدفاع", "@uae_mod")
    assert embed.url == "https://www.instagram.com/p/C7xYz12AbCd/"
    assert (embed.text, embed.posted_at, embed.links) == ("", "", [])


def test_instagram_captioned_embed_with_time() -> None:
    block, embed = one_embed(INSTAGRAM_EN)
    assert "embed-posted:2019-03-06T15:30:13+00:00" in block.hints
    assert (embed.author, embed.handle, embed.posted_at) == ("U.S. Navy", "@usnavy", "2019-03-06")
    assert embed.url == "https://www.instagram.com/p/BuvGx7wnK4t/"
    assert embed.text == "Sailors aboard the aircraft carrier conduct flight operations in the Red Sea. #navy"


@pytest.mark.parametrize(
    "html",
    [
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/K68t2PpnQJc?si=Xb3kq9lL2" '
        'title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; '
        'encrypted-media; gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/K68t2PpnQJc?rel=0" frameborder="0" allowfullscreen></iframe>',
        # lazy-loading themes: the URL in data-src, src left blank
        '<iframe src="about:blank" data-src="//www.youtube.com/embed/K68t2PpnQJc" class="lazyload" allowfullscreen></iframe>',
        # cookie-consent tools: the URL in their own attribute until the reader consents
        '<iframe width="640" height="360" data-cookieconsent="marketing" '
        'data-cookieblock-src="https://www.youtube.com/embed/K68t2PpnQJc" src="" allowfullscreen></iframe>',
        '<iframe class="cmplz-iframe" data-cmplz-src="https://www.youtube.com/embed/K68t2PpnQJc" src="about:blank"></iframe>',
        '<lite-youtube videoid="K68t2PpnQJc" playlabel="Play: مناورات بحرية"></lite-youtube>',
        # Sputnik's b-inject card around the player
        '<div class="b-inject m-inject-free m-inject-videoembed"><div class="b-inject__media">'
        '<iframe src="https://www.youtube.com/embed/K68t2PpnQJc" width="560" height="315" allowfullscreen="true" frameborder="0"></iframe></div></div>',
        # WordPress's embed block, rendered
        '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio">'
        '<div class="wp-block-embed__wrapper"><iframe loading="lazy" title="مناورات بحرية مشتركة" width="500" height="281" '
        'src="https://www.youtube.com/embed/K68t2PpnQJc?feature=oembed" frameborder="0" allowfullscreen></iframe></div>'
        "<figcaption>فيديو المناورات</figcaption></figure>",
        # ... and as saved before oEmbed ran: the bare URL
        '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=K68t2PpnQJc\n</div></figure>",
    ],
)
def test_youtube_players(html: str) -> None:
    block, embed = one_embed(html)
    assert block.tag == element(html).tag
    assert (block.text, block.hints) == ("", ("embed:youtube",))
    assert block.links[0].href == "https://www.youtube.com/watch?v=K68t2PpnQJc"
    assert (embed.platform, embed.url, embed.handle, embed.text) == (
        "youtube",
        "https://www.youtube.com/watch?v=K68t2PpnQJc",
        "",
        "",
    )


def test_wordpress_embed_block_holding_a_tweet() -> None:
    html = (
        '<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter">'
        f'<div class="wp-block-embed__wrapper">{TWEET}</div></figure>'
    )
    block, embed = one_embed(html)
    assert (block.tag, block.hints) == ("figure", ("embed:twitter",))
    assert (embed.handle, embed.url) == ("@CENTCOM", "https://twitter.com/CENTCOM/status/1720000000000000001")


def test_a_paragraph_with_text_is_no_wrapper() -> None:
    html = (
        f"<p>{P1}<script async src='https://telegram.org/js/telegram-widget.js?22' "
        "data-telegram-post='military_news_ar/4521'></script></p>"
    )
    paragraph = element(html)
    assert embed_block(paragraph, BASE) is None
    assert embed_block(paragraph[0], BASE) is not None  # the walker meets the script itself


def test_two_embeds_in_one_wrapper_are_walked() -> None:
    html = f"<div>{TWEET}{INSTAGRAM_AR}</div>"
    assert embed_block(element(html), BASE) is None


# -- link cards --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "platform", "handle", "url"),
    [
        (
            Block(
                "https://t.me/military_news_ar/4521",
                [Link("https://t.me/military_news_ar/4521", "https://t.me/military_news_ar/4521")],
            ),
            "telegram",
            "military_news_ar",
            "https://t.me/military_news_ar/4521",
        ),
        (
            Block("https://t.me/s/military_news_ar/4521"),
            "telegram",
            "military_news_ar",
            "https://t.me/military_news_ar/4521",
        ),
        (
            Block("شاهد: Telegram", [Link("Telegram", "https://t.me/military_news_ar/4521?single")]),
            "telegram",
            "military_news_ar",
            "https://t.me/military_news_ar/4521",
        ),
        (
            Block(
                "https://twitter.com/IDF/status/1780000000000000000?s=20",
                [
                    Link(
                        "https://twitter.com/IDF/status/1780000000000000000?s=20",
                        "https://twitter.com/IDF/status/1780000000000000000?s=20",
                    )
                ],
            ),
            "twitter",
            "@IDF",
            "https://twitter.com/IDF/status/1780000000000000000",
        ),
        (
            Block("شاهد الفيديو", [Link("شاهد الفيديو", "https://youtu.be/K68t2PpnQJc")]),
            "youtube",
            "",
            "https://www.youtube.com/watch?v=K68t2PpnQJc",
        ),
    ],
)
def test_link_cards(block: Block, platform: str, handle: str, url: str) -> None:
    body, [embed] = split_embeds([Block(P1), block])
    assert [b.text for b in body] == [P1]
    assert (embed.platform, embed.handle, embed.url) == (platform, handle, url)


@pytest.mark.parametrize(
    "block",
    [
        # a sentence that links a post cites it: it stays in the body
        Block(
            "وقال الجيش في بيان نشره على قناته في تلغرام إن الهجوم أحبط",
            [Link("تلغرام", "https://t.me/military_news_ar/4521")],
        ),
        # a channel, not a post
        Block(
            "https://t.me/military_news_ar",
            [Link("https://t.me/military_news_ar", "https://t.me/military_news_ar")],
        ),
        # two posts: a list, not a card
        Block("https://t.me/a_channel/1 https://t.me/b_channel/2"),
        Block(
            "اقرأ أيضا: وزير الدفاع يستقبل نظيره",
            [Link("وزير الدفاع يستقبل نظيره", "https://www.example-news.com/news/1")],
        ),
    ],
)
def test_not_link_cards(block: Block) -> None:
    assert link_card(block) is None
    body, embeds = split_embeds([block])
    assert (body, embeds) == ([block], [])


# -- URLs and the table -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://x.com/CENTCOM/status/1720000000000000001?ref_src=twsrc%5Etfw",
            "https://x.com/CENTCOM/status/1720000000000000001",
        ),
        (
            "https://mobile.twitter.com/CENTCOM/status/1720000000000000001/photo/1",
            "https://twitter.com/CENTCOM/status/1720000000000000001",
        ),
        (
            "https://www.facebook.com/permalink.php?story_fbid=123&id=456&ref=embed_post",
            "https://www.facebook.com/permalink.php?story_fbid=123&id=456",
        ),
        ("https://www.facebook.com/watch/?v=987654321", "https://www.facebook.com/watch?v=987654321"),
        (
            "https://www.instagram.com/reel/C7xYz12AbCd/embed/captioned/?cr=1&v=14",
            "https://www.instagram.com/reel/C7xYz12AbCd/",
        ),
        ("https://youtu.be/K68t2PpnQJc?si=Xb3kq9lL2", "https://www.youtube.com/watch?v=K68t2PpnQJc"),
        ("https://www.youtube.com/shorts/K68t2PpnQJc", "https://www.youtube.com/watch?v=K68t2PpnQJc"),
        ("https://www.youtube.com/embed/videoseries?list=PLx1", "https://www.youtube.com/playlist?list=PLx1"),
    ],
)
def test_post_urls(url: str, canonical: str) -> None:
    post = post_url(url)
    assert post is not None
    assert post.url == canonical


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/MoDEgypt",
        "https://www.instagram.com/uae_mod/",
        "https://www.youtube.com/@channel",
        "https://t.me/c/12345/67",
        BASE,
    ],
)
def test_not_post_urls(url: str) -> None:
    assert post_url(url) is None


def test_every_recogniser_names_what_it_matches() -> None:
    for recogniser in RECOGNISERS:
        assert recogniser.tags or recogniser.classes
        assert recogniser.attributes or recogniser.keeps_text or recogniser.wrapper


def test_embed_from_block_without_markup_fields() -> None:
    embed = embed_from_block(
        Block("", [Link("x", "https://t.me/military_news_ar/4521")], "script", ("embed:telegram",)),
        "telegram",
    )
    assert (embed.handle, embed.url, embed.links) == (
        "military_news_ar",
        "https://t.me/military_news_ar/4521",
        [],
    )


def test_rendered_instagram_iframe() -> None:
    # embed.js replaces the blockquote with an iframe that keeps its class
    html = (
        '<iframe class="instagram-media instagram-media-rendered" id="instagram-embed-0" '
        'src="https://www.instagram.com/p/C7xYz12AbCd/embed/captioned/?cr=1&amp;v=14&amp;wp=540&amp;rd=https%3A%2F%2Fwww.example-news.com" '
        'allowtransparency="true" allowfullscreen="true" frameborder="0" height="910" data-instgrm-payload-id="instagram-media-payload-0" '
        'scrolling="no" style="background: white; max-width: 540px; width: calc(100% - 2px);"></iframe>'
    )
    block, embed = one_embed(html)
    assert (block.tag, block.hints) == ("iframe", ("embed:instagram",))
    assert (embed.platform, embed.url) == ("instagram", "https://www.instagram.com/p/C7xYz12AbCd/")


def test_empty_placeholder_is_nothing() -> None:
    # a theme's lazy placeholder before the script runs: no text, no URL
    assert embed_block(element('<div class="twitter-tweet"></div>'), BASE) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.text(max_size=60))
def test_never_raises_on_any_url_or_text(url: str, text: str) -> None:
    post_url(url)
    post_url("https://t.me/" + url)
    post_url("https://www.facebook.com/plugins/post.php?href=" + url)
    split_embeds(
        [Block(text, [Link(text, url)]), Block(url, [], "p", ("embed:facebook", "embed-posted:" + text))]
    )
    embed_block(element(f'<iframe src="{url}"></iframe>'), BASE)


@pytest.mark.parametrize(
    ("html", "platform", "url"),
    [
        (
            '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1720000000000000001"></amp-twitter>',
            "twitter",
            "https://twitter.com/i/status/1720000000000000001",
        ),
        (
            '<amp-instagram data-shortcode="C7xYz12AbCd" data-captioned width="400" height="400" layout="responsive"></amp-instagram>',
            "instagram",
            "https://www.instagram.com/p/C7xYz12AbCd/",
        ),
        (
            '<amp-facebook width="552" height="310" layout="responsive" data-href="https://www.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC"></amp-facebook>',
            "facebook",
            "https://www.facebook.com/MoDEgypt/posts/pfbid02xYz123AbC",
        ),
        (
            '<amp-youtube data-videoid="K68t2PpnQJc" layout="responsive" width="480" height="270"></amp-youtube>',
            "youtube",
            "https://www.youtube.com/watch?v=K68t2PpnQJc",
        ),
    ],
)
def test_amp_embeds(html: str, platform: str, url: str) -> None:
    block, embed = one_embed(html)
    assert block.hints == (f"embed:{platform}",)
    assert (embed.platform, embed.url) == (platform, url)


def test_a_cms_tweet_card_with_its_status_link() -> None:
    html = (
        '<div class="tweet" data-component-name="Twitter2ToDOM"><a class="tweet-link-top" '
        'href="https://x.com/redsea_watch_obs/status/1907566112233445566"><div class="tweet-header">'
        '<span class="tweet-author-name">Red Sea Watch</span><span class="tweet-author-handle">@redsea_watch_obs</span>'
        '</div><div class="tweet-text">Two escorts, eleven merchant ships, one night.</div></a></div>'
    )
    _, embed = one_embed(html)
    assert (embed.platform, embed.url) == (
        "twitter",
        "https://x.com/redsea_watch_obs/status/1907566112233445566",
    )


def test_a_tweet_share_button_is_no_embed() -> None:
    button = element(
        '<div class="tweet"><a href="https://twitter.com/intent/tweet?text=x&amp;url=https://example.com/a">غرّد</a></div>'
    )
    assert embed_block(button, BASE) is None
