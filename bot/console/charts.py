"""Charts drawn on the server as SVG (matplotlib without pyplot, imported on first use:
it takes longer to import than the rest of the service's start)."""

from __future__ import annotations

import io


def bar_chart(labels: list[str], values: list[float], title: str) -> bytes:
    """A horizontal bar chart as an SVG document."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    height = 1.2 + 0.35 * max(len(labels), 1)
    figure = Figure(figsize=(7, height))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    axes.barh(positions, values, color="#1f3a56")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_title(title)
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value:g}", va="center")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="svg")
    return out.getvalue()
