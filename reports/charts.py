"""pygal charts rendered to inline SVG: the same markup shows in the browser preview and in the PDF
(WeasyPrint draws SVG itself). No JavaScript, fonts from fonts-noto-cjk."""

import pygal
from pygal.style import Style

STYLE = Style(
    font_family='"Noto Sans CJK SC", sans-serif',
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#888",
    colors=("#b22222", "#d9822b", "#2f6f9f", "#4f8a3c", "#7a4f9f", "#9f4f6f", "#5f5f5f", "#c0a030"),
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=15,
    title_font_size=16,
    tooltip_font_size=12,
)

COMMON = {
    "style": STYLE,
    "disable_xml_declaration": True,
    "js": [],
    "width": 640,
    "height": 300,
    "print_values": True,
    "margin": 12,
    "truncate_label": -1,
    "show_y_guides": False,
    "show_x_guides": False,
    "truncate_legend": -1,
}


def _render(chart) -> str:
    return chart.render(is_unicode=True)


def data_uri(svg: str) -> str:
    """The SVG as an ``<img>`` source. Embedding it this way (not inline) keeps pygal's stylesheet out
    of the document's cascade: inline, its hundreds of selectors are matched against every element of
    the report and triple the layout time."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def bar(labels: list[str], values: list[float], *, title: str = "", series: str = "") -> str:
    """A horizontal bar chart of counts (one bar per label)."""
    import math

    labels = [str(label) for label in labels]
    height = max(180, 36 * len(labels) + 70)
    # pygal sizes label room with Latin metrics; CJK glyphs are a full em wide, so add the rest.
    longest = max((len(label) for label in labels), default=0)
    chart = pygal.HorizontalBar(
        **{**COMMON, "height": height},
        show_legend=False,
        title=title,
        margin_left=int(12 + longest * STYLE.label_font_size * 0.55),
    )
    chart.x_labels = labels
    top = max([float(v or 0) for v in values] + [1])
    step = max(1, math.ceil(top / 5))
    # Counts: whole-number ticks only.
    chart.y_labels = list(range(0, int(top) + step + 1, step)) if top >= 1 else [0, 1]
    chart.add(series or title or " ", [float(v or 0) for v in values])
    return _render(chart)


def pie(parts: list[tuple[str, float]], *, title: str = "") -> str:
    """A ring chart of shares (e.g. satisfaction ballots, outcome classes, deputy composition)."""
    chart = pygal.Pie(**COMMON, inner_radius=0.45, title=title, legend_at_bottom=False)
    for label, value in parts:
        chart.add(str(label), float(value or 0))
    return _render(chart)


def to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The chart as PNG (for Word files): cairosvg draws the SVG with the system's CJK fonts."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), scale=scale)
