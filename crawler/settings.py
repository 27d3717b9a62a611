"""Scrapy settings of the harvester. Every value a user may want to change is here.

Environment variables override the database and Redis URLs (``DATABASE_URL``,
``REDIS_URL``) so that cron jobs and containers configure them without
editing files; ``-s NAME=value`` overrides anything for one run.
"""

from __future__ import annotations

import os

from crawler.store.db import DEFAULT_DATABASE_URL, PROJECT_ROOT

BOT_NAME = "arabic_defence_news"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# -- storage and feeds ---------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
# Run feeds (crawler/extensions/feed.py): <FEED_DIR>/<spider>/<UTC time>.csv and latest.csv, each
# holding every article of the site stored or changed since the previous feed file.
FEED_DIR = str(PROJECT_ROOT / "feeds")
RUN_FEED_ENABLED = True
# Permissions of feed files, e.g. "0640" (octal); None: as any file the user creates (the umask).
FEED_FILE_MODE = None
# Stop the crawl after the store refused this many articles in a row (a full disk, a read-only
# database): the rest would be refused too, and the next run fetches them. 0: never stop.
STORE_STOP_AFTER_FAILURES = 20
# The defence lens (pipelines/lens.py): store only articles whose relevance
# (0..1) reaches this; None stores everything with its score, for the analyst
# to filter. docs/lens.md gives precision and recall at each threshold;
# crawler/lens/relevance.py's DEFAULT_MIN_RELEVANCE is the measured default.
MIN_RELEVANCE = None
# Stories: read each report's headline and lead as a sentence vector too (crawler/lens/meaning.py),
# which decides the pairs the event rules let through. On the labelled sets written for no
# decision, the store's clusters reach precision 0.896 and recall 0.630, against 0.808 and
# 0.545 by words (docs/lens.md);
# it costs about 0.1 s of CPU per stored article, which bounds a first crawl on two cores at
# about twenty new articles a second (docs/benchmarks.md). False: the word rules alone.
STORY_VECTORS = True
# Threads that make those vectors ahead of the store's one writer thread (pipelines/store.py),
# each with a model of its own (about 85 MB). None: one per core the crawl may use
# (CPU affinity and container quota), at most four; 0: the writer makes each vector when a
# placement needs it, one at a time.
STORY_VECTOR_THREADS = None
# Processes that extract article pages beside the reactor (crawler/extract/pool.py).
# None: one where two cores are free for the crawl (CPU affinity and container
# quota), none on a single core; 0 extracts in the crawl process. The worker
# raised bench/throughput.py's ratio from 0.77 to 0.86 (docs/benchmarks.md).
EXTRACT_WORKERS = None
# Items and requests Scrapy handles at once from one callback's output. Scrapy's 100
# starts 100 asyncio tasks for every response, whatever it yields; a page yields one
# item: 8 cut the full crawl's CPU by a tenth (docs/benchmarks.md).
CONCURRENT_ITEMS = 8

# -- web archive (crawler/extensions/archive.py) ------------------------------------
# Every response the crawl receives (articles, listings, feeds, sitemaps, robots.txt, error
# pages, pages as Chromium rendered them) is kept as WARC in
# <ARCHIVE_DIR>/<spider>/<spider>-<UTC start>-NNNNN.warc.gz, so that a better extractor can
# run again over what was fetched (scrapy reextract) without fetching it again. A relative
# ARCHIVE_DIR is under the working directory.
ARCHIVE_ENABLED = True
ARCHIVE_DIR = str(PROJECT_ROOT / "archive")
# A file is closed and the next one (-00002 …) begun once it reaches this size.
ARCHIVE_MAX_BYTES = 1024**3
# Responses queued for the writer thread, in bytes of body; beyond it the crawl waits for the
# disk (memory stays bounded whatever the disk's pace), at most ARCHIVE_STALL_SECONDS, after
# which the archive is given up (counted, the run fails) rather than the crawl held.
ARCHIVE_QUEUE_BYTES = 32 * 1024 * 1024
ARCHIVE_STALL_SECONDS = 60.0
# gzip level of each record: 6 took half the CPU of 9 on recorded news pages for a file 1%
# larger (crawler/archive/records.py); 1 is fastest, about a quarter larger.
ARCHIVE_GZIP_LEVEL = 6

