"""A local mirror of Al-Osboa (الأسبوع) for tests and demos: pages, feeds, sitemaps, manifest.

``build_site()`` renders a deterministic site in memory (``template="changed"``: article
pages as after a CMS redesign; ``js_section=True``: a section only JavaScript fills, see
:mod:`devsite.mirror.jsapp`); ``site.add_articles(k)`` publishes more, even while served;
``MirrorServer`` serves it on 127.0.0.1 (``delay``: slow article pages; ``faults``: a
:class:`FaultPlan` that makes some article pages fail, see :mod:`devsite.mirror.faults`);
``site.manifest`` lists the records a correct crawl must produce, and ``plan.expected(manifest)``
what a correct crawl makes of each page when faults are on.
"""

from devsite.mirror.faults import FaultLog, FaultPlan, FaultRecord
from devsite.mirror.server import MirrorServer, RequestLog, RequestRecord
from devsite.mirror.site import TEMPLATES, MirrorSite, Route, build_site

__all__ = [
    "TEMPLATES",
    "FaultLog",
    "FaultPlan",
    "FaultRecord",
    "MirrorServer",
    "MirrorSite",
    "RequestLog",
    "RequestRecord",
    "Route",
    "build_site",
]
