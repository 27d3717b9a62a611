"""One spider per site profile, made here so that a new outlet needs no spider code.

Scrapy's spider loader collects the Spider subclasses of this module; each is
a bare :class:`NewsSpider` named after its profile (``scrapy crawl alusbu``
crawls ``crawler/profiles/alusbu.py``'s site). Every profile gets one: no site
needs spider code of its own (crawler/spiders/generic.py is the one hand-written
spider, for sites without a profile).
"""

from __future__ import annotations

from crawler.profiles import PROFILES
from crawler.spiders.base import NewsSpider


def spider_class(profile_name: str) -> type[NewsSpider]:
    profile = PROFILES[profile_name]
    class_name = "".join(part.title() for part in profile_name.split("_")) + "Spider"
    return type(
        class_name,
        (NewsSpider,),
        {
            "name": profile_name,
            "__module__": __name__,
            "__doc__": f"{profile.publisher} ({profile.base_url}), from crawler/profiles/{profile_name}.py.",
        },
    )


def _register() -> None:
    for name in sorted(PROFILES):
        spider = spider_class(name)
        globals()[spider.__name__] = spider


_register()
