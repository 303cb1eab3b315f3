"""The performance archive (履职档案) and its spreadsheet."""

from django.http import Http404
from django.shortcuts import render

from presidium.models import Role
from presidium.permissions import role_required
from presidium.spreadsheets import xlsx_response
from presidium.viewkit import chosen_township, query_year, this_year, year_choices

from .. import exports, selectors
from .common import READERS


@role_required(*READERS)
def archive(request):
    township, visible = chosen_township(request)
    if township is None:
        raise Http404
    year = query_year(request, this_year())
    rules = township.rules
    rows = selectors.township_archive_rows(request.user, township=township, year=year)
    return render(
        request,
        "deputies/archive.html",
        {
            "township": township,
            "townships": visible if request.user.role == Role.COUNTY else None,
            "year": year,
            "years": year_choices(request),
            "rows": rows,
            "rules": rules,
            "dormant": [r for r in rows if r["dormant"]],
            "candidates": selectors.commendation_candidates(rows),
            "six_ones_labels": [line["label"] for line in rows[0]["six_ones"]] if rows else [],
        },
    )


@role_required(*READERS)
def archive_export(request):
    """The year's archive as a spreadsheet (for 优秀代表评选 and the annual report)."""
    township, _visible = chosen_township(request)
    if township is None:
        raise Http404
    year = query_year(request, this_year())
    rows = selectors.township_archive_rows(request.user, township=township, year=year)
    return xlsx_response(exports.archive_workbook(rows, year), f"{township.name}{year}年代表履职档案.xlsx")
