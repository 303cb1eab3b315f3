"""Thin views: the township workbench, the county dashboard, a read-only township drill-down and
the Excel export. Figures come from dashboards.selectors (which reads the apps' township_stats)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import principal_role
from presidium.spreadsheets import xlsx_response
from presidium.viewkit import year_choices

from . import charts, exports, selectors


def _period(request):
    """The period from ?year=&period=; bad input falls back to this year with a message."""
    try:
        return selectors.period_for(request.GET.get("year"), request.GET.get("period"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return selectors.period_for()


def _section(request, default="suggestions"):
    sections = selectors.available_sections()
    section = request.GET.get("section") or default
    if section not in sections:
        section = default if default in sections else (sections[0] if sections else "")
    return section, sections


def _with_urls(items):
    out = []
    for item in items:
        url = ""
        if item.url_name:
            try:
                url = reverse(item.url_name)
                if item.query:
                    url += "?" + item.query
            except NoReverseMatch:
                url = ""
        out.append({"item": item, "url": url})
    return out


def _overview(township_ids, period, meta=None):
    """Per-section (label, value) cards for the given townships, with county-style totals."""
    data = selectors.figures(township_ids=township_ids, period=period, meta=meta)
    # One township: its own figures (rates included); several: summed, rates recomputed.
    summed = data[township_ids[0]] if len(township_ids) == 1 else selectors.totals(data)
    cards = []
    for section in selectors.available_sections():
        labels = selectors.section_labels(section)
        values = summed.get(section, {})
        cards.append(
            {
                "section": section,
                "label": selectors.SECTION_LABELS[section],
                "figures": [(labels[k], cell(values.get(k))) for k in labels],
            }
        )
    return cards


def cell(value) -> str:
    """Display text of a figure: "—" for no value (a rate without denominator), one decimal for rates.
    Formatted here once, rather than per cell in the template (hundreds of cells on a county page)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _first_count_key(section):
    for key in selectors.section_labels(section):
        if not selectors.is_rate(key):
            return key
    return None


def _trend_chart(township_ids, year):
    section = "suggestions"
    if section not in selectors.available_sections():
        return ""
    key = _first_count_key(section)
    if key is None:
        return ""
    points = selectors.trend(township_ids=township_ids, year=year, section=section, key=key)
    title = f"{year}{_('年')} {selectors.section_labels(section)[key]}"
    return charts.line(title, [p[0] for p in points], [p[1] for p in points])


@role_required(Role.STAFF)
def workbench(request):
    """The township office's landing page: what needs action today, this year's figures and trend."""
    township = request.user.township
    if township is None:
        if principal_role(request.user) == Role.ADMIN:
            return redirect("dashboards:county")
        raise Http404
    period = _period(request)
    actions = _with_urls(selectors.township_actions(township=township))
    meta = {}
    cards = _overview([township.pk], period, meta)
    return render(
        request,
        "dashboards/workbench.html",
        {
            "township": township,
            "period": period,
            "actions": actions,
            "pending_total": sum(a["item"].count for a in actions),
            "cards": cards,
            **_freshness(meta),
            "trend_svg": _trend_chart([township.pk], period.year),
            "years": year_choices(request),
            "period_choices": selectors.PERIOD_CHOICES,
        },
    )


def _freshness(meta) -> dict:
    """How fresh the figures on a page are: the oldest summary row used, or "computed now"."""
    return {"as_of": meta.get("as_of"), "now_time": timezone.now()}


def _county_context(request):
    user = request.user
    county_id = request.GET.get("county")
    county = selectors.county_for(user, int(county_id) if county_id and county_id.isdigit() else None)
    if county is None:
        raise Http404
    period = _period(request)
    section, sections = _section(request)
    descending = request.GET.get("dir", "desc") != "asc"
    rows, labels, sort = ([], {}, None)
    meta = {}
    if section:
        rows, labels, sort = selectors.county_table(
            user=user,
            county=county,
            period=period,
            section=section,
            sort=request.GET.get("sort"),
            descending=descending,
            meta=meta,
        )
    request.figures_meta = meta
    return county, period, section, sections, rows, labels, sort, descending


