"""What every deputies view leans on beyond ``presidium.viewkit``: the roles that read the roster pages,
and the QR-code image of a public page (a station's message form, a deputy's personal code)."""

import io
from urllib.parse import quote

from django.http import HttpResponse

from presidium.models import Role

READERS = (Role.STAFF, Role.COUNTY)


def qr_svg_response(request, url: str, name: str, suffix: str = ".svg") -> HttpResponse:
    """The QR code of ``url`` as an SVG image; with ``?download=1`` saved as ``name`` + ``suffix``."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}{suffix}"
    return response
