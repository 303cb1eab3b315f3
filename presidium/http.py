"""Small HTTP helpers shared by the views."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback, *, referer: bool = False) -> str:
    """Where to send the user back: ``next`` (POST, then GET) — or the Referer if asked — when it
    points into this site, else ``fallback`` (a URL or a URL name). ``//evil.example/x``,
    ``https://evil.example`` and ``/\\evil.example`` are never followed (open redirect)."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if referer:
        candidates.append(request.META.get("HTTP_REFERER"))
    for target in candidates:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return resolve_url(fallback)
