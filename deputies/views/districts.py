"""Electoral districts and deputy groups."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import call_service, can_edit, chosen_township, page_of, staff_township

from .. import forms, selectors, services
from .common import READERS


@role_required(*READERS)
def districts(request):
    township, visible = chosen_township(request)
    form = forms.DistrictForm(request.POST or None)
    if request.method == "POST":
        own = staff_township(request)
        if form.is_valid() and call_service(
            request,
            lambda: services.district_save(township=own, actor=request.user, **form.cleaned_data),
            _("选区已保存。"),
        ):
            return redirect("deputies:districts")
    rows = selectors.district_vacancy_rows(township.pk) if township else []
    return render(
        request,
        "deputies/districts.html",
        {
            "rows": rows,
            "form": form,
            "township": township,
            "can_edit": can_edit(request),
            "townships": visible if request.user.role == Role.COUNTY else None,
            "total_vacancies": sum(r["vacancies"] for r in rows),
        },
    )


@role_required(Role.STAFF)
def district_edit(request, pk):
    district = get_object_or_404(selectors.districts_visible_to(request.user), pk=pk)
    township = staff_township(request)
    form = forms.DistrictForm(request.POST or None, instance=district)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            request,
            lambda: services.district_save(
                township=township,
                actor=request.user,
                district=district,
                name=form.cleaned_data["name"],
                seats=form.cleaned_data["seats"],
            ),
            _("选区已保存。"),
        )
    ):
        return redirect("deputies:districts")
    return render(
        request,
        "deputies/form.html",
        {"form": form, "title": _("编辑选区"), "back": reverse("deputies:districts")},
    )


@role_required(*READERS)
def groups(request):
    qs = selectors.group_rows(request.user)
    form = None
    if can_edit(request):
        township = staff_township(request)
        form = forms.GroupForm(request.POST or None, township=township)
        if (
            request.method == "POST"
            and form.is_valid()
            and call_service(
                request,
                lambda: services.group_save(township=township, actor=request.user, **form.cleaned_data),
                _("代表小组已保存。"),
            )
        ):
            return redirect("deputies:groups")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "deputies/groups.html", {"page": page_of(request, qs), "form": form})


@role_required(Role.STAFF)
def group_edit(request, pk):
    group = get_object_or_404(selectors.groups_visible_to(request.user), pk=pk)
    township = staff_township(request)
    form = forms.GroupForm(
        request.POST or None,
        township=township,
        initial={
            "name": group.name,
            "area": group.area,
            "leader": group.leader_id,
            "members": list(group.members.values_list("pk", flat=True)),
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            request,
            lambda: services.group_save(
                township=township, actor=request.user, group=group, **form.cleaned_data
            ),
            _("代表小组已保存。"),
        )
    ):
        return redirect("deputies:groups")
    return render(
        request,
        "deputies/form.html",
        {
            "form": form,
            "title": _("编辑代表小组：%(n)s") % {"n": group.name},
            "back": reverse("deputies:groups"),
        },
    )