@role_required(Role.COUNTY)
def county(request):
    """All townships of the county side by side, for one section at a time, sorted and ranked."""
    county, period, section, sections, rows, labels, sort, descending = _county_context(request)
    chart_svg = ""
    if rows and sort:
        chart_svg = charts.bar(
            f"{labels[sort]}（{period.label}）",
            [r.township.name for r in rows],
            [r.values.get(sort) for r in rows],
            horizontal=True,
        )
    columns = [{"key": k, "label": v} for k, v in labels.items()]
    totals = selectors.totals({r.township.pk: {section: r.values} for r in rows}).get(section, {})
    return render(
        request,
        "dashboards/county.html",
        {
            "county": county,
            "period": period,
            "section": section,
            "sections": [(s, selectors.SECTION_LABELS[s]) for s in sections],
            "columns": columns,
            "rows": [{"row": r, "cells": [cell(r.values.get(c["key"])) for c in columns]} for r in rows],
            "sort": sort,
            "descending": descending,
            "chart_svg": chart_svg,
            "years": year_choices(request),
            "period_choices": selectors.PERIOD_CHOICES,
            "total_cells": [cell(totals.get(c["key"])) for c in columns],
            **_freshness(request.figures_meta),
            "keep": {
                k: v
                for k, v in {
                    "section": section,
                    "sort": sort or "",
                    "dir": "desc" if descending else "asc",
                    "county": county.pk if request.user.is_superuser else "",
                }.items()
                if v
            },
        },
    )


@role_required(Role.COUNTY)
def county_export(request):
    """Every section of every township of the county for the period, as one Excel workbook."""
    county, period, *_rest = _county_context(request)
    townships = list(selectors.dashboard_townships(request.user, county))
    data = selectors.figures(township_ids=[t.pk for t in townships], period=period)
    content = exports.county_workbook(county=county, period=period, townships=townships, data=data)
    return xlsx_response(content, f"county-{county.code}-{period.year}-{period.code}.xlsx")


@role_required(Role.COUNTY, Role.STAFF)
def township(request, pk):
    """Read-only figures of one township: county staff for their county's townships, township staff
    for their own. Anything else is a 404."""
    township = selectors.dashboard_townships(request.user).filter(pk=pk).first()
    if township is None:
        raise Http404
    period = _period(request)
    meta = {}
    cards = _overview([township.pk], period, meta)
    return render(
        request,
        "dashboards/township.html",
        {
            "township": township,
            "period": period,
            "cards": cards,
            **_freshness(meta),
            "trend_svg": _trend_chart([township.pk], period.year),
            "breakdowns": [
                {
                    "label": BREAKDOWN_LABELS[dim],
                    "rows": [
                        {"key": str(r["key"]), "cells": [cell(r.get(k)) for k, _l in BREAKDOWN_COLUMNS]}
                        for r in rows
                    ],
                }
                for dim, rows in selectors.suggestion_breakdowns(township=township, period=period).items()
            ],
            "breakdown_columns": [label for _k, label in BREAKDOWN_COLUMNS],
            "years": year_choices(request),
            "period_choices": selectors.PERIOD_CHOICES,
        },
    )


BREAKDOWN_LABELS = {"category": gettext_lazy("按分类"), "unit": gettext_lazy("按主办单位")}
BREAKDOWN_COLUMNS = [
    ("received", gettext_lazy("收到")),
    ("replied", gettext_lazy("已答复")),
    ("completion_rate", gettext_lazy("办结率(%)")),
    ("resolution_rate", gettext_lazy("解决率(%)")),
    ("satisfaction_rate", gettext_lazy("满意率(%)")),
    ("overdue", gettext_lazy("逾期")),
]
