#!/usr/bin/env bash
# Set up a fresh machine: a virtualenv with the pinned dependencies, Chromium
# for JavaScript pages, and the database schema. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
    exit 1
}

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt

# Playwright cannot download its own browsers on most servers (and not here):
# scrapy-playwright drives the distribution's Chromium instead.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -q chromium >/dev/null || {
            apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null
        }
    else
        echo "Chromium is not installed: run 'sudo apt-get install -y chromium' for JavaScript pages" >&2
    fi
fi

mkdir -p data feeds
touch .venv/.setup-done  # ./harvest sets up again only when the requirements are newer than this
echo "Set up. Next: ./harvest (or .venv/bin/scrapy crawl alusbu)"
