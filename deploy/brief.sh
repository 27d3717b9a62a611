#!/usr/bin/env bash
# Build the daily brief and mail it as an HTML attachment (cron, each morning).
#
#   deploy/brief.sh analyst@example.org [extra scrapy brief options, e.g. --tz Asia/Riyadh]
#
# The page is self-contained (font, styles and charts inline), so the attachment opens
# as it is, offline. It is kept in briefs/brief-<UTC date>.html (two months of them; BRIEF_DIR
# names another directory).
# Mail goes through the local sendmail (postfix, exim, msmtp-mta ... any MTA provides it;
# SENDMAIL names another program that reads the message on stdin).
# Silent on success; on failure prints what went wrong, which cron mails to MAILTO.
set -euo pipefail
to="${1:?usage: brief.sh ADDRESS [scrapy brief options...]}"
shift
cd "$(dirname "$0")/.."
dir="${BRIEF_DIR:-briefs}"
mkdir -p "$dir"
day="$(date -u +%Y-%m-%d)"
out="$dir/brief-${day}.html"

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
if .venv/bin/scrapy brief --since 24h -o "$out" "$@" 2>"$errors"; then :; else
    status=$?
    echo "The daily brief failed (exit status $status):"
    tail -n 5 "$errors"
    exit "$status"
fi

boundary="brief-$(date +%s)-$$"
{
    printf 'To: %s\nSubject: =?UTF-8?B?%s?=\nMIME-Version: 1.0\n' \
        "$to" "$(printf 'الموجز اليومي %s' "$day" | base64 -w0)"
    printf 'Content-Type: multipart/mixed; boundary="%s"\n\n' "$boundary"
    printf -- '--%s\nContent-Type: text/plain; charset=utf-8\n\n' "$boundary"
    printf 'The defence news brief of the 24 hours to %s UTC is attached (open it in a browser).\n\n' \
        "$(date -u +%H:%M)"
    printf -- '--%s\nContent-Type: text/html; charset=utf-8; name="brief-%s.html"\n' "$boundary" "$day"
    printf 'Content-Disposition: attachment; filename="brief-%s.html"\nContent-Transfer-Encoding: base64\n\n' "$day"
    base64 "$out"
    printf -- '--%s--\n' "$boundary"
} | "${SENDMAIL:-/usr/sbin/sendmail}" -t

find "$dir" -name 'brief-*.html' -mtime +60 -delete 2>/dev/null || true
