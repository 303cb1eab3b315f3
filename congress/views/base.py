"""Thin HTML views: fetch through selectors (another township's object is a 404), validate with a
form, call a service, report its ValidationError in Chinese and change nothing."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.http import safe_next
from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import show_errors, show_form_errors

from .. import forms, services

READERS = (Role.STAFF, Role.COUNTY)
staff_only = role_required(Role.STAFF)
readers = role_required(*READERS)


def post_action(view):
    """POST-only, staff-only; a ValidationError becomes a message and a redirect."""

    @require_POST
    @staff_only
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            show_errors(request, exc)
            return redirect(safe_next(request, "congress:index", referer=True))

    return wrapped


def add_observer(request, *, detail: str, pk: int, **meeting):
    """Register an observer (列席) at a session or a presidium meeting (``session=`` or
    ``meeting=``) from its page and go back to it."""
    form = forms.ObserverForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        services.observer_add(actor=request.user, **meeting, **form.cleaned_data)
        messages.success(request, _("列席人员已登记（不计入出席人数）。"))
    return redirect(detail, pk=pk)
