"""Soak of the distributed crawl: kill -9 one worker at random moments, then reconcile the store exactly.

    .venv/bin/python -m bench.soak_distributed --database postgresql+psycopg://postgres@127.0.0.1:5432/test
        [--kills 20] [--kills-per-run 5] [--articles 150] [--latency 0.5] [--extract-workers 1] [--seed 1]

Each run serves a fresh mirror on 127.0.0.1, starts its own redis-server (devsite/redis_server.py)
and a fresh PostgreSQL schema, starts a crawl and a second process that joins it, and then, at
random moments, SIGKILLs one of the two live workers and starts a new one that joins the run, so
that two processes share the run until it ends. The kill lands wherever the worker happens to be:
starting up, taking a request, downloading, extracting in its worker process, storing, reaping a
dead worker or waiting for the others at the end. Kills are only made while another worker is
alive (a run whose every process is killed is the next cron run's business, not this one's).

When every worker has exited, the run must reconcile exactly: every article of the mirror stored,
once (``missing`` and ``duplicates`` both 0), every surviving worker exits 0, and no process a
killed worker started (its extraction workers, their resource tracker) outlives it. One line per
run; the last line is a JSON summary; the exit status is 1 if any run did not reconcile.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import redis
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.schema import CreateSchema, DropSchema

from crawler.store.models import ArticleRow
from devsite.harness import start_crawl
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site
from devsite.redis_server import RedisServer

SPIDER = "alusbu"
WORKER_SETTINGS = {
    "CONCURRENT_REQUESTS": "4",
    "DISTRIBUTED_HEARTBEAT": "1",  # a killed worker is taken over after 3 s
}
ORPHAN_GRACE_SECONDS = 30.0  # how long a killed crawler's children get to notice and exit
RUN_TIMEOUT_SECONDS = 600.0
EXIT_NO_RUN_TO_JOIN = 75


@dataclass
class RunResult:
    run: int
    kills: int
    expected: int
    stored: int
    missing: list[str]
    duplicates: int
    exit_codes: list[int]  # of the workers that were not killed
    orphans: list[str] = field(default_factory=list)  # "pid name" of children that outlived a kill
    workdir: str = ""
    last_words: list[str] = field(default_factory=list)  # what a survivor that failed wrote to stderr

    @property
    def reconciled(self) -> bool:
        return not self.missing and not self.duplicates and not self.orphans and set(self.exit_codes) <= {0}

    def line(self) -> str:
        return (
            f"run {self.run}: kills {self.kills}, articles expected {self.expected}, stored {self.stored},"
            f" missing {len(self.missing)}, duplicates {self.duplicates}, orphans {len(self.orphans)},"
            f" survivors' exit codes {self.exit_codes}"
            + ("" if self.reconciled else f"  FAILED ({self.workdir})")
            + "".join(f"\n  {words}" for words in self.last_words)
        )


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A database URL whose connections live in a new PostgreSQL schema, dropped afterwards."""
    schema = f"soak_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    try:
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


def stored_urls(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(ArticleRow.url)))
    finally:
        engine.dispose()


