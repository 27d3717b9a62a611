"""The defence-news lens: relevance and topics, cited sources, actors, story clusters.

Pure functions over an article's title and body (matching forms from
crawler.text.arabic), each with its curated lexicon or gazetteer in its own
module, measured on the labelled sets in tests/lens/ (docs/lens.md).
pipelines/lens.py applies them; the store keeps what they find.
"""
