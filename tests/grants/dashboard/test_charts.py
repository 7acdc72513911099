"""The SVG bar charts: geometry, labels in both languages, escaping."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from grants.reports.charts import Series, bar_chart, compact_money, funding_series, shorten

D = Decimal
SERIES = [Series("a", "Requested", "#999"), Series("b", "Approved", "#333")]


def test_bars_are_proportional_to_the_largest_figure():
    chart = bar_chart(
        title="T",
        desc="D",
        series=SERIES,
        rows=[("One", (D("100"), D("50"))), ("Two", (D("25"), D("0")))],
    )
    widths = [[bar.width for bar in group.bars] for group in chart.groups]
    full = widths[0][0]
    assert widths == [[full, full / 2], [full / 4, D("0")]]


def test_an_empty_chart_is_not_drawn():
    assert bar_chart(title="T", desc="D", series=SERIES, rows=[]) is None
    assert bar_chart(title="T", desc="D", series=SERIES, rows=[("x", (D(0), D(0)))]) is None


def test_the_svg_is_titled_described_and_escaped():
    chart = bar_chart(
        title="Funding <by> client",
        desc="Figures & more",
        series=SERIES,
        rows=[('<script>alert("x")</script>', (D("1"), D("2")))],
    )
    svg = str(chart.svg())
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert f'aria-labelledby="{chart.id}-title {chart.id}-desc"' in svg
    assert "<title" in svg and "Funding &lt;by&gt; client" in svg
    assert "Figures &amp; more" in svg
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_long_labels_are_shortened_with_the_full_label_kept():
    label = "Lingang Compute Services International Holdings"
    assert shorten(label).endswith("…") and len(shorten(label)) < len(label)
    assert shorten("临港算力服务国际控股有限公司") == "临港算力服务国际控股有限…"
    chart = bar_chart(title="T", desc="D", series=SERIES, rows=[(label, (D("1"), D("1")))])
    assert f"<title>{label}</title>" in str(chart.svg())


def test_compact_amounts_follow_the_language():
    with translation.override("en"):
        assert compact_money(D("2790000")) == "¥2.79M"
        assert compact_money(D("650000")) == "¥650K"
        assert compact_money(D("980")) == "¥980"
    with translation.override("zh-hans"):
        assert compact_money(D("2790000")) == "¥279万"
        assert compact_money(D("125000000")) == "¥1.25亿"
        assert [s.name for s in funding_series()] == ["申请金额", "核定金额", "已拨付"]
