"""Server-side SVG bar charts: axes with a rounded scale, category labels, a legend, one link per bar to
the filtered list behind it. Geometry only; templates/charts/bar_chart.html draws it with no inline
style or script (the Content-Security-Policy allows neither), and a viewBox lets it shrink to a phone.

No charting library: pygal, the maintained PyPI library closest to this, writes a <style> element and a
tooltip <script> into each SVG, which the Content-Security-Policy refuses; what these charts need beyond
that is little enough to keep here."""

from dataclasses import dataclass, field

from cases.charts import round_ticks

# The GOV.UK colour palette: dark blue, orange, turquoise (distinguishable in the common colour blindnesses).
PALETTE = ("#1d70b8", "#f47738", "#28a197")
FONT_SIZE = 13


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    links: list[str] = field(default_factory=list)  # one per category; "" where there is no list to open


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    value: int
    colour: str
    link: str
    description: str  # "March 2025, allegations received: 41"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class CategoryLabel:
    x: float
    y: float
    text: str
    lines: tuple[str, ...] = ()  # the text wrapped to its slot's width


def wrap(text: str, width_chars: int) -> tuple[str, ...]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width_chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return (*lines, current) if current else tuple(lines)


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[CategoryLabel]
    legend: list[LegendItem]
    y_axis_label: str


def nice_scale(top: int, *, steps: int = 4) -> list[int]:
    """Whole-number ticks from 0 to at least `top` (the shared round scale, counts step by 1 at least)."""
    return [int(v) for v in round_ticks(top, steps=steps, smallest_step=1)]


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[Series],
    category_descriptions: list[str] | None = None,
    y_axis_label: str = "",
    width: int = 480,
    height: int = 260,
    label_every: int = 1,
) -> BarChart:
    """Grouped bars: one group per category, one bar per series. `label_every` labels every n-th
    category only, so 24 months stay readable on a 390 px screen."""
    descriptions = category_descriptions or categories
    legend_height = 22
    slot_chars = max(int((width - 52.0) * label_every / max(len(categories), 1) / (FONT_SIZE * 0.6)), 4)
    wrapped = [wrap(text, slot_chars) for text in categories]
    label_lines = max((len(w) for w in wrapped), default=1)
    left, right, top, bottom = 44.0, width - 8.0, 8.0 + legend_height, height - 20.0 - 16.0 * label_lines
    scale = nice_scale(max((v for s in series for v in s.values), default=0))
    peak = scale[-1]
    plot_h = bottom - top
    slot = (right - left) / max(len(categories), 1)
    gap = max(slot * 0.15, 1.0)
    bar_w = max((slot - gap) / max(len(series), 1), 1.0)
    bars = []
    for i, description in enumerate(descriptions):
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / peak
            bars.append(
                Bar(
                    x=round(left + i * slot + gap / 2 + j * bar_w, 1),
                    y=round(bottom - h, 1),
                    w=round(bar_w, 1),
                    h=round(h, 1),
                    value=value,
                    colour=PALETTE[j % len(PALETTE)],
                    link=s.links[i] if i < len(s.links) else "",
                    description=f"{description}, {s.label.lower()}: {value}",
                )
            )
    ticks = [Tick(round(bottom - plot_h * v / peak, 1), f"{v:,}") for v in scale]
    labels = [
        CategoryLabel(round(left + (i + 0.5) * slot, 1), bottom + FONT_SIZE + 6, text, wrapped[i])
        for i, text in enumerate(categories)
        if i % label_every == 0
    ]
    legend = []
    cursor = left
    for j, s in enumerate(series):
        legend.append(LegendItem(round(cursor, 1), 8.0, PALETTE[j % len(PALETTE)], s.label))
        cursor += 24 + len(s.label) * FONT_SIZE * 0.55
    return BarChart(
        title=title,
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        bars=bars,
        ticks=ticks,
        labels=labels,
        legend=legend,
        y_axis_label=y_axis_label,
    )
