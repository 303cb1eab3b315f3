"""The report and the dashboards tell a rate from a count by one rule (``presidium.figures.is_rate``)."""

from dashboards import selectors as dashboards
from reports import content


def test_a_share_is_printed_as_a_percentage_and_never_charted_as_a_count():
    # The report used to know only _rate/_pct/_percent: 列入计划比例 25.0 % came out as "25", and the
    # shares stood in the chart of counts beside the numbers of suggestions.
    assert content.fmt("planned_share", 25.0) == "25.0%"
    figures = content._figures(
        {
            "values": {"received": 40, "replied": 30, "planned_share": 25.0, "reference_share": 12.5},
            "labels": {"received": "收到建议", "replied": "已答复", "planned_share": "列入计划比例(%)"},
        },
        lambda key: True,
    )
    chart = content._count_chart(figures, "建议")
    assert chart is not None and "列入计划比例" not in chart.svg and "reference_share" not in chart.svg


def test_the_report_and_the_dashboards_agree_on_which_keys_are_rates():
    for key in ("completion_rate", "planned_share", "cadre_percent", "received", "six_ones_complete"):
        assert content.is_rate(key) == dashboards.is_rate(key), key
