"""Helpers shared by the supervision views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.uploads import serve_upload

READERS = (Role.STAFF, Role.COUNTY)
STAFF = (Role.STAFF,)


def _error(request, exc: ValidationError):
    messages.error(request, "；".join(exc.messages))


def _form_errors(request, form):
    text = "；".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, text or _("请检查填写的内容。"))


def run_form_action(request, form, action, success: str) -> bool:
    """Validate ``form``, call ``action(cleaned_data)`` (a service) and report the outcome as a
    message: form errors and service refusals in Chinese, nothing saved on either."""
    if not form.is_valid():
        _form_errors(request, form)
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
        return False
    messages.success(request, success)
    return True


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _file_response(field, name):
    return serve_upload(field, name=name)