# -- politeness ----------------------------------------------------------------
USER_AGENT = (
    "ArabicDefenceNewsHarvester/0.1 (research crawler; +https://github.com/arabic-defence-news/harvester)"
)
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
# robots.txt's Crawl-delay is the least delay between two requests to its host
# (crawler/middlewares/politeness.py); a longer one than this is cut to it, with a warning,
# so that a site asking for an hour between requests still gets a few per run.
CRAWL_DELAY_MAX = 30.0
# Feeds, sitemaps and section front pages are asked for with the validators of their last
# answer (If-None-Match / If-Modified-Since): an unchanged one costs a 304 and no body, and
# unchanged child sitemaps (same <lastmod> in their index) are not fetched at all
# (crawler/spiders/discovery.py). 0 reads them all every run.
CONDITIONAL_REQUESTS_ENABLED = True
# A sitemap entry dated (news:publication_date, else lastmod) more than this many hours
# before the sitemap was last read in full was read then, and is not planned again. The
# margin covers CMSs that date a scheduled post by when it was written, not published.
SITEMAP_DATE_GRACE_HOURS = 72
# A child sitemap whose <lastmod> in its index did not change is not fetched, for this many
# hours after it was last read or confirmed; then it is asked for again (conditionally), since
# a sitemap can gain an entry older than its newest one without its <lastmod> moving.
SITEMAP_LASTMOD_TRUST_HOURS = 24

# -- bounds: nothing a site serves can exhaust memory, time or redirects -------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Sitemap indexes are followed this many levels down (an index of indexes of sitemaps is 2);
# one that names another index without end stops here (counted as sitemap/too_deep).
SITEMAP_MAX_DEPTH = 3
# At most this many sitemap files per run (counted as sitemap/over_limit beyond it; the
# newest by <lastmod> first). Later runs fetch only the ones that changed.
SITEMAP_MAX_FILES = 1000
# Every crawl stops cleanly after this many seconds (Scrapy's CloseSpider, finish reason
# "closespider_timeout"): 30 minutes, so that a run started from a 20-minute cron line holds
# its lock over one later start at most. The next run walks every listing page to go on
# from there (crawler/runs/incremental.py). 0: no limit.
CLOSESPIDER_TIMEOUT = 30 * 60

# -- security ------------------------------------------------------------------
# Scrapy 2.19 opens a code-running remote control port by default; a harvester
# run from cron on a shared server must not.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Names are resolved through the request guard's resolver: one that resolves to this
# machine's network (loopback, private, link-local, metadata) is refused at connection
# time unless the site itself is there (crawler/middlewares/resolver.py). Scrapy 2.19's
# name for the DNS_RESOLVER setting.
TWISTED_DNS_RESOLVER = "crawler.middlewares.resolver.GuardedResolver"

# -- components ----------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # -a archive=PATH: every request is given its archived response, or refused (never fetched)
    "crawler.archive.source.ServedFromArchive": 4,
    # a response replayed from a web archive answers before anything else looks at the request
    "crawler.archive.replay.ArchivedResponseMiddleware": 5,
    # first of all: nothing outside the site's hosts, nothing on this machine's network
    "crawler.middlewares.guard.RequestGuard": 10,
    # after Scrapy's RobotsTxtMiddleware (100), which reads the Crawl-delay it applies
    "crawler.middlewares.politeness.CrawlDelay": 110,
    # below HttpCompressionMiddleware (590), above the charset repair and retries: every
    # response into the web archive as received, decompressed
    "crawler.middlewares.archive.ArchiveMiddleware": 585,
    # below HttpCompressionMiddleware (590) so it sees decompressed bytes
    "crawler.middlewares.charset.CharsetRepairMiddleware": 580,
}
ITEM_PIPELINES = {
    # the pure part of the stages below runs in the extraction worker where there is one
    "pipelines.prepare.PreparePipeline": 50,
    "pipelines.normalise.NormalisePipeline": 100,
    "pipelines.readalso.ReadAlsoPipeline": 200,
    "pipelines.attribute.AttributionPipeline": 300,
    "pipelines.dates.DatesPipeline": 400,
    "pipelines.lens.LensPipeline": 450,
    "pipelines.dedup.DedupPipeline": 500,
    "pipelines.store.StorePipeline": 600,
}
# Extensions run their spider_closed handlers in this order: the console (the
# progress line goes), the web archive (drained and closed: its size goes in the
# run record), the feed (its path goes in the run record), the monitors
# (their verdict too), the summary (problems and summary line, from all of it),
# the stats file, then the run record.
EXTENSIONS = {
    "crawler.extensions.jobdir.JobdirGuard": 0,
    "crawler.extensions.console.Console": 500,
    "crawler.extensions.archive.WebArchive": 505,
    "crawler.extensions.feed.RunFeed": 510,
    "spidermon.contrib.scrapy.extensions.Spidermon": 520,
    "crawler.extensions.summary.RunSummary": 525,
    # the crawl process's CPU, counted up to here (the feed written), before the stats file
    "crawler.extensions.cpu.CrawlCpu": 527,
    "crawler.extensions.statsfile.StatsFile": 530,
    "crawler.extensions.runrecord.RunRecorder": 540,
    "crawler.extensions.memory.MemorySampler": 550,
}
# Record the crawler's and the browser's memory after these many responses (off when empty).
MEMORY_SAMPLES: list[int] = []
# Write the final crawl stats as JSON to this path (off when empty).
STATS_FILE = ""

