"""API documentation pages that work on an intranet: no request leaves the machine.

drf-spectacular-sidecar ships Swagger UI and Redoc from PyPI, but two things in them still reach the
internet: drf-spectacular's Redoc page links Google Fonts (its template is overridden in
``templates/drf_spectacular/redoc.html``), and the Redoc bundle draws the "API docs by Redocly"
badge from ``cdn.redoc.ly``. The bundle is therefore served through ``redoc_bundle``, which swaps
that one image for an inline one; everything else is the sidecar's file as installed.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularRedocView

SIDECAR_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REMOTE_IMAGES = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)
# A 1×1 transparent SVG: the badge keeps its place and its link, without a remote image.
INLINE_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"


@lru_cache(maxsize=1)
def _bundle() -> tuple[bytes, str]:
    path = finders.find(SIDECAR_BUNDLE)
    if not path:
        raise Http404
    text = Path(path).read_text(encoding="utf-8")
    for url in REMOTE_IMAGES:
        text = text.replace(url, INLINE_IMAGE)
    body = text.encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:16]


@require_GET
def redoc_bundle(request):
    """The sidecar's Redoc bundle with its one remote image made local (cached by the browser)."""
    body, etag = _bundle()
    quoted = f'"{etag}"'
    if request.headers.get("If-None-Match") == quoted:
        return HttpResponseNotModified()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["ETag"] = quoted
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LocalRedocView(SpectacularRedocView):
    """Redoc with the locally patched bundle."""

    @staticmethod
    def _redoc_standalone():
        return reverse("redoc-bundle")
