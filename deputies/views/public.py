"""The public pages without login: a station's voter page and a deputy's code page, one message flow
and one per-address budget."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from presidium.viewkit import client_ip, error_text

from .. import forms, selectors, services


def _voter_message_limit() -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("voter_message", "5/hour")
    count, _sep, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period[:1], 3600)
    return int(count), seconds


def _too_many_messages(request) -> bool:
    """One budget per address for every public message form (stations and deputy codes alike)."""
    limit, period = _voter_message_limit()
    key = f"voter-message:{client_ip(request)}"
    cache.add(key, 0, period)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, period)
        used = 1
    return used > limit


def voter_message(request, token):
    """The public page behind a station's QR code: a voter leaves a message (no login)."""
    station = selectors.station_for_token(token)
    if station is None:
        raise Http404
    context = {"station": station, "deputies": selectors.station_public_deputies(station)}
    return _public_message(
        request,
        context,
        closed=None if station.is_active else _("该联络站暂停接收留言。"),
        submit=lambda **fields: services.voter_message_submit(station=station, **fields),
        template="deputies/voter_message.html",
        done_template="deputies/voter_message_done.html",
    )


def _public_message(request, context, *, closed, submit, template, done_template):
    """One flow for every public message form (a station's QR code, a deputy's code): closed
    message, honeypot, the shared per-address budget, the service, and the same answers."""
    form = forms.VoterMessageForm(request.POST or None)
    context["form"] = form
    if request.method == "POST":
        if closed:
            form.add_error(None, closed)
        elif form.is_valid():
            if form.cleaned_data.get("website"):
                # A bot filled the invisible field: answer as if accepted, store nothing.
                return render(request, done_template, context)
            if _too_many_messages(request):
                form.add_error(None, _("提交过于频繁，请稍后再试。"))
                return render(request, template, context, status=429)
            try:
                submit(
                    content=form.cleaned_data["content"],
                    voter_name=form.cleaned_data["voter_name"],
                    voter_phone=form.cleaned_data["voter_phone"],
                )
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                return render(request, done_template, context)
    return render(request, template, context)


def deputy_message(request, token):
    """The public page behind a deputy's 代表码: a voter leaves a message for that deputy (no login).
    Same form, honeypot, length limits and rate limit as a station's page."""
    deputy = selectors.deputy_for_token(token)
    if deputy is None:
        raise Http404
    serving = selectors.is_serving_today(deputy)
    return _public_message(
        request,
        {"deputy": deputy},
        closed=None if serving else _("这位代表目前不在任，暂不接收留言。"),
        submit=lambda **fields: services.deputy_message_submit(deputy=deputy, **fields),
        template="deputies/deputy_message.html",
        done_template="deputies/deputy_message_done.html",
    )
