"""Real file systems that fail: a tmpfs that fills up, files a process may not write.

A full disk is a small tmpfs (``mount -t tmpfs -o size=…``), filled with a ballast file
until only a chosen number of bytes are free: the database or feed on it then meets
ENOSPC exactly as on a full server disk, wherever the schema's own size left it.
Mounting needs root; these tests run as root in CI (.ci/run starts PostgreSQL itself).

A read-only file is a file without write permission. Root ignores permissions, so a
command run by root is started without the capabilities that let it (``setpriv``
drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH): it is then refused like any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PROJECT_ROOT, crawl_command, read_stats

DROP_FILE_OVERRIDES = (
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
)


def as_ordinary_user() -> list[str]:
    """A command prefix under which file permissions apply (nothing as a non-root user)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    return list(DROP_FILE_OVERRIDES)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` for the duration."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs (a disk that fills up) needs root")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def resize(path: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], check=True)


def fill(path: Path, leave: int) -> Path:
    """Fill the file system holding ``path`` until ``leave`` bytes (about) are free."""
    ballast = path / "ballast"
    free = shutil.disk_usage(path).free
    with ballast.open("wb") as stream:
        stream.write(b"\0" * max(0, free - leave))
    return ballast


def run_crawl(
    base_url: str,
    workdir: Path,
    *,
    database_url: str,
    prefix: list[str] | None = None,
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``scrapy crawl alusbu`` as the harness runs it (tests/helpers.py crawl), under ``prefix``."""
    (workdir / "stats.json").unlink(missing_ok=True)
    command = crawl_command(base_url, workdir, "alusbu", args, settings)
    result = subprocess.run(
        [*(prefix or []), sys.executable, "-m", "scrapy", *command],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return result, read_stats(workdir)
