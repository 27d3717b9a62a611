"""Al-Osboa (الأسبوع): everything site-specific lives in crawler/profiles/alusbu.py."""

from crawler.spiders.base import NewsSpider


class AlusbuSpider(NewsSpider):
    name = "alusbu"
