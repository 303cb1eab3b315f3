"""Small helpers the suggestion views share on top of ``presidium.viewkit`` (which shows errors,
parses years and picks townships): the township a read page shows, the calendar year asked for,
lenient number and date parsing of posted fields, the visible item or 404."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.dateparse import parse_date

from presidium.viewkit import chosen_township, own_township, query_year, this_year

from .. import selectors
from ..models import Suggestion


def shown_township(request):
    """The township a read page (briefing, figures, exports) is about: the user's own, else the one
    picked with ``?township=`` (404 when not visible), else the first visible."""
    return own_township(request) or chosen_township(request)[0]


def year_period(request) -> tuple[int, dt.date, dt.date]:
    """``?year=`` (this year when absent or not a usable year) and its first and last day."""
    year = query_year(request, default=this_year())
    return year, dt.date(year, 1, 1), dt.date(year, 12, 31)


def _visible_or_404(request, pk) -> Suggestion:
    if not request.user.is_authenticated:
        raise PermissionDenied
    s = selectors.suggestion_for(request.user, pk)
    if s is None:
        raise Http404
    return s


def _int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None
