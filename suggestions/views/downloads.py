"""The register and the summary as spreadsheets (large registers through a background job)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import townships_visible_to
from presidium.viewkit import show_errors

from .. import exports, selectors
from .common import shown_township, year_period

EXPORT_FILTERS = ("status", "category", "source", "unit", "year", "overdue", "key", "q")


@role_required(Role.STAFF, Role.COUNTY)
def export_register(request):
    """The register as Excel. Up to ``settings.EXPORT_BACKGROUND_ROWS`` rows it downloads at once;
    beyond (a county's register) it is written by the background job with the same filters and the
    user's own visibility, and the user follows its progress on the job page."""
    qs = selectors.filter_suggestions(selectors.suggestions_visible_to(request.user), request.GET)
    if qs.count() <= settings.EXPORT_BACKGROUND_ROWS:
        return exports.register_response(qs)
    from reports.models import JobKind
    from reports.services import report_job_request

    user = request.user
    township = shown_township(request)
    if township is None:
        raise Http404
    filters = {k: str(request.GET[k]).strip()[:100] for k in EXPORT_FILTERS if request.GET.get(k)}
    scope = str(user.county) if user.county_id else _("全部乡镇")
    if user.township_id:
        scope = township.name
    try:
        job, _created = report_job_request(
            township=township,
            kind=JobKind.SUGGESTIONS_XLSX,
            year=timezone.localdate().year,
            actor=user,
            params={"filters": filters, "scope": scope},
        )
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
        return redirect("suggestions:list")
    messages.info(request, _("导出行数较多，已转入后台生成，完成后可在本页下载。"))
    return redirect("reports:job_detail", pk=job.pk)


@role_required(Role.STAFF, Role.COUNTY)
def export_summary(request):
    year, start, end = year_period(request)
    townships = list(townships_visible_to(request.user))
    return exports.summary_response(townships, year, start, end, shown_township(request))
