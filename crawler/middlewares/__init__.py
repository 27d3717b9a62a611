"""Downloader middlewares: the request guard (``guard``: which requests a crawl may
send at all) and the charset repair of responses (``charset``)."""
