"""The daily brief (``scrapy brief``): one self-contained right-to-left HTML page for analysts.

:mod:`crawler.brief.queries` reads the period's figures from the store (SQLite or
PostgreSQL), :mod:`crawler.brief.charts` draws them with matplotlib as SVG, and
:mod:`crawler.brief.page` puts them in the page with the font inlined, so opening
it makes no request to any host.
"""
