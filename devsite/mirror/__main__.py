"""Serve the mirror until Ctrl-C, for demos: ``python -m devsite.mirror --port 8000``.

Then ``scrapy crawl alusbu -a base_url=http://127.0.0.1:8000`` crawls it. ``--template changed``
serves the article pages as after a CMS redesign; ``--delay 0.5`` holds each article page
half a second (to interrupt a crawl by hand); ``--js-section`` adds the section whose listings
and article bodies only JavaScript fills (``/category/analysis/``, ``--js-articles`` of them).
``--faults all`` makes some article pages fail in every way devsite/mirror/faults.py knows
(``--faults transient``: only in ways a retrying crawler gets past), chosen by ``--fault-seed``;
``--expected FILE`` writes what a correct crawl makes of each page (JSON). Feeds, sitemaps and
pages carry ETag and Last-Modified and answer a matching conditional request with 304;
``--sitemap-size N`` puts N posts in each child sitemap, ``--crawl-delay S`` adds a Crawl-delay
line to robots.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from devsite.mirror.faults import DEFAULT_SEED, FaultPlan
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import TEMPLATES, build_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devsite.mirror", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--articles", type=int, default=48, help="article pages to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--template", choices=sorted(TEMPLATES), default="default", help="article markup")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each article page")
    parser.add_argument("--js-section", action="store_true", help="add the JavaScript-rendered section")
    parser.add_argument("--js-articles", type=int, help="articles in the JavaScript section (default 12)")
    parser.add_argument("--sitemap-size", type=int, default=1000, help="posts per child sitemap")
    parser.add_argument("--crawl-delay", type=float, help="a Crawl-delay line in robots.txt (seconds)")
    parser.add_argument("--manifest", type=Path, help="also write the manifest (JSON) to this file")
    parser.add_argument("--faults", choices=("all", "transient"), help="make some article pages fail")
    parser.add_argument("--fault-seed", type=int, help=f"which pages fail, and how (default {DEFAULT_SEED})")
    parser.add_argument("--expected", type=Path, help="with --faults: write each page's expected fate (JSON)")
    args = parser.parse_args(argv)
    if args.js_articles is not None and not args.js_section:
        parser.error("--js-articles needs --js-section")
    if (args.fault_seed is not None or args.expected) and not args.faults:
        parser.error("--fault-seed and --expected need --faults")
    faults = None
    if args.faults:
        seed = DEFAULT_SEED if args.fault_seed is None else args.fault_seed
        faults = FaultPlan.all_kinds(seed) if args.faults == "all" else FaultPlan.transient_only(seed)

    site = build_site(
        args.articles,
        args.seed,
        f"http://{args.host}:{args.port}",
        args.template,
        js_section=args.js_section,
        js_articles=args.js_articles,
        sitemap_size=args.sitemap_size,
        crawl_delay=args.crawl_delay,
    )
    server = MirrorServer(site, args.host, args.port, delay=args.delay, faults=faults)
    base_url = server.start()
    if args.manifest:
        args.manifest.write_text(site.manifest_json(), encoding="utf-8")
    if faults is not None and args.expected:
        expected = json.dumps(faults.expected(site.manifest), ensure_ascii=False, indent=2)
        args.expected.write_text(expected, encoding="utf-8")
    print(base_url, flush=True)
    print(f"scrapy crawl alusbu -a base_url={base_url}", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
