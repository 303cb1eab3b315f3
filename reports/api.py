"""REST: the annual report PDF for a county client (township + year), permission-checked."""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes

from presidium.api.permissions import IsStaffOrCounty
from presidium.pdf import pdf_response, render_pdf_document

from .content import build_annual_report
from .selectors import report_townships_visible_to, valid_year


@extend_schema(
    responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    summary="主席团年度工作报告 PDF / annual work report PDF",
)
@api_view(["GET"])
@permission_classes([IsStaffOrCounty])
def annual_report_pdf(request, township_id: int, year: int):
    """The presidium's annual work report of a township and year as a PDF. API keys and county staff
    read the townships of their county; a township key only its own township."""
    township = report_townships_visible_to(request.user).filter(pk=township_id).first()
    if township is None or not valid_year(year):
        raise Http404
    rendered = render_pdf_document(
        "reports/pdf/annual_report.html", build_annual_report(township, year, user=request.user)
    )
    return pdf_response(
        rendered.content, _("%(t)s%(y)s年人大主席团工作报告.pdf") % {"t": township.name, "y": year}
    )


urlpatterns = [
    path("reports/annual/<int:township_id>/<int:year>/pdf/", annual_report_pdf, name="reports-annual-pdf"),
]
