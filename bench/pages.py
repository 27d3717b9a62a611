"""The pages the in-process benchmarks run on: the mirror's article pages, ../shared's real
pages and, when asked, the template families' and held-out pages of tests/."""

from __future__ import annotations

from dataclasses import dataclass

from devsite.harness import REALPAGES
from devsite.mirror.site import build_site


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    source: str  # "mirror", "realpages" or "templates"


def corpus(mirror_articles: int = 200, *, templates: bool = False) -> list[Page]:
    site = build_site(n_articles=mirror_articles, base_url="https://www.elaosboa.com")
    pages = [
        Page(
            record["url"],
            site.routes[record["url"].removeprefix("https://www.elaosboa.com")].body.decode(
                "utf-8", "replace"
            ),
            "mirror",
        )
        for record in site.manifest["articles"]
        if not record["appended_from"] and record.get("encoding", "utf-8") == "utf-8"
    ]
    if REALPAGES.exists():
        pages += [
            Page(f"https://example.org/{path.name}", path.read_text("utf-8", errors="replace"), "realpages")
            for path in sorted(REALPAGES.glob("*.html"))
        ]
    if templates:
        from devsite.quality import heldout_pages, template_pages

        pages += [Page(page.url, page.html, "templates") for page in (*template_pages(), *heldout_pages())]
    return pages
