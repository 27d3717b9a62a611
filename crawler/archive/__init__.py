"""The web archive: every response a crawl receives, kept as standard WARC.

``records`` reads and writes the project's WARC records (the one place that
knows their headers); the archive writer, replay (``scrapy reextract``,
``-a archive=PATH``) and the Common Crawl backfill all build on it.
"""
