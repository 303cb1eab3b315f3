"""Liaison stations (家站点): list, create, edit, detail and the QR code of the public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import can_edit, page_of, show_errors, staff_township

from .. import forms, selectors, services
from .common import READERS, qr_svg_response


@role_required(*READERS)
def stations(request):
    qs = selectors.station_rows(request.user)
    return render(
        request, "deputies/stations.html", {"page": page_of(request, qs), "can_edit": can_edit(request)}
    )


def _station_form_view(request, station=None):
    township = staff_township(request)
    form = forms.StationForm(request.POST or None, instance=station, township=township)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        deputies = data.pop("deputies")
        try:
            station = services.station_save(
                township=township, actor=request.user, fields=data, deputies=deputies, station=station
            )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("联络站已保存。"))
            return redirect("deputies:station_detail", pk=station.pk)
    title = _("编辑联络站：%(n)s") % {"n": station.name} if station else _("新建家站点")
    return render(
        request, "deputies/form.html", {"form": form, "title": title, "back": reverse("deputies:stations")}
    )


@role_required(Role.STAFF)
def station_create(request):
    return _station_form_view(request)


@role_required(Role.STAFF)
def station_edit(request, pk):
    station = get_object_or_404(selectors.stations_visible_to(request.user), pk=pk)
    return _station_form_view(request, station)


def _public_url(request, station):
    return request.build_absolute_uri(
        reverse("deputies:voter_message", kwargs={"token": station.public_token})
    )


@role_required(*READERS)
def station_detail(request, pk):
    station = get_object_or_404(selectors.stations_visible_to(request.user), pk=pk)
    return render(
        request,
        "deputies/station_detail.html",
        {
            "station": station,
            "public_url": _public_url(request, station),
            "deputies": station.deputies.order_by("name_pinyin"),
            "reception_days": station.reception_days.order_by("-date")[:12],
            "opinions": station.opinions.order_by("-received_on", "-pk")[:10],
            "can_edit": can_edit(request),
        },
    )


@role_required(*READERS)
def station_qr(request, pk):
    station = get_object_or_404(selectors.stations_visible_to(request.user), pk=pk)
    return qr_svg_response(request, _public_url(request, station), station.name)
