"""Project signals (Scrapy's dispatcher): stages talk to extensions through these, not globals."""

# Sent by the store stage after each article is written. Arguments: article
# (crawler.items.Article), result (crawler.store.SaveResult), store
# (crawler.store.ArticleStore, to read the stored record back).
article_stored = object()

# Sent by a stage that rejects a fetched page for a lasting reason, so that incremental
# runs do not fetch it again (pipelines/lens.py: nothing relevant). Arguments: url (the
# canonical URL the spider requested), reason (the failed_pages reason). The spider
# remembers it when it records failures (crawler/spiders/flags.py records_failures).
page_rejected = object()
