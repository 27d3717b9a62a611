"""The text room: libraries that read and normalise article text, with no Scrapy in them.

Arabic display and matching forms (``arabic``), the label lexicon (``lexicon``),
URL canonicalisation (``urls``), dates (``dates``), read-also chains
(``readalso``), source credits (``sources``), social embeds (``embeds``) and
near-duplicate fingerprints (``neardup``). The pipeline stages, the exporters
and the commands call these; nothing here imports a stage.
"""
