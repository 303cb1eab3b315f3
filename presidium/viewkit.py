"""View plumbing shared by every app's HTML views, written once.

- ``error_text(exc)`` / ``show_errors(request, exc)``: a service's ``ValidationError`` (or a
  ``PermissionDenied`` with a reason) as the one Chinese message shown to the user, several
  messages joined by "；".
- ``show_form_errors(request, form)``: a form's errors as one message, for views that redirect
  after a refused POST instead of re-rendering the form.
- ``call_service(request, action, success="")`` and ``run_form_action(request, form, action,
  success)``: "call a service; on ``ValidationError`` show it and change nothing; else say what
  happened". Both return an ``Outcome`` that is truthy on success and carries the service's
  return value (``outcome.value``).
- ``parse_year(value)`` / ``query_year(request, default=None)``: a year typed in a URL or a form.
- ``own_township(request)``, ``staff_township(request)``, ``chosen_township(request)``,
  ``can_edit(request)``: which township a page works on.
- ``page_of(request, qs, per_page=50)``: the ``?page=`` page of a list (out-of-range or garbage
  numbers give the nearest page, never an error).
- ``client_ip(request)``: the visitor's address for rate limits on public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Role
from .selectors import int_param, principal_role, record_year, selectable_years, townships_visible_to

PAGE_SIZE = 50
SEPARATOR = "；"


# --- errors -----------------------------------------------------------------------------------


def error_text(exc: Exception) -> str:
    """The user-facing text of a ``ValidationError`` (every message, joined) or of any other
    exception raised with a reason (``PermissionDenied(_("…"))``)."""
    return SEPARATOR.join(getattr(exc, "messages", None) or [str(exc)])


def show_errors(request, exc: Exception) -> None:
    messages.error(request, error_text(exc))


def show_form_errors(request, form, *, labelled: bool = False) -> None:
    """A form's errors as one message; ``labelled``: one message per error, after its field's
    label ("日期：请输入…")."""
    if labelled:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}：{e}" if label else e)
        return
    text = SEPARATOR.join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, text or _("请检查填写的内容。"))


@dataclass(frozen=True)
class Outcome:
    """What a service call did: truthy when it went through; ``value`` is what it returned."""

    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def call_service(
    request, action: Callable[[], Any], success: str = "", *, refused=(ValidationError,)
) -> Outcome:
    """Call ``action()`` (a service). A ``ValidationError`` (or any of ``refused``, e.g. a
    ``PermissionDenied`` the service raises with a reason) becomes an error message and nothing is
    changed (the service is atomic); otherwise ``success`` (if any) is shown."""
    try:
        value = action()
    except refused as exc:
        show_errors(request, exc)
        return Outcome(False)
    if success:
        messages.success(request, success)
    return Outcome(True, value)


def run_form_action(request, form, action: Callable[[dict], Any], success: str = "") -> Outcome:
    """Validate ``form``, then call ``action(form.cleaned_data)`` (a service) as ``call_service``
    does. Form errors are shown as one message (for views that redirect after the POST)."""
    if not form.is_valid():
        show_form_errors(request, form)
        return Outcome(False)
    return call_service(request, lambda: action(form.cleaned_data), success)


# --- years ------------------------------------------------------------------------------------


def parse_year(value) -> int | None:
    """A year typed by a user, or None: ``presidium.selectors.record_year`` (plain digits, 2000 to
    next year). ``year_param`` keeps the wider 1949–2100 of the suggestion register's filters."""
    return record_year(value)


def query_year(request, default: int | None = None) -> int | None:
    """``?year=`` of the request, or ``default`` when absent or not a usable year."""
    year = parse_year(request.GET.get("year"))
    return default if year is None else year


def this_year() -> int:
    return timezone.localdate().year


def year_choices(request) -> list[int]:
    """The years a page's year selector offers (``presidium.selectors.selectable_years``)."""
    return selectable_years(request.user, today=timezone.localdate())


# --- townships --------------------------------------------------------------------------------


def own_township(request):
    """The township the user works for (None for an account without one, e.g. a superuser)."""
    return request.user.township if request.user.township_id else None


def can_edit(request) -> bool:
    """Whether the user writes in their own township (presidium staff of a township)."""
    return principal_role(request.user) == Role.STAFF and bool(request.user.township_id)


def staff_township(request):
    """The township a staff page writes in: the staff user's own. An administrator who belongs to
    none picks one with ``?township=`` (or a form's ``township`` field); without a pick, or with
    one they cannot see, the first visible. Anyone else: 403."""
    user = request.user
    role = principal_role(user)
    if role == Role.STAFF and user.township_id:
        return user.township
    if role != Role.ADMIN:
        raise PermissionDenied
    if user.township_id:
        return user.township
    visible = townships_visible_to(user)
    picked = request.POST.get("township") or request.GET.get("township") or ""
    township = _picked(visible, picked, or_first=True)
    if township is None:
        raise PermissionDenied
    return township


def chosen_township(request, *, or_first: bool = False):
    """The township a read page shows, and the townships the user may pick from: the one picked
    in ``?township=`` (county staff), else the user's own, else the first by code. A picked
    township the user cannot see is a 404 (``or_first``: the first visible instead); a pick that is
    not a township number at all (``?township=y``) is ignored, as if absent."""
    visible = townships_visible_to(request.user)
    wanted = request.GET.get("township") or ""
    if int_param(wanted) is not None:
        return _picked(visible, wanted, or_first=or_first), visible
    if request.user.township_id:
        return visible.filter(pk=request.user.township_id).first(), visible
    return visible.order_by("code").first(), visible


def _picked(visible, raw: str, *, or_first: bool):
    pk = int_param(raw)
    township = visible.filter(pk=pk).first() if pk is not None else None
    if township is None and or_first:
        return visible.order_by("code").first()
    if township is None:
        raise Http404
    return township


# --- lists ------------------------------------------------------------------------------------


def page_of(request, qs, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


# --- public pages -----------------------------------------------------------------------------


def client_ip(request) -> str:
    """The visitor's address for rate limiting. X-Forwarded-For is trusted only as far as the
    configured number of reverse proxies (DRF's ``NUM_PROXIES``); otherwise a client could
    invent a new address for every request."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote
