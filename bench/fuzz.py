"""Fuzz the extractor and every text pipeline with 10,000 examples or more.

    .venv/bin/python -m bench.fuzz [--examples 10000] [--seed 0]

The same strategies and properties as tests/test_fuzz.py (devsite/fuzzing.py),
with many more examples: random Arabic-heavy HTML (deep nesting, unclosed
tags, huge single lines, control characters, mixed directions), random
flattened text, random bytes, and the real pages mutated. A failing example
is printed by hypothesis (shrunk) and the script exits 1.

Last line, one JSON object: ``examples`` (run in total), ``by_property``,
``failures``, ``seconds``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from devsite.fuzzing import check_bytes, check_html, check_text, corpus, html_pages, lines, mutated

# Share of the examples each property gets: HTML is where the parser, the
# block walker and every splitter meet, so it gets the most.
SHARES: dict[str, float] = {"html": 0.45, "text": 0.25, "bytes": 0.15, "mutated_real_pages": 0.15}


def _property(name: str) -> tuple[st.SearchStrategy[Any], Callable[[Any], None]]:
    if name == "html":
        return html_pages(), check_html
    if name == "text":
        return lines, check_text
    if name == "bytes":
        return st.binary(max_size=20000), check_bytes
    return mutated(corpus()), check_html


def run(name: str, examples: int, random_seed: int) -> tuple[int, str | None]:
    strategy, check = _property(name)
    calls = 0

    @seed(random_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def prop(value: Any) -> None:
        nonlocal calls
        calls += 1
        check(value)

    try:
        prop()
    except Exception as error:  # any escape is the finding we report
        found = list(error.exceptions) if isinstance(error, ExceptionGroup) else [error]
        for failure in found:  # the shrunk example and where it broke, for the bug report
            traceback.print_exception(failure, file=sys.stderr)
        return calls, "; ".join(f"{type(f).__name__}: {f}"[:500] for f in found)
    return calls, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10000, help="total examples, split by property")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    by_property: dict[str, int] = {}
    failures: dict[str, str] = {}
    for name, share in SHARES.items():
        count = max(1, round(args.examples * share))
        calls, failure = run(name, count, args.seed)
        by_property[name] = calls
        if failure:
            failures[name] = failure
        print(f"{name}: {calls} examples, {'FAILED' if failure else 'ok'}", file=sys.stderr)
    result = {
        "examples": sum(by_property.values()),
        "by_property": by_property,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
