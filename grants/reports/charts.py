"""Server-rendered SVG bar charts: geometry and markup (built here: a chart has hundreds of
attributes, which the template engine renders several times slower than plain string joins).

No JavaScript and no chart library: the chart prints, reads in both languages (labels come from
the active language) and is accessible (a <title> and <desc>, every bar titled with its figure,
and the same numbers in a table beside it).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core.money import format_money

if TYPE_CHECKING:
    from grants.reports.selectors import FundingReport

WIDTH = 640
LABEL_WIDTH = 172
VALUE_WIDTH = 84
BAR_HEIGHT = 11
BAR_GAP = 2
GROUP_GAP = 14
LEGEND_HEIGHT = 28
MAX_LABEL_UNITS = 26  # a CJK character counts two units, a Latin one
TENTH = Decimal("0.1")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    colour: str  # light, middle and dark tones stay apart in greyscale print


@dataclass(frozen=True)
class Bar:
    series: Series
    value: Decimal
    x: Decimal
    y: Decimal
    width: Decimal
    height: int
    text_x: Decimal
    text_y: Decimal
    text: str
    tooltip: str


@dataclass(frozen=True)
class Group:
    label: str
    full_label: str
    label_y: Decimal
    bars: list[Bar]


@dataclass
class BarChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    label_x: int
    axis_x: int
    series: list[Series]
    legend: list[tuple[Series, int]]
    groups: list[Group] = field(default_factory=list)

    def svg(self) -> SafeString:
        """The chart as inline SVG: titled and described for screen readers, each bar titled."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="gd-chart-svg" '
            f'viewBox="0 0 {self.width} {self.height}" width="100%" role="img" '
            f'aria-labelledby="{self.id}-title {self.id}-desc" font-size="12" '
            f'data-testid="chart">',
            f'<title id="{self.id}-title">{escape(self.title)}</title>',
            f'<desc id="{self.id}-desc">{escape(self.desc)}</desc>',
            '<g aria-hidden="true">',
        ]
        for item, x in self.legend:
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" rx="2" fill="{item.colour}"/>'
                f'<text x="{x + 16}" y="14" fill="currentColor">{escape(item.name)}</text>'
            )
        parts.append(
            f'</g><line x1="{self.axis_x}" y1="{LEGEND_HEIGHT - 4}" x2="{self.axis_x}" '
            f'y2="{self.height}" stroke="#adb5bd" stroke-width="1"/>'
        )
        for group in self.groups:
            parts.append(
                f'<g><text x="{self.label_x}" y="{group.label_y}" text-anchor="end" '
                f'fill="currentColor"><title>{escape(group.full_label)}</title>'
                f"{escape(group.label)}</text>"
            )
            for bar in group.bars:
                parts.append(
                    f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                    f'fill="{bar.series.colour}"><title>{escape(bar.tooltip)}</title></rect>'
                    f'<text x="{bar.text_x}" y="{bar.text_y}" font-size="10" '
                    f'fill="currentColor" aria-hidden="true">{escape(bar.text)}</text>'
                )
            parts.append("</g>")
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, limit: int = MAX_LABEL_UNITS) -> str:
    """The label cut to fit the label column, with an ellipsis when cut."""
    if _units(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        width = _units(ch)
        if used + width > limit - 1:
            break
        out.append(ch)
        used += width
    return "".join(out).rstrip() + "…"


def _trim(value: Decimal, places: str) -> str:
    text = f"{value.quantize(Decimal(places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact_money(value: Decimal) -> str:
    """A short amount for a chart label: ¥1.25M / ¥350K in English, ¥125万 / ¥1.2亿 in Chinese."""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if (get_language() or "").startswith("zh"):
        steps = ((Decimal("1e8"), "亿"), (Decimal("1e4"), "万"))
    else:
        steps = ((Decimal("1e9"), "B"), (Decimal("1e6"), "M"), (Decimal("1e3"), "K"))
    for size, suffix in steps:
        if amount >= size:
            return f"{sign}¥{_trim(amount / size, '0.01')}{suffix}"
    return f"{sign}¥{_trim(amount, '1')}"


def _group_height(bars: int) -> int:
    return bars * (BAR_HEIGHT + BAR_GAP) - BAR_GAP


def _px(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def bar_chart(
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    rows: Sequence[tuple[str, Sequence[Decimal]]],
) -> BarChart | None:
    """A horizontal grouped bar chart: one group per row, one bar per series. None when empty."""
    peak = max((v for _, values in rows for v in values), default=Decimal("0"))
    if not rows or peak <= 0:
        return None
    plot_width = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    group_height = _group_height(len(series))
    chart = BarChart(
        id=f"gd-chart-{next(_ids)}",
        title=title,
        desc=desc,
        width=WIDTH,
        height=LEGEND_HEIGHT + len(rows) * (group_height + GROUP_GAP),
        label_x=LABEL_WIDTH - 8,
        axis_x=LABEL_WIDTH,
        series=list(series),
        legend=[],
    )
    x = 0
    for item in series:
        chart.legend.append((item, x))
        x += 16 + 7 * _units(item.name) + 18
    top = LEGEND_HEIGHT
    for label, values in rows:
        chart.groups.append(
            _group(label, values, series, top=top, plot_width=plot_width, peak=peak)
        )
        top += group_height + GROUP_GAP
    return chart


def _group(
    label: str,
    values: Sequence[Decimal],
    series: Sequence[Series],
    *,
    top: int,
    plot_width: Decimal,
    peak: Decimal,
) -> Group:
    """One row of the chart from `top` down: its label and one bar per series, scaled to peak."""
    group_height = _group_height(len(series))
    bars = []
    for index, (item, value) in enumerate(zip(series, values, strict=True)):
        y = Decimal(top + index * (BAR_HEIGHT + BAR_GAP))
        width = _px(plot_width * Decimal(value) / peak) if value > 0 else Decimal("0")
        bars.append(
            Bar(
                series=item,
                value=value,
                x=Decimal(LABEL_WIDTH),
                y=y,
                width=width,
                height=BAR_HEIGHT,
                text_x=Decimal(LABEL_WIDTH) + width + 4,
                text_y=y + BAR_HEIGHT - 2,
                text=compact_money(value),
                tooltip=f"{label} · {item.name}: {format_money(value)}",
            )
        )
    return Group(
        label=shorten(label),
        full_label=label,
        label_y=Decimal(top) + Decimal(group_height) / 2 + 4,
        bars=bars,
    )


def funding_series() -> list[Series]:
    return [
        Series("requested", pgettext("amount", "Requested"), "#9dbcdc"),
        Series("approved", pgettext("amount", "Approved"), "#2f6da3"),
        Series("disbursed", pgettext("amount", "Disbursed"), "#17402a"),
    ]


CHART_ROWS = 10


def funding_charts(report: FundingReport) -> dict[str, BarChart | None]:
    """One chart per breakdown of a `FundingReport` (the largest rows; all are in the tables)."""
    series = funding_series()
    titles = {
        "programme": _("Funding by programme"),
        "client": _("Funding by client"),
        "year": _("Funding by year"),
    }
    charts = {}
    for dimension, rows in report.dimensions():
        shown = rows[-CHART_ROWS:] if dimension == "year" else rows[:CHART_ROWS]
        if len(shown) < len(rows):
            desc = _(
                "Requested, approved and disbursed amounts; %(shown)d of %(total)d rows shown. "
                "Every row is in the table."
            ) % {"shown": len(shown), "total": len(rows)}
        else:
            desc = _(
                "Requested, approved and disbursed amounts. The same figures are in the table."
            )
        charts[dimension] = bar_chart(
            title=titles[dimension],
            desc=desc,
            series=series,
            rows=[(row.label, row.values) for row in shown],
        )
    return charts
