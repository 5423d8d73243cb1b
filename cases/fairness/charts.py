"""The monitoring page's charts: one row per group, a dot at the group's rate and a line across its 95%
interval, a dashed line at the reference group's rate, a scale with round ticks. Geometry only;
templates/fairness/_interval_chart.html draws it with no inline style or script (the Content-Security-Policy
allows neither), and a viewBox lets it shrink to a 390 px phone. Rows read left to right like the table
under the chart, which stays the record of the figures.

A dot and whisker rather than bars: the question the page asks is whether two groups differ by more than
chance, and that is whether their intervals stand apart, which bars hide."""

from dataclasses import dataclass

from cases.charts import round_ticks

FONT_SIZE = 13
LABEL_WIDTH = 150.0
ROW_HEIGHT = 30.0
COLOUR = "#1d70b8"  # GOV.UK blue
REFERENCE_COLOUR = "#f47738"  # GOV.UK orange: the reference group's dot and line
SMALL_COLOUR = "#505a5f"  # GOV.UK dark grey: a small group's interval is wide and drawn quieter


@dataclass(frozen=True)
class IntervalRow:
    y: float
    label: str
    x: float | None  # the dot; None when the group has no data
    x_low: float | None
    x_high: float | None
    colour: str
    description: str  # read by a screen reader: "Black: 12.3 per 100 people (11.9 to 12.8)"
    value_text: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class IntervalChart:
    title: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    rows: list[IntervalRow]
    ticks: list[Tick]
    reference_x: float | None
    axis_label: str


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def interval_chart(*, title: str, groups: list, key: str, unit: str, axis_label: str, width: int = 480):
    """`groups` are the selector's Group rows (label, rates[key] with value/low/high, is_reference, small);
    a group without that rate, or with no data, keeps its row and says "no data"."""
    top, bottom_pad = 8.0, 40.0
    left, right = LABEL_WIDTH, width - 56.0
    shown = [g for g in groups if g.rates.get(key) is not None]
    highs = [g.rates[key].high for g in shown if g.rates[key].high is not None]
    ticks = round_ticks(max(highs, default=0.0))
    peak = ticks[-1]

    def x_of(value: float) -> float:
        return round(left + (right - left) * value / peak, 1)

    rows, reference_x = [], None
    for i, g in enumerate(shown):
        rate = g.rates[key]
        y = round(top + (i + 0.5) * ROW_HEIGHT, 1)
        label = f"{g.label} (reference)" if g.is_reference else g.label
        if rate.value is None:
            rows.append(IntervalRow(y, label, None, None, None, SMALL_COLOUR, f"{g.label}: no data", "no data"))
            continue
        colour = REFERENCE_COLOUR if g.is_reference else SMALL_COLOUR if g.small else COLOUR
        value_text = _number(rate.value)
        description = (
            f"{g.label}: {value_text} {unit} (95% interval {_number(rate.low)} to {_number(rate.high)})"
            f"{', a small group' if g.small else ''}"
        )
        rows.append(
            IntervalRow(y, label, x_of(rate.value), x_of(rate.low), x_of(rate.high), colour, description, value_text)
        )
        if g.is_reference:
            reference_x = x_of(rate.value)
    bottom = top + ROW_HEIGHT * max(len(shown), 1)
    return IntervalChart(
        title=title,
        width=width,
        height=int(bottom + bottom_pad),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        rows=rows,
        ticks=[Tick(x_of(v), _number(v) if v else "0") for v in ticks],
        reference_x=reference_x,
        axis_label=axis_label,
    )


def monitoring_charts(figures) -> list[tuple[str, IntervalChart]]:
    """One chart per dimension (ethnicity, sex): allegations per 100 people of each group, or, where the
    source holds only people complained about (no workforce to divide by), the share of allegations upheld."""
    charts = []
    for dimension, groups in figures.by.items():
        if any(g.rates.get("allegations") is not None and not g.rates["allegations"].no_data for g in groups) and (
            not figures.people_are_complained_about
        ):
            chart = interval_chart(
                title=f"Allegations per 100 people, by {dimension}, with 95% intervals",
                groups=groups,
                key="allegations",
                unit="allegations per 100 people",
                axis_label="Allegations per 100 people",
            )
        elif any(g.rates.get("upheld") is not None for g in groups):
            chart = interval_chart(
                title=f"Share of allegations upheld, by {dimension}, with 95% intervals",
                groups=[_as_percent(g, "upheld") for g in groups],
                key="upheld",
                unit="per cent upheld",
                axis_label="Per cent upheld",
            )
        else:
            continue
        charts.append((dimension, chart))
    return charts


@dataclass(frozen=True)
class _PercentRate:
    value: float | None
    low: float | None
    high: float | None

    @property
    def no_data(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class _PercentGroup:
    label: str
    rates: dict
    is_reference: bool
    small: bool


def _as_percent(group, key: str) -> _PercentGroup:
    rate = group.rates.get(key)
    scaled = None
    if rate is not None:
        scaled = _PercentRate(*(None if v is None else v * 100 for v in (rate.value, rate.low, rate.high)))
    return _PercentGroup(group.label, {key: scaled}, group.is_reference, group.small)
