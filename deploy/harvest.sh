#!/usr/bin/env bash
# Run one harvest for cron or systemd: log to a file, stay silent when all is
# well, print a short report (which cron mails to MAILTO) when it is not.
#
#   deploy/harvest.sh alusbu [extra scrapy options...]
#
# Exit status is scrapy crawl's: 0 ok, 1 did not finish, 3 a monitor failed,
# 75 another run of the spider is still going (not an error: nothing printed).
set -uo pipefail
spider="${1:?usage: harvest.sh SPIDER [scrapy options...]}"
shift
cd "$(dirname "$0")/.."
mkdir -p logs
log="logs/${spider}-$(date -u +%Y%m%dT%H%M%SZ).log"

.venv/bin/scrapy crawl "$spider" -s LOG_FILE="$log" -s LOG_LEVEL=INFO "$@"
status=$?

case "$status" in
    0 | 75) ;;
    *)
        echo "Harvest of $spider failed with exit status $status (log: $PWD/$log)"
        grep -E "ERROR|FAIL|monitors failed" "$log" | tail -n 20
        .venv/bin/scrapy runs --spider "$spider" --limit 5
        ;;
esac
# keep two weeks of logs
find logs -name "${spider}-*.log" -mtime +14 -delete 2>/dev/null || true
exit "$status"
