"""A throwaway ``redis-server`` on a free port of 127.0.0.1, for tests and benchmarks of the distributed crawl.

By default it keeps nothing on disk (``--save "" --appendonly no``), so
:meth:`RedisServer.restart` brings it back empty: what a Redis without persistence does
after a crash or a reboot. ``persistent=True`` writes every command to an append-only file
first (``appendfsync always``), so a restart brings every key back.
Each test gets its own server, so no test touches the shared one or another test's keys.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """``with RedisServer() as server:`` … ``server.url`` … ``server.restart()`` (comes back empty)."""

    def __init__(self, *, persistent: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="redis-throwaway-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.persistent = persistent

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.persistent else "no",
                "--appendfsync",
                "always",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = self.client()
        try:
            for _ in range(300):  # up to 30 s on a loaded machine
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None:
                        raise RuntimeError(f"redis-server exited with {self.process.returncode}") from None
                    time.sleep(0.1)
            raise RuntimeError(f"redis-server on port {self.port} did not answer")
        finally:
            client.close()

    def kill(self) -> None:
        """As a crash: SIGKILL, nothing saved."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        """Kill and start again on the same port, ``down_for`` seconds later: with no keys,
        unless ``persistent``."""
        self.kill()
        time.sleep(down_for)
        self.start()

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)
