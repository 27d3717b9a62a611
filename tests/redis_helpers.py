"""A redis-server of a test's own (devsite/redis_server.py), or a skip when none is installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devsite.redis_server import RedisServer


def running_redis() -> Iterator[RedisServer]:
    """For a fixture: ``yield from running_redis()``; the test may kill and restart the server."""
    try:
        server = RedisServer()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    with server:
        yield server
