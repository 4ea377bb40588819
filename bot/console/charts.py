"""Charts drawn on the server, as SVG for the console's pages and as a PNG for the
dispatchers' group (matplotlib without pyplot, imported on first use: it takes longer to
import than the rest of the service's start)."""

from __future__ import annotations

import io
from typing import Any

#: One bar chart: its labels, values and title.
Panel = tuple[list[str], list[float], str]

#: The group's picture: a fixed size, so that every messenger shows it the same way.
PNG_INCHES = (8.0, 9.0)
PNG_DPI = 100


def _bars(axes: Any, panel: Panel) -> None:
    labels, values, title = panel
    positions = list(range(len(labels)))
    axes.barh(positions, values, color="#1f3a56")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_title(title)
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value:g}", va="center")
    axes.spines[["top", "right"]].set_visible(False)


def bar_chart(labels: list[str], values: list[float], title: str) -> bytes:
    """A horizontal bar chart as an SVG document."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    height = 1.2 + 0.35 * max(len(labels), 1)
    figure = Figure(figsize=(7, height))
    FigureCanvasSVG(figure)
    _bars(figure.add_subplot(), (labels, values, title))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="svg")
    return out.getvalue()


def panels_png(panels: list[Panel]) -> bytes:
    """Bar charts one above the other as one PNG of ``PNG_INCHES`` x ``PNG_DPI`` pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=PNG_INCHES, dpi=PNG_DPI)
    FigureCanvasAgg(figure)
    for index, panel in enumerate(panels, start=1):
        _bars(figure.add_subplot(len(panels), 1, index), panel)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=PNG_DPI)
    return out.getvalue()
