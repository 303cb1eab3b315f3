import re
import unicodedata

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class ForcePasswordChangeMiddleware:
    """A user with a temporary password must change it before doing anything else — on the pages
    and on the API through the session alike (API keys are not users and are unaffected)."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("请先修改临时密码后再使用。"), "code": "password_change_required"},
                    status=403,
                )
            return redirect(reverse("password_change"))
        return self.get_response(request)


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; many township PCs run
    browsers set to English, and the product must still open in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in dict(settings.LANGUAGES):
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class OneTimeSubmitMiddleware:
    """A form posted twice with the same one-time token changes nothing the second time.

    ``static/js/app.js`` gives every POST form on a page a hidden ``_once`` field with a fresh
    random token (and disables its buttons while the request is in flight). The first request
    carrying a token claims it in the cache (``cache.add`` is atomic in Redis and in the local
    cache); a replay — a double tap, a resent request, the browser's "resubmit" — finds it claimed
    and is answered with a redirect to wherever the first request went, without reaching the view.
    A request that failed with a server error releases its token so the user can try again.

    The browser shows the response of the *last* request of a double tap, so the replay waits a
    little for the first one to finish and follows it (the user lands on the new item, with the
    first request's success message)."""

    FIELD = "_once"
    TIMEOUT = 24 * 3600
    WAIT_SECONDS = 8.0
    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def _key(self, request, token):
        user = getattr(request, "user", None)
        who = user.pk if user is not None and user.is_authenticated else "anon"
        return f"once:{who}:{token[:64]}"

    def __call__(self, request):
        if request.method != "POST" or not request.content_type.startswith(self.FORM_TYPES):
            return self.get_response(request)
        token = request.POST.get(self.FIELD, "")
        if not token:
            return self.get_response(request)
        from django.core.cache import cache

        key = self._key(request, token)
        if not cache.add(key, "pending", self.TIMEOUT):
            return self._replay(request, key)
        try:
            response = self.get_response(request)
        except Exception:
            cache.delete(key)
            raise
        if response.status_code >= 500:
            cache.delete(key)
        elif 300 <= response.status_code < 400 and response.get("Location"):
            cache.set(key, response["Location"], self.TIMEOUT)
        else:
            cache.set(key, request.get_full_path(), self.TIMEOUT)
        return response

    def _replay(self, request, key):
        import time

        from django.contrib import messages
        from django.core.cache import cache
        from django.utils.http import url_has_allowed_host_and_scheme
        from django.utils.translation import gettext as _

        if request.headers.get("HX-Request"):
            # An htmx replay: the first request already updated the page fragment; swap nothing.
            from django.http import HttpResponse

            return HttpResponse(status=204)
        deadline = time.monotonic() + self.WAIT_SECONDS
        target = cache.get(key)
        while target == "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
            target = cache.get(key)
        if (
            not target
            or target == "pending"
            or not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            target = request.get_full_path()
        if getattr(request, "_messages", None) is not None:
            messages.info(request, _("该表单已提交过一次，没有重复提交。"))
        return redirect(target)


# C0 controls and DEL, except tab, line feed and carriage return (which multi-line text keeps), and the
# invisible zero-width characters (a name made only of them looks empty yet passes "required").
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# No identifier, year, page or count of the platform has more digits than this (bigint has 19).
MAX_INTEGER_DIGITS = 18
# Free-text parameters: searched as typed (a 20-digit account number is a fine thing to search for).
FREE_TEXT_PARAMS = frozenset({"q", "search", "comment", "content", "title"})


def clean_input(value: str) -> str:
    """What the platform accepts of a typed value: control characters, NUL and zero-width characters
    removed; a number typed with full-width (or other Unicode) digits, such as ``０１``, read as the
    ASCII digits it means."""
    value = CONTROL_CHARACTERS_RE.sub("", value)
    if value and not value.isascii() and value.isdigit():
        value = "".join(str(unicodedata.digit(c)) for c in value)
    return value


def _cleaned(querydict):
    cleaned = querydict.copy()
    for key, values in querydict.lists():
        cleaned.setlist(key, [clean_input(v) if isinstance(v, str) else v for v in values])
    cleaned._mutable = False
    return cleaned


class InputSanitizerMiddleware:
    """The edge for everything typed: query strings (pages, django-filter filters, DRF query params)
    and form posts are cleaned once, here, before any view, form, filter or serializer sees them.
    A query-string integer too long for any column answers 400 with a Chinese message instead of
    overflowing the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        for key, values in request.GET.lists():
            if key in FREE_TEXT_PARAMS:
                continue
            for value in values:
                if value.isdigit() and len(value.lstrip("0")) > MAX_INTEGER_DIGITS:
                    message = _("参数“%(name)s”的数值超出范围。") % {"name": key[:40]}
                    if request.path.startswith("/api/"):
                        return JsonResponse({"detail": message, "code": "out_of_range"}, status=400)
                    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
