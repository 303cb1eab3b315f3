"""The roster: list, add, edit, a deputy's record page (and the deputy's own), status changes, composition."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import townships_visible_to
from presidium.viewkit import (
    call_service,
    can_edit,
    chosen_township,
    page_of,
    query_year,
    show_errors,
    staff_township,
    this_year,
    year_choices,
)

from .. import forms, selectors, services
from ..models import Deputy
from .common import READERS


@role_required(*READERS)
def roster(request):
    qs = selectors.deputies_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "serving")
    filters = {k: request.GET.get(k, "") for k in ("district", "group", "occupation", "township")}
    qs = selectors.search_deputies(qs, q)
    if status in Deputy.Status.values:
        qs = qs.filter(status=status)
    for key in ("district", "group", "township"):
        if filters[key].isdigit():
            qs = qs.filter(**{f"{key}_id": int(filters[key])})
    if filters["occupation"] in Deputy.Occupation.values:
        qs = qs.filter(occupation=filters["occupation"])
    page = page_of(request, qs.order_by("township__code", "name_pinyin", "pk"))
    return render(
        request,
        "deputies/roster.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "filters": filters,
            "statuses": Deputy.Status.choices,
            "occupations": Deputy.Occupation.choices,
            "districts": selectors.districts_visible_to(request.user).order_by("sort_key", "name"),
            "groups": selectors.groups_visible_to(request.user).order_by("name"),
            "townships": townships_visible_to(request.user) if request.user.role == Role.COUNTY else None,
            "can_edit": can_edit(request),
        },
    )


@role_required(Role.STAFF)
def deputy_create(request):
    township = staff_township(request)
    form = forms.DeputyCreateForm(
        request.POST or None,
        township=township,
        initial={
            "district": request.GET.get("district"),
            "by_election": bool(request.GET.get("by_election")),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deputy = services.deputy_create(
                township=township,
                term=data["term"],
                actor=request.user,
                fields={k: data[k] for k in services.ROSTER_FIELDS},
                effective_date=data["effective_date"],
                by_election=data["by_election"],
                document_ref=data["document_ref"],
            )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("已添加代表 %(n)s。") % {"n": deputy.name})
            return redirect("deputies:deputy_detail", pk=deputy.pk)
    return render(
        request,
        "deputies/form.html",
        {"form": form, "title": _("添加代表"), "back": reverse("deputies:roster")},
    )


@role_required(Role.STAFF)
def deputy_edit(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    township = staff_township(request)
    form = forms.DeputyForm(request.POST or None, instance=deputy, township=township)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            request,
            lambda: services.deputy_update(
                deputy=deputy,
                actor=request.user,
                fields={k: form.cleaned_data[k] for k in services.ROSTER_FIELDS},
            ),
            _("代表信息已保存。"),
        )
    ):
        return redirect("deputies:deputy_detail", pk=deputy.pk)
    return render(
        request,
        "deputies/form.html",
        {
            "form": form,
            "title": _("编辑代表：%(n)s") % {"n": deputy.name},
            "back": reverse("deputies:deputy_detail", args=[deputy.pk]),
        },
    )


def _deputy_page(request, deputy, *, own: bool):
    year = query_year(request, this_year())
    start, end = selectors.year_range(year)
    rules = deputy.township.rules
    row = selectors.archive_rows([deputy], start=start, end=end, rules=rules)[0]
    return render(
        request,
        "deputies/deputy_detail.html",
        {
            "deputy": deputy,
            "row": row,
            "year": year,
            "years": year_choices(request),
            "own": own,
            "can_edit": can_edit(request),
            "history": deputy.status_changes.select_related("actor").order_by("effective_date", "pk"),
            "stations": deputy.stations.all(),
            "status_form": forms.StatusChangeForm(
                initial={"expected_status": deputy.status, "effective_date": timezone.localdate()}
            ),
            "contacts": deputy.voter_contacts.order_by("-date")[:10],
            "fixed_voters": selectors.fixed_voter_count(deputy, start=start, end=end),
            "fixed_voters_target": rules.voter_contacts_per_deputy,
            "contact_form": forms.VoterContactForm(
                township=deputy.township, deputy=deputy, initial={"date": timezone.localdate()}
            )
            if own
            else None,
        },
    )


@role_required(*READERS, Role.DEPUTY)
def deputy_detail(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    return _deputy_page(request, deputy, own=deputy.user_id == request.user.pk)


@role_required(Role.DEPUTY)
def my_record(request):
    deputy = selectors.deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    return _deputy_page(request, deputy, own=True)


@require_POST
@role_required(Role.STAFF)
def deputy_status(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    form = forms.StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("请完整填写状态变动信息：%(e)s")
            % {
                "e": "；".join(
                    f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items() if k in form.fields
                )
            },
        )
        return redirect("deputies:deputy_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.deputy_change_status(
            deputy=deputy,
            to_status=data["to_status"],
            effective_date=data["effective_date"],
            actor=request.user,
            document_ref=data["document_ref"],
            note=data["note"],
            expected_status=data["expected_status"],
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("已登记状态变动。"))
    return redirect("deputies:deputy_detail", pk=pk)


@role_required(*READERS)
def composition(request):
    township, visible = chosen_township(request)
    if township is None:
        raise Http404
    terms = selectors.terms_visible_to(request.user).filter(township=township)
    term_id = request.GET.get("term")
    term = terms.filter(pk=int(term_id)).first() if term_id and term_id.isdigit() else terms.first()
    data = selectors.composition(township_id=township.pk, term_id=term.pk if term else None)
    return render(
        request,
        "deputies/composition.html",
        {
            "township": township,
            "townships": visible if request.user.role == Role.COUNTY else None,
            "terms": terms,
            "term": term,
            "data": data,
        },
    )
