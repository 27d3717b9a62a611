"""Page → raw article: metadata and the body as ordered blocks."""

from crawler.extract.article import Extraction, ExtractionError, extract_bytes, extract_html, extract_text

__all__ = ["Extraction", "ExtractionError", "extract_bytes", "extract_html", "extract_text"]
