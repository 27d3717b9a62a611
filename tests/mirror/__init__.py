"""A local mirror of Al-Osboa (الأسبوع) for tests and demos: pages, feeds, sitemaps, manifest.

``build_site()`` renders a deterministic site in memory (``template="changed"``: article
pages as after a CMS redesign; ``js_section=True``: a section only JavaScript fills, see
:mod:`tests.mirror.jsapp`); ``site.add_articles(k)`` publishes more, even while served;
``MirrorServer`` serves it on 127.0.0.1 (``delay``: slow article pages);
``site.manifest`` lists the records a correct crawl must produce.
"""

from tests.mirror.server import MirrorServer, RequestLog, RequestRecord
from tests.mirror.site import TEMPLATES, MirrorSite, Route, build_site

__all__ = ["TEMPLATES", "MirrorServer", "MirrorSite", "RequestLog", "RequestRecord", "Route", "build_site"]