def wait_until(condition: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


class Workers:
    """The crawl processes of one run: the one that started it, and those that joined."""

    def __init__(
        self, base_url: str, workdir: Path, database_url: str, redis_url: str, extract_workers: int | None
    ) -> None:
        self.base_url = base_url
        self.workdir = workdir
        self.database_url = database_url
        self.redis_url = redis_url
        self.settings = dict(WORKER_SETTINGS)
        if extract_workers is not None:
            self.settings["EXTRACT_WORKERS"] = str(extract_workers)
        self.processes: list[subprocess.Popen[str]] = []
        self.killed: set[int] = set()

    def start(self, *, join: bool) -> subprocess.Popen[str]:
        number = len(self.processes)
        process = start_crawl(
            self.base_url,
            self.workdir / f"worker{number}",
            database_url=self.database_url,
            settings={**self.settings, "DISTRIBUTED_JOIN": "1" if join else "0"},
            env={"REDIS_URL": self.redis_url},
        )
        self.processes.append(process)
        return process

    def alive(self) -> list[subprocess.Popen[str]]:
        return [p for p in self.processes if p.poll() is None]

    def kill(self, victim: subprocess.Popen[str]) -> list[str]:
        """SIGKILL one worker; the descendants that outlive it by ORPHAN_GRACE_SECONDS, as "pid name"."""
        try:
            children = psutil.Process(victim.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        victim.kill()
        victim.wait(30)
        self.killed.add(victim.pid)
        _, survivors = psutil.wait_procs(children, timeout=ORPHAN_GRACE_SECONDS)
        for orphan in survivors:  # found and reported; not left running on the machine
            orphan.kill()
        return [f"{orphan.pid} {orphan.name()}" for orphan in survivors]

    def wait_all(self, timeout: float) -> tuple[list[int], list[str]]:
        """Exit codes of the workers that were not killed (waiting for each), and the last
        words (stderr, where ``scrapy crawl`` says what failed) of those that did not exit 0."""
        deadline = time.monotonic() + timeout
        codes = []
        last_words = []
        for number, process in enumerate(self.processes):
            remaining = max(1.0, deadline - time.monotonic())
            try:
                code = process.wait(remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait(30)
            if process.pid not in self.killed and code != EXIT_NO_RUN_TO_JOIN:
                codes.append(code)  # a joiner that came after the run ended exits 75: not a worker
                if code != 0 and process.stderr is not None:
                    words = " | ".join(process.stderr.read().strip().splitlines()[-6:])
                    last_words.append(f"worker{number} exit {code}: {words}")
        for process in self.processes:
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        return codes, last_words


def soak_run(
    number: int,
    kills: int,
    rng: random.Random,
    database_base_url: str,
    workdir: Path,
    *,
    articles: int,
    latency: float,
    extract_workers: int | None,
    kill_window: tuple[float, float] = (0.5, 6.0),
) -> RunResult:
    """One run with up to ``kills`` SIGKILLs, each ``kill_window`` seconds (uniform) after the last event."""
    site = build_site(n_articles=articles)
    orphans: list[str] = []
    done_kills = 0
    with (
        RedisServer() as redis_server,
        fresh_schema(database_base_url) as database,
        MirrorServer(site, delay=latency) as server,
    ):
        expected = {article["url"] for article in server.site.manifest["articles"]}
        workers = Workers(server.base_url, workdir, database, redis_server.url, extract_workers)
        client = redis.Redis.from_url(redis_server.url)
        workers.start(join=False)
        if not wait_until(lambda: client.exists(f"{SPIDER}:run"), timeout=120):
            raise RuntimeError(f"the first worker never started the run; see {workdir}")
        workers.start(join=True)
        while done_kills < kills:
            time.sleep(rng.uniform(*kill_window))
            alive = workers.alive()
            if len(alive) < 2 or not client.exists(f"{SPIDER}:run"):
                break  # the run is ending: killing its last worker would end it unfinished
            orphans += workers.kill(rng.choice(alive))
            done_kills += 1
            if client.exists(f"{SPIDER}:run"):
                workers.start(join=True)
        exit_codes, last_words = workers.wait_all(RUN_TIMEOUT_SECONDS)
        client.close()
        urls = stored_urls(database)
    stored = set(urls)
    return RunResult(
        run=number,
        kills=done_kills,
        expected=len(expected),
        stored=len(stored & expected),
        missing=sorted(expected - stored),
        duplicates=len(urls) - len(stored & expected),
        exit_codes=exit_codes,
        orphans=orphans,
        workdir=str(workdir),
        last_words=last_words,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True, help="a PostgreSQL URL; each run makes its own schema")
    parser.add_argument("--kills", type=int, default=20, help="kill -9s in all, over as many runs")
    parser.add_argument("--kills-per-run", type=int, default=5)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds each article page takes")
    parser.add_argument(
        "--extract-workers", type=int, default=None, help="EXTRACT_WORKERS (default: the project's)"
    )
    parser.add_argument("--seed", type=int, default=1, help="of the kill moments and victims")
    parser.add_argument("--keep", action="store_true", help="keep every run's logs, not only failed runs'")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    results: list[RunResult] = []
    scratch = Path(tempfile.mkdtemp(prefix="soak-distributed-"))
    while sum(result.kills for result in results) < options.kills:
        number = len(results)
        result = soak_run(
            number,
            options.kills_per_run,
            rng,
            options.database,
            scratch / f"run{number}",
            articles=options.articles,
            latency=options.latency,
            extract_workers=options.extract_workers,
        )
        results.append(result)
        print(result.line(), flush=True)
        for url in result.missing:
            print(f"  missing {url}", flush=True)
        if number > 4 * options.kills:
            sys.exit("too many runs ended before their kills: lower --kills-per-run or raise --articles")
    failed = [r for r in results if not r.reconciled]
    if not failed and not options.keep:
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
    print(
        json.dumps(
            {
                "runs": len(results),
                "kills": sum(r.kills for r in results),
                "articles_expected": sum(r.expected for r in results),
                "stored": sum(r.stored for r in results),
                "missing": sum(len(r.missing) for r in results),
                "duplicates": sum(r.duplicates for r in results),
                "orphans": sum(len(r.orphans) for r in results),
                "failed_runs": [asdict(r) for r in failed],
                "logs": str(scratch) if failed or options.keep else "",
            }
        )
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
