"""Latency vs corpus size as a hand-written SVG (log-log; no plotting library)."""

from __future__ import annotations

import math
from html import escape

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
W, H = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 40, 60


def _ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten (and 2x, 5x when the range is narrow) covering [lo, hi]."""
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    mult = (1, 2, 5) if b - a <= 3 else (1,)
    return [m * 10**e for e in range(a, b + 1) for m in mult if lo <= m * 10**e <= hi]


def _fmt(v: float) -> str:
    if v >= 1000:
        return f"{v / 1000:g}k" if v < 1e6 else f"{v / 1e6:g}M"
    return f"{v:g}"


def latency_svg(series: dict[str, list[tuple[int, float]]], title: str,
                y_label: str = "p50 latency (ms)") -> str:
    """One line per series of (corpus size, latency ms) points."""
    pts = [(x, y) for s in series.values() for x, y in s if x > 0 and y > 0]
    if not pts:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="80">'
                f'<text x="10" y="40">{escape(title)}: no data</text></svg>\n')
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x_lo, x_hi = min(xs) / 1.5, max(xs) * 1.5
    y_lo, y_hi = min(ys) / 1.5, max(ys) * 1.5

    def px(x: float) -> float:
        return LEFT + (math.log10(x) - math.log10(x_lo)) / (
            math.log10(x_hi) - math.log10(x_lo)) * (W - LEFT - RIGHT)

    def py(y: float) -> float:
        return H - BOTTOM - (math.log10(y) - math.log10(y_lo)) / (
            math.log10(y_hi) - math.log10(y_lo)) * (H - TOP - BOTTOM)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2:.0f}" y="22" text-anchor="middle" font-size="15">'
           f'{escape(title)}</text>']
    for t in _ticks(x_lo, x_hi):
        out.append(f'<line x1="{px(t):.1f}" y1="{TOP}" x2="{px(t):.1f}" y2="{H - BOTTOM}" '
                   f'stroke="#eee"/><text x="{px(t):.1f}" y="{H - BOTTOM + 16}" '
                   f'text-anchor="middle">{_fmt(t)}</text>')
    for t in _ticks(y_lo, y_hi):
        out.append(f'<line x1="{LEFT}" y1="{py(t):.1f}" x2="{W - RIGHT}" y2="{py(t):.1f}" '
                   f'stroke="#eee"/><text x="{LEFT - 6}" y="{py(t) + 4:.1f}" '
                   f'text-anchor="end">{_fmt(t)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" '
               f'height="{H - TOP - BOTTOM}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2:.0f}" y="{H - 18}" text-anchor="middle">'
               f'corpus size (passages, log)</text>')
    out.append(f'<text transform="translate(18 {(TOP + H - BOTTOM) / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_label)} (log)</text>')
    for i, (name, points) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        good = sorted((x, y) for x, y in points if x > 0 and y > 0)
        if len(good) > 1:
            d = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in good)
            out.append(f'<polyline points="{d}" fill="none" stroke="{color}" '
                       f'stroke-width="2"/>')
        for x, y in good:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{color}">'
                       f'<title>{escape(name)}: {y:.3g} ms at {x} passages</title></circle>')
        ly = TOP + 10 + i * 20
        out.append(f'<rect x="{W - RIGHT + 15}" y="{ly - 9}" width="14" height="4" '
                   f'fill="{color}"/><text x="{W - RIGHT + 35}" y="{ly - 3}">'
                   f'{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
