"""Per-field extraction quality on the template families and the real pages, beside
trafilatura (body) and htmldate (date), in one run (devsite/quality.py says how each
field is measured).

    .venv/bin/python -m bench.quality [--misses] [--family NAME]

Prints one table per page set and one line per template family; docs/quality.md
holds the figures.
"""

from __future__ import annotations

import argparse

from devsite.quality import (
    GoldenPage,
    Scores,
    evaluate,
    families,
    heldout_pages,
    real_pages,
    template_pages,
)


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def report(title: str, pages: list[GoldenPage], scores: Scores) -> None:
    summary = scores.summary()
    print(f"\n## {title}: {len(pages)} pages")
    print("| field | this project | baseline |")
    print("|---|---|---|")
    print(f"| title (exact) | {_fmt(summary['title'])} | |")
    date, htmldate = _fmt(summary["date"]), _fmt(summary["date_htmldate"])
    print(f"| publish date, right to the day | {date} | htmldate {htmldate} |")
    print(f"| pages where htmldate is right and we are not | {summary['date_worse_than_htmldate']} | |")
    body, trafilatura = _fmt(summary["body_f1"]), _fmt(summary["body_f1_trafilatura"])
    print(f"| body token F1 (mean) | {body} | trafilatura {trafilatura} |")
    print(f"| related titles recall | {_fmt(summary['related_recall'])} | |")
    print(f"| related titles precision | {_fmt(summary['related_precision'])} | |")
    print(f"| source precision | {_fmt(summary['source_precision'])} | |")
    print(f"| source recall | {_fmt(summary['source_recall'])} | |")
    print(f"| source invented (pages) | {summary['source_invented']} | |")
    print(f"| embeds recall | {_fmt(summary['embeds_recall'])} | |")
    print(f"| embeds precision | {_fmt(summary['embeds_precision'])} | |")
    print(f"| language | {_fmt(summary['lang'])} | |")
    print(f"| pages that failed | {summary['failures']} | |")
    if scores.seconds_trafilatura:
        print(
            f"| time per page | {1000 * scores.seconds / len(pages):.1f} ms | trafilatura "
            f"{1000 * scores.seconds_trafilatura / len(pages):.1f} ms (ratio "
            f"{scores.seconds / scores.seconds_trafilatura:.2f}) |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every field that was missed")
    parser.add_argument("--family", default=None, help="only this template family")
    args = parser.parse_args()
    templates = [p for p in template_pages() if args.family in (None, p.family)]
    sets = [("Template families", templates)]
    if args.family is None:
        heldout = "Held-out template pages (tests/heldout, written without reading the extractor)"
        sets.append((heldout, heldout_pages()))
        sets.append(("Real pages (../shared/realpages)", real_pages()))
    for title, pages in sets:
        if not pages:
            continue
        scores = evaluate(pages)
        report(title, pages, scores)
        if title.startswith("Template") and args.family is None:
            print(
                "\n| family | pages | date | body F1 | trafilatura F1 | related R | related P "
                "| source P | embeds R |"
            )
            print("|---|---|---|---|---|---|---|---|---|")
            for family, members in families(pages):
                s = evaluate(members, baselines=True).summary()
                print(
                    f"| {family} | {len(members)} | {_fmt(s['date'])} | {_fmt(s['body_f1'])} | "
                    f"{_fmt(s['body_f1_trafilatura'])} | {_fmt(s['related_recall'])} | "
                    f"{_fmt(s['related_precision'])} | {_fmt(s['source_precision'])} | "
                    f"{_fmt(s['embeds_recall'])} |"
                )
        if args.misses:
            print("\nMisses:")
            for line in scores.failures + scores.misses:
                print(" -", line)


if __name__ == "__main__":
    main()
