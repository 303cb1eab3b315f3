"""Small helpers the suggestion views share (errors shown as messages, the staff user's township,
the year asked for, lenient number and date parsing, the visible item or 404)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date

from presidium.selectors import townships_visible_to

from .. import selectors
from ..models import (
    Suggestion,
)


def _errors(request, exc):
    for msg in getattr(exc, "messages", [str(exc)]):
        messages.error(request, msg)


def _staff_township(request):
    """The township a staff user works on (a superuser: the first one, or ?township=)."""
    user = request.user
    if user.township_id:
        return user.township
    qs = townships_visible_to(user)
    tid = request.GET.get("township") or request.POST.get("township") or ""
    if tid.isdigit():
        return get_object_or_404(qs, pk=int(tid))
    return qs.first()


def _period(request):
    today = timezone.localdate()
    year = request.GET.get("year") or ""
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
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
