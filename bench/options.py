"""Command-line options shared by the benchmarks."""

from __future__ import annotations

import argparse


def add_settings_option(parser: argparse.ArgumentParser, what: str = "the crawl") -> None:
    """``-s NAME=VALUE`` (repeatable): a Scrapy setting of the benchmark's crawls, to compare a change
    against the defaults; read back with :func:`settings_of`."""
    parser.add_argument(
        "-s",
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"a setting of {what} (repeatable), to compare a change against the defaults",
    )


def settings_of(options: argparse.Namespace) -> dict[str, str]:
    return dict(setting.split("=", 1) for setting in options.setting)
