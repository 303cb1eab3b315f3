"""Keyset ("seek") pagination for lists that can be deep at county or province level.

``page=N`` with ``OFFSET`` makes the database sort and skip every earlier row: the last page of a
county's 8,000 suggestions sorts them all (and spills to disk). A keyset page asks for "the 50 rows
after this one" on the list's own order (a timestamp, then the primary key, both descending), which
an index answers without reading the rows before it. The last page is the first page of the reverse
order. Rows with equal timestamps are kept apart by the primary key, so none is skipped or repeated
at a page boundary.

The cursor in the URL is ``<microseconds since the epoch>.<pk>`` of the row at the edge of the page;
anything else (a stale or hand-edited link) starts again at the first page, never an error.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from presidium.api.filters import BOOLEAN_VALUES
from presidium.api.pagination import StrictPageNumberPagination

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    delta = moment - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


def decode_cursor(raw) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = str(raw or "").split(".")
        moment = EPOCH + dt.timedelta(microseconds=int(micros))
        return moment, int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class KeysetPage:
    object_list: list
    count: int
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str = ""
    previous_cursor: str = ""
    is_first: bool = True
    params: dict = field(default_factory=dict)
    query: str = ""  # the list's other parameters (filters), urlencoded for the page links

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous


def keyset_page(qs: QuerySet, params, *, size: int = 50, key: str = "created_at", count: bool = True):
    """One page of ``qs`` in the order ``-key, -pk``. ``params`` (request.GET) may carry ``after``
    (the next page after that row), ``before`` (the page before that row) or ``last``."""
    total = qs.order_by().count() if count else None
    after, before = decode_cursor(params.get("after")), decode_cursor(params.get("before"))
    desc, asc = (f"-{key}", "-pk"), (key, "pk")
    # Two steps: the page's keys first (no joins, the database stops after size + 1 rows), then
    # those rows with whatever the list joins (deputy, unit, township: a few primary-key look-ups).
    keys = qs.values_list(key, "pk")
    if after:
        moment, pk = after
        seek = Q(**{f"{key}__lt": moment}) | Q(**{key: moment, "pk__lt": pk})
        found = list(keys.filter(seek).order_by(*desc)[: size + 1])
        has_next, has_previous = len(found) > size, True
        found = found[:size]
    elif before:
        moment, pk = before
        seek = Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "pk__gt": pk})
        found = list(keys.filter(seek).order_by(*asc)[: size + 1])
        has_next, has_previous = True, len(found) > size
        found = found[:size][::-1]
    elif params.get("last") and total:
        # The same pages as walking from the front: the last one holds the remainder.
        tail = total % size or size
        found = list(keys.order_by(*asc)[:tail])[::-1]
        has_next, has_previous = False, total > tail
    else:
        found = list(keys.order_by(*desc)[: size + 1])
        has_next, has_previous = len(found) > size, False
        found = found[:size]
    fetched = qs.order_by().filter(pk__in=[pk for _k, pk in found]) if found else []
    by_pk = {(obj["id"] if isinstance(obj, dict) else obj.pk): obj for obj in fetched}
    rows = [by_pk[pk] for _k, pk in found if pk in by_pk]
    page = KeysetPage(rows, total, has_next=has_next, has_previous=has_previous)
    page.is_first = not has_previous
    if found:
        page.next_cursor = encode_cursor(*found[-1])
        page.previous_cursor = encode_cursor(*found[0])
    page.params = {k: v for k, v in params.items() if k not in ("after", "before", "last", "page")}
    page.query = urlencode(page.params)
    return page


class KeysetPagination(StrictPageNumberPagination):
    """REST lists that can be deep: the same response shape as the project's page-number pagination
    (``count``, ``next``, ``previous``, ``results``), but ``next``/``previous`` are keyset links
    (``after=`` / ``before=``) and ``last=1`` gives the last page, so following the links costs the
    same on every page. ``page=N`` still works as before (an offset) for clients that build it.
    The queryset may be model instances or ``values()`` rows (with ``id``)."""

    key = "created_at"

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.check_page(request)
        if "last" in params and params["last"] not in BOOLEAN_VALUES:
            raise ValidationError({"detail": _("参数 %(n)s 须为 true 或 false。") % {"n": "last"}})
        if "page" in params and not any(k in params for k in ("after", "before", "last")):
            self.keyset = None
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.keyset = keyset_page(queryset, params, size=self.get_page_size(request), key=self.key)
        return list(self.keyset.object_list)

    def _link(self, **param):
        url = self.request.build_absolute_uri()
        for name in ("page", "after", "before", "last"):
            url = remove_query_param(url, name)
        ((name, value),) = param.items()
        return replace_query_param(url, name, value)

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        page = self.keyset
        return Response(
            {
                "count": page.count,
                "next": self._link(after=page.next_cursor) if page.has_next else None,
                "previous": self._link(before=page.previous_cursor) if page.has_previous else None,
                "results": data,
            }
        )
