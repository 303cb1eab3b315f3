"""One way to render a PDF: a Django template → WeasyPrint, with the CJK fonts of fonts-noto-cjk.

Every printed book and report goes through :func:`render_pdf`, so typesetting (A4, fonts, running
header, page numbers) lives in ``templates/pdf/base.html`` and is shared."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context, request=request)
    fonts = FontConfiguration()
    base_url = str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf(font_config=fonts)


def pdf_response(pdf: bytes, filename: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
