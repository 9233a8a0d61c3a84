"""Small inline SVG charts, drawn here so the HTML report needs no script and no network.

Each chart scales to its container (``viewBox`` with a width of 100%), so it reads on a phone.
Text is escaped; every figure also has a ``<title>`` a screen reader or a hover shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

KIND_COLOURS = {
    "answer": "#2e7d32",
    "clarify": "#f9a825",
    "fallback": "#c62828",
    "emergency": "#6a1b9a",
}
BAR = "#1565c0"
WIDTH = 400
"""The drawing's own units; the page scales it."""


def stacked_columns(
    labels: Sequence[str], series: dict[str, Sequence[int]], *, title: str, height: int = 220
) -> str:
    """One column per label, stacked by series (colours by kind; the page shows the key)."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    left, bottom, plot_h = 30, 22, height - 34
    step = (WIDTH - left - 8) / max(len(labels), 1)
    parts = [_axis(left, height - bottom, plot_h, top)]
    for i, label in enumerate(labels):
        y = float(height - bottom)
        x = left + i * step + step * 0.1
        for name, values in series.items():
            h = values[i] / top * plot_h
            if h > 0:
                y -= h
                colour = KIND_COLOURS.get(name, BAR)
                tip = escape(f"{label}: {values[i]} {name}")
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{tip}</title></rect>'
                )
        if _shows_label(i, len(labels)):
            parts.append(
                f'<text x="{x + step * 0.4:.1f}" y="{height - bottom + 14}" '
                f'text-anchor="middle" class="tick">{escape(label[5:] or label)}</text>'
            )
    return _svg(title, height, parts)


def columns(labels: Sequence[str], values: Sequence[int], *, title: str, colour: str = BAR) -> str:
    """A simple column chart (one series)."""
    return stacked_columns(labels, {"": values}, title=title).replace(
        f'fill="{BAR}"', f'fill="{colour}"'
    )


def bars(labels: Sequence[str], values: Sequence[int], *, title: str) -> str:
    """Horizontal bars, one row per label, the label above its bar: long names stay readable."""
    top = max(values, default=0) or 1
    row = 34
    height = row * len(labels) + 10
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * row
        w = value / top * (WIDTH - 40)
        parts.append(f'<text x="0" y="{y + 10}" class="label">{escape(label)}</text>')
        parts.append(
            f'<rect x="0" y="{y + 14}" width="{max(w, 1):.1f}" height="12" fill="{BAR}">'
            f"<title>{escape(f'{label}: {value}')}</title></rect>"
        )
        parts.append(f'<text x="{w + 6:.1f}" y="{y + 25}" class="tick">{value}</text>')
    return _svg(title, height, parts)


def _axis(left: int, base: float, plot_h: float, top: int) -> str:
    return (
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 4}" y2="{base}" class="axis"/>'
        f'<text x="{left - 4}" y="{base - plot_h + 4:.1f}" text-anchor="end" '
        f'class="tick">{top}</text>'
        f'<text x="{left - 4}" y="{base}" text-anchor="end" class="tick">0</text>'
    )


def _shows_label(i: int, count: int) -> bool:
    """Every label when few; else about eight, evenly spaced."""
    every = max(1, round(count / 8))
    return i % every == 0 or i == count - 1


def _svg(title: str, height: int, parts: Sequence[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
