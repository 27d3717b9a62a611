"""Item pipelines: the stages, one module each, in the order crawler/settings.py runs them.

0. prepare (50): where an extraction worker runs, the pure part of stages 1-6 runs there
   (pipelines/prepare.py); each stage then only counts.
1. normalise (100): display form of every text (crawler/text/arabic.py); flattened tweet
   signatures unglued from the paragraph after them.
2. readalso (200): read-also chains out of the body, appended articles into records of their
   own (crawler/text/readalso.py).
3. attribute (300): embeds, source credits and cited outlets out of the body; the article's
   source is what the page credits, or nothing (crawler/text/embeds.py, sources.py,
   crawler/lens/cited.py).
4. dates (400): date lines out of the head of the body; the publish date and its precision
   (crawler/text/dates.py).
5. lens (450): relevance, topics and actors (crawler/lens/).
6. dedup (500): canonical URL, content hash and near-duplicate fingerprint
   (crawler/text/neardup.py).
7. store (600): the SQLAlchemy store (crawler/store/), on a writer thread.

Each stage is thin wiring: it takes the page, calls library code, counts in the crawl stats,
and passes the page on. No stage imports another.
"""
