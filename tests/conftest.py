"""Shared pytest setup: the local mirror of Al-Osboa, service URLs, and the CI rule on skips.

Tests that need a server (PostgreSQL, Redis) read its URL from the
environment (``TEST_POSTGRES_URL``, ``TEST_REDIS_URL``) and skip with a clear
reason when it is not set or not reachable. In CI (``CI`` set) a skip is not
allowed: any skipped test fails the run, so a missing service cannot pass
unnoticed.
"""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.mirror.pytest_plugin"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        for report in skipped:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
            print(f"\nCI: skipped test is a failure: {report.nodeid}: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
