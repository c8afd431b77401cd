"""Charts for the console as inline SVG, drawn on the server from the same figures.

Why SVG from Python rather than a chart library in the browser: the page then shows
its figures without JavaScript, nothing has to be vendored and kept up to date, the
chart cannot disagree with the table beside it (both come from one query result), and
tests read it as text. The charts are simple (bars per day, bars per bucket), which is
all a few dozen lines need to draw. Labels are escaped like any template value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

WIDTH, HEIGHT, PAD = 720, 220, 32


def daily_bars(days: Sequence[date], delivered: Sequence[int], answered: Sequence[int]) -> str:
    """Nudges delivered (light) and answered (dark) per day; "no data" when all are 0."""
    top = max(delivered, default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="nudges delivered and answered per day" class="chart">'
    ]
    if top == 0:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" class="empty">'
            "no nudges delivered in this window</text></svg>"
        )
        return "".join(parts)
    step = (WIDTH - 2 * PAD) / max(len(days), 1)
    scale = (HEIGHT - 2 * PAD) / top
    for i, (day, sent, done) in enumerate(zip(days, delivered, answered, strict=True)):
        x = PAD + i * step
        for value, css in ((sent, "delivered"), (done, "answered")):
            h = value * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{max(step - 2, 1):.1f}" '
                f'height="{h:.1f}" class="{css}"><title>{day}: {value} {css}</title></rect>'
            )
    parts.append(
        f'<text x="{PAD}" y="{PAD - 10}" class="axis">max {top} a day</text>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="axis">{escape(str(days[0]))}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end" class="axis">'
        f"{escape(str(days[-1]))}</text></svg>"
    )
    return "".join(parts)


def buckets(labels: Sequence[str], counts: Sequence[int]) -> str:
    """Horizontal bars, one per label (the streak distribution)."""
    top = max(counts, default=0) or 1
    row = 24
    height = row * len(labels) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="subscribers per current streak" class="chart">'
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        y = 4 + i * row
        w = (WIDTH - 160) * count / top
        parts.append(
            f'<text x="0" y="{y + 16}" class="axis">{escape(label)} days</text>'
            f'<rect x="90" y="{y + 2}" width="{w:.1f}" height="{row - 6}" class="delivered"/>'
            f'<text x="{96 + w:.1f}" y="{y + 16}" class="axis">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["buckets", "daily_bars"]
