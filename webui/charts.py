"""The dashboard's charts, drawn on the server with matplotlib (Agg, no pyplot state, text left
as SVG text so no font is embedded or fetched). Each SVG names itself in ``<title>`` and
``<desc>``; the page keeps the data table beside it for screen readers, and a CSV download."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

COLOURS = ("#1f5f8b", "#e08a2c", "#5b8c3a", "#9c4a8b", "#6b6b6b")
HIGHLIGHT = "#b3261e"


@dataclass(frozen=True)
class BarChart:
    """Horizontal grouped bars: one row per label, one bar per series."""

    title: str
    description: str
    labels: list[str]
    series: dict[str, list[float]]
    marked: frozenset[int] = frozenset()   # rows whose label is drawn in the highlight colour
    line_at: float | None = None           # a dashed threshold line (e.g. the gap limit)
    line_label: str = ""


def svg(chart: BarChart) -> str:
    """The chart as a standalone SVG document with a title and a description."""
    rows, bars = len(chart.labels), max(len(chart.series), 1)
    figure = Figure(figsize=(7.5, 0.9 + 0.32 * bars * max(rows, 1)), layout="constrained")
    axes = figure.add_subplot()
    height = 0.8 / bars
    for n, (name, values) in enumerate(chart.series.items()):
        positions = [row + (n - (bars - 1) / 2) * height for row in range(rows)]
        axes.barh(positions, values, height=height, label=name, color=COLOURS[n % len(COLOURS)])
    axes.set_yticks(range(rows), chart.labels)
    axes.invert_yaxis()
    for row in chart.marked:
        axes.get_yticklabels()[row].set_color(HIGHLIGHT)
    if chart.line_at is not None:
        axes.axvline(chart.line_at, color=HIGHLIGHT, linestyle="--", linewidth=1,
                     label=chart.line_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(loc="lower right", frameon=False, fontsize="small")
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "brobygger"}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    return _named(out.getvalue(), chart.title, chart.description)


def _named(document: str, title: str, description: str) -> str:
    """Put ``<title>`` and ``<desc>`` first in the root ``<svg>`` and mark it as one image."""
    start = document.index("<svg")
    end = document.index(">", start)
    head = document[start:end].replace("<svg", '<svg role="img" aria-labelledby="chart-title '
                                                'chart-desc"', 1)
    return (document[:start] + head + ">"
            f'<title id="chart-title">{escape(title)}</title>'
            f'<desc id="chart-desc">{escape(description)}</desc>' + document[end + 1:])
