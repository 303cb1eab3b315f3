"""pygal SVG charts rendered inline (no CDN: pygal's tooltip script is switched off)."""

import pygal
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    colors=("#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a"),
    font_family="'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    title_font_size=14,
    legend_font_size=11,
    value_font_size=10,
)
COMMON = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "show_legend": False,
    "height": 320,
    "print_values": False,
    "explicit_size": False,
}


def _svg(chart) -> str:
    return chart.render(is_unicode=True)


def _cached(kind, title, labels, values, render):
    """Charts are pure functions of their data: memoise the SVG (pygal takes ~10–20 ms a chart)."""
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    raw = repr((kind, title, list(labels), list(values), get_language())).encode()
    key = "dashboards:chart:" + hashlib.sha256(raw).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render()
        cache.set(key, svg, 3600)
    return svg


def bar(title: str, labels: list[str], values: list, *, horizontal: bool = False) -> str:
    return _cached(
        "bar-h" if horizontal else "bar",
        title,
        labels,
        values,
        lambda: _bar(title, labels, values, horizontal=horizontal),
    )


def _bar(title: str, labels: list[str], values: list, *, horizontal: bool = False) -> str:
    cls = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = cls(title=title, x_label_rotation=0 if horizontal else 30, **COMMON)
    if horizontal:
        chart.height = max(240, 22 * len(labels) + 80)
        # pygal draws horizontal bars bottom-up: reverse so that the first (top-ranked) is on top.
        labels, values = list(reversed(labels)), list(reversed(values))
    chart.x_labels = labels
    chart.add(title, [v if v is not None else None for v in values])
    return _svg(chart)


def line(title: str, labels: list[str], values: list) -> str:
    return _cached("line", title, labels, values, lambda: _line(title, labels, values))


def _line(title: str, labels: list[str], values: list) -> str:
    chart = pygal.Line(title=title, dots_size=4, **COMMON)
    chart.x_labels = labels
    chart.add(title, values)
    return _svg(chart)
