"""The brief as one self-contained HTML page: ``<html lang="ar" dir="rtl">``, styles, font
and charts inline, no script, no request to any host when it is opened or mailed.

The page is a Jinja2 template (crawler/brief/template.html, autoescaped: headlines
and names come from the web). Topic names are Arabic (crawler/brief/data/labels.toml).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from crawler.brief import charts
from crawler.brief.fonts import FAMILY, font_faces
from crawler.brief.queries import BriefData
from crawler.lens import tables
from crawler.lens.topics import TOPICS

HERE = Path(__file__).resolve().parent
LABELS: dict[str, str] = tables.load(
    HERE / "data" / "labels.toml", {"topics": tables.Table(tables.Text(), keys=TOPICS)}
)["topics"]

_environment = Environment(
    loader=FileSystemLoader(HERE),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(data: BriefData, generated_at: datetime) -> str:
    """The page for ``data``; times shown in the brief's zone, labelled with it."""
    zone = data.where.zone

    def when(value: datetime) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    topics = sorted(data.topic_days, key=lambda t: (-sum(data.topic_days[t]), t))
    context: dict[str, Any] = {
        "data": data,
        "where": data.where,
        "zone": str(zone),
        "when": when,
        "generated_at": when(generated_at),
        "labels": LABELS,
        "topics": topics,
        "topic_totals": {t: sum(data.topic_days[t]) for t in topics},
        "topic_chart": charts.topic_chart(data.days, {t: data.topic_days[t] for t in topics}, LABELS),
        "actor_chart": charts.actor_chart(data.actors) if data.actors else "",
        "family": FAMILY,
    }
    page = _environment.get_template("template.html").render(context)
    text = "".join(set(re.sub(r"<[^>]*>", " ", page)))  # every character shown, tags aside
    return page.replace("/*FONT-FACES*/", font_faces(text), 1)
