"""Thin HTML views: fetch through selectors (another township's object is a 404), validate with a
form, call a service, report its ValidationError in Chinese and change nothing."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from presidium.http import safe_next
from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import can_edit_township

READERS = (Role.STAFF, Role.COUNTY)
staff_only = role_required(Role.STAFF)
readers = role_required(*READERS)


def _errors(request, exc: ValidationError):
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(request, form):
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)


def _editable(request, township_id):
    return can_edit_township(request.user, township_id)


def _own_township(request):
    """The township a staff user works for; superusers must pick one in the admin instead."""
    return request.user.township


def post_action(view):
    """POST-only, staff-only; a ValidationError becomes a message and a redirect."""

    @require_POST
    @staff_only
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect(safe_next(request, "congress:index", referer=True))

    return wrapped
