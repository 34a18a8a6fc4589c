"""Server-rendered SVG charts for the dashboards: geometry computed here, drawn by templates with
classes only (the CSP forbids inline styles), each with a text alternative."""

from __future__ import annotations

from dataclasses import dataclass

STATUS_ORDER = ("on_track", "at_risk", "off_track")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    status: str
    count: int
    label: str
    query: str


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    bars: list[Bar]
    query: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    rows: list[BarRow]
    summary: str
    label_width: int = 120


def status_bars(rows: list[tuple[str, dict[str, int], str]], width: int = 420) -> BarChart:
    """One stacked horizontal bar per (label, counts by status, list query)."""
    label_w = 120
    row_h = 22
    biggest = max((sum(c.values()) for _l, c, _q in rows), default=0) or 1
    out = []
    parts = []
    for i, (label, counts, query) in enumerate(rows):
        x = float(label_w)
        bars = []
        for status in STATUS_ORDER:
            n = counts.get(status, 0)
            w = (width - label_w - 10) * n / biggest
            if n:
                bars.append(
                    Bar(x, i * row_h + 4, w, row_h - 8, status, n, status.replace("_", " "), query)
                )
            x += w
        out.append(BarRow(label, i * row_h + row_h / 2 + 4, bars, query))
        parts.append(
            f"{label}: "
            + ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in STATUS_ORDER)
        )
    return BarChart(width, max(row_h, len(rows) * row_h), out, "; ".join(parts), label_w)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    confidence_line: str
    progress_line: str
    dots: list[tuple[float, float, str]]
    weeks: list[tuple[float, int]]
    summary: str
    pad: int = 24


def trend_chart(
    points: list[tuple[int, float, float | None, float | None]], width: int = 420, height: int = 150
) -> LineChart:
    """(week, check-ins, average confidence 0–1, average progress 0–1) per week."""
    pad = 24
    n = max(1, len(points) - 1)

    def x(i: int) -> float:
        return pad + i * (width - 2 * pad) / n

    def y(v: float) -> float:
        return height - pad - v * (height - 2 * pad)

    conf = [(x(i), y(c)) for i, (_w, _n, c, _p) in enumerate(points) if c is not None]
    prog = [(x(i), y(p)) for i, (_w, _n, _c, p) in enumerate(points) if p is not None]
    dots = [
        (x(i), y(p), f"Week {w}: {int(k)} check-ins, average progress {round(p * 100)}%")
        for i, (w, k, _c, p) in enumerate(points)
        if p is not None
    ]
    summary = "; ".join(
        f"week {w}: {int(k)} check-ins"
        + (
            f", confidence {c * 10:.1f}/10, progress {round(p * 100)}%"
            if c is not None and p is not None
            else ""
        )
        for w, k, c, p in points
    )
    return LineChart(
        width,
        height,
        " ".join(f"{a:.1f},{b:.1f}" for a, b in conf),
        " ".join(f"{a:.1f},{b:.1f}" for a, b in prog),
        dots,
        [(x(i), w) for i, (w, _k, _c, _p) in enumerate(points)],
        summary,
    )
