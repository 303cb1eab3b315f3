"""Thin views: the inbox (every role), channel preferences, and the delivery log for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import call_service, page_of, show_errors

from . import selectors, services
from .forms import PreferencesForm
from .models import Delivery
from .services import effective_channels


@login_required
def inbox(request):
    qs = selectors.inbox_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    q = request.GET.get("q", "").strip()[:50]
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if q:
        qs = qs.filter(title__icontains=q)
    page = page_of(request, qs, per_page=30)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "q": q,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
def open_notification(request, pk):
    """Mark one's own message read and go to the object it is about."""
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    user = request.user
    current = effective_channels(user.role, user.notify_channels)
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial={"channels": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_update(
                user=user, channels=form.cleaned_data["channels"], actor=user
            )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("提醒方式已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "current": current})


@role_required(Role.STAFF, Role.COUNTY)
def delivery_list(request):
    base = selectors.deliveries_visible_to(request.user)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    qs = selectors.delivery_search(base, q=q, status=status, channel=channel)
    page = page_of(request, qs)
    counts = selectors.delivery_status_counts(base)
    return render(
        request,
        "notifications/delivery_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "channel": channel,
            "status_tabs": [(code, label, counts[code]) for code, label in Delivery.Status.choices],
            "statuses": Delivery.Status.choices,
            "can_resend": request.user.is_superuser or request.user.role == Role.STAFF,
        },
    )


@require_POST
@role_required(Role.STAFF)
def delivery_resend(request, pk):
    delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    call_service(
        request,
        lambda: services.delivery_resend(delivery=delivery, actor=request.user),
        _("已重新加入发送队列。"),
        refused=(ValidationError, PermissionDenied),
    )
    return redirect("notifications:deliveries")
