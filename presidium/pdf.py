"""One way to render a PDF: a Django template → WeasyPrint, with the CJK fonts of fonts-noto-cjk.

Every printed book and report goes through :func:`render_pdf`, so typesetting (A4, fonts, running
header, page numbers, table of contents) lives in ``templates/pdf/base.html`` and is shared.
Fonts are subset by HarfBuzz (Debian ``libharfbuzz-subset0``): without it one page of Chinese
takes seconds instead of milliseconds and the file embeds whole CJK fonts."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf_document(template_name: str, context: dict, *, request=None) -> RenderedPdf:
    """Render a template to PDF and say how many pages it has (for job records and benchmarks)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context, request=request)
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=fonts)
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    return render_pdf_document(template_name, context, request=request).content


def pdf_response(pdf: bytes, filename: str, *, attachment: bool = False):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response
