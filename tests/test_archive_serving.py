"""``-a archive=PATH``: the archive's index is built off the reactor, once, for every request waiting."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.archive import source
from crawler.archive.replay import ARCHIVED_META
from devsite.ccnews import other_responses, write_warc


class _Crawler:
    """What the middleware reads of a crawler: its spider's arguments, stats and signals."""

    def __init__(self, archive: Path) -> None:
        self.spider = SimpleNamespace(args=SimpleNamespace(archive=str(archive)))
        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)  # type: ignore[arg-type]
        self.signals = SimpleNamespace(connect=lambda *args, **kwargs: None)


def test_the_index_is_built_once_on_a_thread_while_requests_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses = list(other_responses(6, 2_000))
    archive = tmp_path / "run.warc.gz"
    with archive.open("wb") as stream:
        write_warc(stream, responses)
    builds: list[str] = []
    real_build = source.ArchiveIndex.build

    def build(*args: Any, **kwargs: Any) -> source.ArchiveIndex:
        builds.append(threading.current_thread().name)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(source.ArchiveIndex, "build", build)
    middleware = source.ServedFromArchive(_Crawler(archive))  # type: ignore[arg-type]
    requests = [Request(response.url) for response in responses[:4]]
    missing = Request("https://nowhere.example/not-archived")

    async def crawl() -> list[BaseException | None]:
        return await asyncio.gather(
            *(middleware.process_request(request) for request in [*requests, missing]),
            return_exceptions=True,
        )

    outcomes = asyncio.run(crawl())
    assert len(builds) == 1
    assert builds[0] != threading.main_thread().name
    assert outcomes[:4] == [None] * 4
    assert all(request.meta[ARCHIVED_META].url == request.url for request in requests)
    assert isinstance(outcomes[4], IgnoreRequest)
    stats = middleware.crawler.stats
    assert stats.get_value("archive/indexed") == len(responses)
    assert stats.get_value("archive/missing") == 1
