"""A local mirror of Al-Osboa (الأسبوع) for tests and demos: pages, feeds, sitemaps, manifest.

``build_site()`` renders a deterministic site in memory; ``site.add_articles(k)`` publishes
more, even while served; ``MirrorServer`` serves it on 127.0.0.1 (``delay``: slow article
pages); ``site.manifest`` lists the records a correct crawl must produce.
"""

from tests.mirror.server import MirrorServer, RequestLog, RequestRecord
from tests.mirror.site import MirrorSite, Route, build_site

__all__ = ["MirrorServer", "MirrorSite", "RequestLog", "RequestRecord", "Route", "build_site"]
