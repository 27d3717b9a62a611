"""Project signals (Scrapy's dispatcher): stages talk to extensions through these, not globals."""

# Sent by the store stage after each article is written. Arguments: article
# (crawler.items.Article), result (crawler.store.SaveResult), store
# (crawler.store.ArticleStore, to read the stored record back).
article_stored = object()