# -- cron: incremental runs, one at a time, run records, monitors ---------------
# A stored article younger than this is fetched once more, to catch edits.
RECHECK_YOUNG_HOURS = 24
# A URL that gave no article for a lasting reason (404, not HTML…) is tried again after this.
FAILED_RETRY_HOURS = 24
RUN_LOCK_ENABLED = True
RUN_RECORDS_ENABLED = True
# The request filter is per run (crawler/runs/dupefilter.py): safe resume after SIGKILL.
DUPEFILTER_CLASS = "crawler.runs.dupefilter.RunDupeFilter"
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.runs.monitors.CrawlMonitors"]
MONITOR_MAX_ERROR_RATIO = 0.2  # failed requests over requests
MONITOR_MIN_PAGES = 5  # fewer article pages than this: coverage is not judged
# Share of article pages with each field (crawler/runs/monitors.py).
MONITOR_MIN_COVERAGE = {"title": 0.9, "body": 0.9, "published_at": 0.8, "body_from_profile": 0.5}

# -- distributed crawl (crawler/runs/distributed.py) -----------------------------------
# Set REDIS_URL (environment or setting) to share one crawl between processes
# and machines through scrapy-redis; DISTRIBUTED_JOIN=1 adds a process to the
# running crawl instead of starting one.
REDIS_URL = os.environ.get("REDIS_URL", "")
DISTRIBUTED_JOIN = False
# Seconds between a worker's heartbeats; a worker silent for three is dead and
# its requests in flight go back on the queue.
DISTRIBUTED_HEARTBEAT = 5.0
# Seconds Redis may go unanswered before a worker stops, as failed.
DISTRIBUTED_REDIS_TIMEOUT = 60.0

# -- backfill from WARC files (scrapy backfill, crawler/archive/backfill.py) -------------
# Kept records handed to extraction at once: each holds its page (about 100 kB) in memory,
# and more do not go faster (extraction is the bottleneck), so a file of any size costs this.
BACKFILL_MAX_PENDING = 64
# Seconds between two saves of each file's offset: at most what a kill -9 makes it read again.
BACKFILL_CHECKPOINT_SECONDS = 5.0
# Seconds before reopening a WARC URL whose connection broke (doubled each time, 3 tries).
BACKFILL_RETRY_SECONDS = 2.0
# With REDIS_URL (or --redis) several backfill processes share the files; their heartbeat
# and Redis timeout are the distributed crawl's (DISTRIBUTED_HEARTBEAT, DISTRIBUTED_REDIS_TIMEOUT).

# -- JavaScript pages (crawler/rendering.py) ----------------------------------------
# scrapy-playwright drives the system's Chromium for requests marked to render.
ADDONS = {"crawler.rendering.Rendering": 0}
RENDERING_ENABLED = True
CHROMIUM_PATH = "/usr/bin/chromium"  # the CHROMIUM_PATH environment variable overrides it
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_ABORT_REQUEST = "crawler.rendering.abort_request"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4  # pages open at once: bounds the browser's memory
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
RENDER_WAIT_TIMEOUT = 10.0  # seconds to wait for the content container
RENDER_SETTLE_MS = 1000  # the container must not change for this long before the page is read

# -- logging -------------------------------------------------------------------
LOG_LEVEL = "INFO"
# Items are pages with every block; logging each one would drown the log.
LOG_FORMATTER = "crawler.logformat.QuietItemLogFormatter"
# Without LOG_FILE, `scrapy crawl` logs to <LOG_DIR>/<spider>-<UTC time>.log (the name
# deploy/harvest.sh gives), so that a terminal shows progress and cron stays quiet while
# the file keeps everything. "" logs to stderr, as Scrapy does.
LOG_DIR = str(PROJECT_ROOT / "logs")
# Log files under LOG_DIR older than this many days are deleted when a crawl starts (0: kept).
LOG_KEEP_DAYS = 14
# Log records shown on stderr besides the log file (crawler/extensions/console.py): a level
# name, or "NONE"; None: WARNING in a terminal, none otherwise (cron mails what a job prints;
# a failed run ends with lines that say what failed).
LOG_CONSOLE_LEVEL = None
# A progress line on stderr (pages, articles, errors, rate), rewritten in place; None: in a
# terminal only.
PROGRESS = None
PROGRESS_INTERVAL = 1.0  # seconds between two updates of the progress line

FEED_EXPORT_ENCODING = "utf-8"
