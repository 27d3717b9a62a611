"""The brief's charts: matplotlib, drawn offline to SVG that goes inline in the page.

Text stays text (``svg.fonttype = "none"``): each label is a ``<text>`` element that
the browser shapes and orders with the page's embedded font, as it does the page's
own Arabic. Drawn as paths instead, matplotlib would lay Arabic out unjoined and left
to right and need arabic-reshaper and python-bidi to fake the shaping; as text the
labels are also searchable and readable by the tests. matplotlib measures the labels
with the same font (DejaVu Sans, crawler/brief/fonts.py) to place them.

No pyplot: a :class:`~matplotlib.figure.Figure` of its own per chart, no global state.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from crawler.brief.queries import ActorCount

# matplotlib's own font: the embedded one (crawler/brief/fonts.py) has the same metrics
FONT_FAMILY = "DejaVu Sans"
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "brief",  # the same ids in every run: a brief can be compared with yesterday's
    "font.family": FONT_FAMILY,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.left": False,
}
NOW_COLOUR = "#1f4e79"
BEFORE_COLOUR = "#a9c4de"


def _svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element to inline (no XML prolog, no doctype, fluid width)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    # the page sets the width; the height follows from the viewBox
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', text, count=1)


def topic_chart(days: Sequence[date], counts: Mapping[str, Sequence[int]], labels: Mapping[str, str]) -> str:
    """Articles per topic per day, stacked bars, the newest day on the right (as calendars
    and the tables in the page run)."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(9, 3.8))
        axes = figure.add_subplot()
        positions = list(range(len(days)))
        bottom = [0] * len(days)
        for topic, values in counts.items():
            axes.bar(positions, values, bottom=bottom, label=labels.get(topic, topic), width=0.7)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_xticks(positions, [day.strftime("%m-%d") for day in days], rotation=0, fontsize=8)
        axes.yaxis.tick_right()
        axes.spines["right"].set_visible(True)
        axes.set_ylabel("عدد المقالات")
        axes.yaxis.set_label_position("right")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if counts:  # outside, on the left, the key after its name as the page reads
            axes.legend(
                loc="upper right", bbox_to_anchor=(-0.01, 1.0), fontsize=8, frameon=False, markerfirst=False
            )
        return _svg(figure)


def actor_chart(actors: Sequence[ActorCount]) -> str:
    """The most named actors, this period beside the one before; bars grow leftwards from
    the names on the right, as the page reads."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7, 0.4 * max(len(actors), 3) + 0.8))
        axes = figure.add_subplot()
        shown = list(reversed(actors))  # the most named on top
        rows = list(range(len(shown)))
        axes.barh(
            [r + 0.2 for r in rows], [a.count for a in shown], height=0.4, color=NOW_COLOUR, label="الفترة"
        )
        axes.barh(
            [r - 0.2 for r in rows],
            [a.previous for a in shown],
            height=0.4,
            color=BEFORE_COLOUR,
            label="الفترة السابقة",
        )
        axes.set_yticks(rows, [a.name for a in shown])
        axes.yaxis.tick_right()
        axes.spines["right"].set_visible(True)
        axes.spines["bottom"].set_visible(True)
        axes.invert_xaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("عدد المقالات")
        if actors:
            axes.legend(loc="lower left", fontsize=8, frameon=False, markerfirst=False)
        return _svg(figure)
