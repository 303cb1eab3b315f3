"""HTML views of the deputies app: thin; reads through selectors, writes through services."""

import datetime as dt
import io
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium import sheet_reader
from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import principal_role, selectable_years, townships_visible_to
from presidium.spreadsheets import SafeWorkbook, dataset_workbook, xlsx_response

from . import forms, importing, selectors, services
from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Training,
    VoterContact,
    VoterOpinion,
    reception_announce_min_days,
    serving_on_q,
)
from .resources import RosterResource

READERS = (Role.STAFF, Role.COUNTY)


def _errors(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def _staff_township(request):
    if not request.user.township_id or principal_role(request.user) not in (Role.STAFF, Role.ADMIN):
        raise PermissionDenied
    return request.user.township


def _can_edit(request) -> bool:
    return principal_role(request.user) == Role.STAFF and bool(request.user.township_id)


def _chosen_township(request):
    """The township a read view shows: the user's own, or (county staff) the one picked in ?township=."""
    visible = townships_visible_to(request.user)
    wanted = request.GET.get("township")
    if wanted and wanted.isdigit():
        township = visible.filter(pk=int(wanted)).first()
        if township is None:
            raise Http404
        return township, visible
    if request.user.township_id:
        return visible.filter(pk=request.user.township_id).first(), visible
    return visible.order_by("code").first(), visible


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year + 1 else today.year


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


# --- Roster -----------------------------------------------------------------------------------------


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
    page = _page(request, qs.order_by("township__code", "name_pinyin", "pk"))
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
            "can_edit": _can_edit(request),
        },
    )


@role_required(Role.STAFF)
def deputy_create(request):
    township = _staff_township(request)
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
            messages.error(request, _errors(exc))
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
    township = _staff_township(request)
    form = forms.DeputyForm(request.POST or None, instance=deputy, township=township)
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_update(
                deputy=deputy,
                actor=request.user,
                fields={k: form.cleaned_data[k] for k in services.ROSTER_FIELDS},
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("代表信息已保存。"))
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
    year = _year(request)
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
            "years": selectable_years(request.user, today=timezone.localdate()),
            "own": own,
            "can_edit": _can_edit(request),
            "history": deputy.status_changes.select_related("actor").order_by("effective_date", "pk"),
            "stations": deputy.stations.all(),
            "status_form": forms.StatusChangeForm(
                initial={"expected_status": deputy.status, "effective_date": timezone.localdate()}
            ),
            "contacts": deputy.voter_contacts.order_by("-date")[:10],
            "fixed_voters": deputy.voter_contacts.filter(date__gte=start, date__lte=end)
            .values("voter_name")
            .distinct()
            .count(),
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
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已登记状态变动。"))
    return redirect("deputies:deputy_detail", pk=pk)


@role_required(*READERS)
def composition(request):
    township, visible = _chosen_township(request)
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


@role_required(*READERS)
def terms(request):
    township, visible = _chosen_township(request)
    if township is None:
        raise Http404
    form = forms.TermForm(request.POST or None)
    if request.method == "POST":
        own = _staff_township(request)
        if form.is_valid():
            try:
                services.term_create(township=own, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已新建届次。"))
                return redirect("deputies:terms")
    rows = (
        selectors.terms_visible_to(request.user)
        .filter(township=township)
        .annotate(
            serving=Count("deputies", filter=serving_on_q(timezone.localdate(), "deputies__")),
            total=Count("deputies"),
        )
        .order_by("-number")
    )
    return render(
        request,
        "deputies/terms.html",
        {
            "rows": rows,
            "form": form,
            "close_form": forms.TermCloseForm(initial={"effective_date": timezone.localdate()}),
            "change_term_id": _term_to_change(rows),
            "township": township,
            "townships": visible if request.user.role == Role.COUNTY else None,
            "can_edit": _can_edit(request),
        },
    )


def _term_to_change(rows) -> int | None:
    """The newest term, while the one before it still has deputies in office: 换届 is pending."""
    rows = list(rows)
    if len(rows) >= 2 and rows[1].serving and rows[0].total:
        return rows[0].pk
    return None


@require_POST
@role_required(Role.STAFF)
def term_change(request, pk):
    term = get_object_or_404(selectors.terms_visible_to(request.user), pk=pk)
    form = forms.TermChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的换届日期。"))
        return redirect("deputies:terms")
    try:
        done = services.term_change(new_term=term, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _(
                "换届完成：上一届 %(closed)s 名代表届满，%(term)s %(started)s 名代表开始履职；"
                "沿用代表小组 %(groups)s 个、联络站 %(stations)s 个、值班安排 %(days)s 场，请核对后修改。"
            )
            % {
                "closed": done["closed"],
                "term": term,
                "started": done["started"],
                "groups": done["groups"],
                "stations": done["stations"],
                "days": done["reception_days"],
            },
        )
    return redirect("deputies:terms")


@require_POST
@role_required(Role.STAFF)
def term_close(request, pk):
    term = get_object_or_404(selectors.terms_visible_to(request.user), pk=pk)
    form = forms.TermCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的届满日期。"))
        return redirect("deputies:terms")
    try:
        n = services.term_close(term=term, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(t)s已届满，%(n)s 名代表的状态已变更为“届满”。") % {"t": term, "n": n})
    return redirect("deputies:terms")


# --- Districts and groups ----------------------------------------------------------------------------


@role_required(*READERS)
def districts(request):
    township, visible = _chosen_township(request)
    form = forms.DistrictForm(request.POST or None)
    if request.method == "POST":
        own = _staff_township(request)
        if form.is_valid():
            try:
                services.district_save(township=own, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("选区已保存。"))
                return redirect("deputies:districts")
    rows = selectors.district_vacancy_rows(township.pk) if township else []
    return render(
        request,
        "deputies/districts.html",
        {
            "rows": rows,
            "form": form,
            "township": township,
            "can_edit": _can_edit(request),
            "townships": visible if request.user.role == Role.COUNTY else None,
            "total_vacancies": sum(r["vacancies"] for r in rows),
        },
    )


@role_required(Role.STAFF)
def district_edit(request, pk):
    district = get_object_or_404(selectors.districts_visible_to(request.user), pk=pk)
    township = _staff_township(request)
    form = forms.DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        try:
            services.district_save(
                township=township,
                actor=request.user,
                district=district,
                name=form.cleaned_data["name"],
                seats=form.cleaned_data["seats"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("选区已保存。"))
            return redirect("deputies:districts")
    return render(
        request,
        "deputies/form.html",
        {"form": form, "title": _("编辑选区"), "back": reverse("deputies:districts")},
    )


@role_required(*READERS)
def groups(request):
    qs = (
        selectors.groups_visible_to(request.user)
        .annotate(member_count=Count("members", filter=serving_on_q(timezone.localdate(), "members__")))
        .order_by("township__code", "name")
    )
    form = None
    if _can_edit(request):
        township = _staff_township(request)
        form = forms.GroupForm(request.POST or None, township=township)
        if request.method == "POST" and form.is_valid():
            try:
                services.group_save(township=township, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("代表小组已保存。"))
                return redirect("deputies:groups")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "deputies/groups.html", {"page": _page(request, qs), "form": form})


@role_required(Role.STAFF)
def group_edit(request, pk):
    group = get_object_or_404(selectors.groups_visible_to(request.user), pk=pk)
    township = _staff_township(request)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(township=township, actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("代表小组已保存。"))
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


# --- Stations and the public voter page ----------------------------------------------------------------


@role_required(*READERS)
def stations(request):
    qs = (
        selectors.stations_visible_to(request.user)
        .annotate(
            deputy_count=Count("deputies", distinct=True),
            open_opinions=Count(
                "opinions", filter=Q(opinions__status=VoterOpinion.Status.OPEN), distinct=True
            ),
            last_held=Max("reception_days__date", filter=Q(reception_days__status=ReceptionDay.Status.HELD)),
        )
        .order_by("township__code", "kind", "name")
    )
    return render(
        request, "deputies/stations.html", {"page": _page(request, qs), "can_edit": _can_edit(request)}
    )


def _station_form_view(request, station=None):
    township = _staff_township(request)
    form = forms.StationForm(request.POST or None, instance=station, township=township)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        deputies = data.pop("deputies")
        try:
            station = services.station_save(
                township=township, actor=request.user, fields=data, deputies=deputies, station=station
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
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
    return _station_form_view(request, Station.objects.get(pk=station.pk))


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
            "can_edit": _can_edit(request),
        },
    )


@role_required(*READERS)
def station_qr(request, pk):
    import segno

    station = get_object_or_404(selectors.stations_visible_to(request.user), pk=pk)
    buffer = io.BytesIO()
    segno.make(_public_url(request, station), error="m").save(buffer, kind="svg", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(station.name)}.svg"
    return response


def _client_ip(request) -> str:
    """The voter's address for rate limiting. X-Forwarded-For is trusted only as far as the
    configured number of reverse proxies (DRF's ``NUM_PROXIES``); otherwise a client could
    invent a new address for every message."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote


def _voter_message_limit() -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("voter_message", "5/hour")
    count, _sep, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period[:1], 3600)
    return int(count), seconds


def _too_many_messages(request) -> bool:
    """One budget per address for every public message form (stations and deputy codes alike)."""
    limit, period = _voter_message_limit()
    key = f"voter-message:{_client_ip(request)}"
    cache.add(key, 0, period)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, period)
        used = 1
    return used > limit


def voter_message(request, token):
    """The public page behind a station's QR code: a voter leaves a message (no login)."""
    station = Station.objects.select_related("township").filter(public_token=token).first()
    if station is None:
        raise Http404
    deputies = station.deputies.serving().only("name").order_by("name_pinyin")
    context = {"station": station, "deputies": deputies}
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
                form.add_error(None, _errors(exc))
            else:
                return render(request, done_template, context)
    return render(request, template, context)


# --- Deputy code (代表码) --------------------------------------------------------------------------------


def _deputy_code_url(request, deputy):
    token = services.deputy_code_token(deputy=deputy)
    return request.build_absolute_uri(reverse("deputies:deputy_message", kwargs={"token": token}))


def _card(request, deputy, *, own: bool):
    messages_qs = deputy.code_messages.order_by("-created_at", "-pk")
    return render(
        request,
        "deputies/deputy_card.html",
        {
            "deputy": deputy,
            "own": own,
            "public_url": _deputy_code_url(request, deputy),
            "recent": messages_qs[:10],
            "open_count": messages_qs.filter(
                status=VoterOpinion.Status.OPEN, responded_at__isnull=True
            ).count(),
        },
    )


@role_required(Role.DEPUTY)
def my_card(request):
    """The deputy's own 代表码 card: print it or show it on the phone for voters to scan."""
    deputy = selectors.deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    return _card(request, deputy, own=True)


@role_required(*READERS, Role.DEPUTY)
def deputy_card(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    return _card(request, deputy, own=deputy.user_id == request.user.pk)


@role_required(*READERS, Role.DEPUTY)
def deputy_card_qr(request, pk):
    import segno

    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    buffer = io.BytesIO()
    segno.make(_deputy_code_url(request, deputy), error="m").save(buffer, kind="svg", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(deputy.name)}-代表码.svg"
    return response


def deputy_message(request, token):
    """The public page behind a deputy's 代表码: a voter leaves a message for that deputy (no login).
    Same form, honeypot, length limits and rate limit as a station's page."""
    deputy = (
        Deputy.objects.select_related("township", "district").filter(public_token=token).first()
        if token
        else None
    )
    if deputy is None:
        raise Http404
    serving = Deputy.objects.serving().filter(pk=deputy.pk).exists()
    return _public_message(
        request,
        {"deputy": deputy},
        closed=None if serving else _("这位代表目前不在任，暂不接收留言。"),
        submit=lambda **fields: services.deputy_message_submit(deputy=deputy, **fields),
        template="deputies/deputy_message.html",
        done_template="deputies/deputy_message_done.html",
    )


# --- Voter opinions ------------------------------------------------------------------------------------


@role_required(*READERS, Role.UNIT, Role.DEPUTY)
def opinions(request):
    qs = selectors.voter_opinions_visible_to(request.user)
    status = request.GET.get("status", "")
    source = request.GET.get("source", "")
    q = request.GET.get("q", "").strip()
    if status in VoterOpinion.Status.values:
        qs = qs.filter(status=status)
    if source in VoterOpinion.Source.values:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(voter_name__icontains=q))
    return render(
        request,
        "deputies/opinions.html",
        {
            "page": _page(request, qs.order_by("-received_on", "-pk")),
            "status": status,
            "source": source,
            "q": q,
            "statuses": VoterOpinion.Status.choices,
            "sources": VoterOpinion.Source.choices,
        },
    )


def linked_suggestion(opinion):
    """The suggestion created from this opinion (found through the suggestion's generic FK)."""
    try:
        from django.contrib.contenttypes.models import ContentType

        from suggestions.models import Suggestion
    except ImportError:
        return None
    ct = ContentType.objects.get_for_model(VoterOpinion)
    return Suggestion.objects.filter(source_content_type=ct, source_object_id=opinion.pk).first()


def _lead_choices(opinion, deputies):
    """The deputies who may carry a suggestion made from this opinion: the addressed deputy (a
    message left through their code), the station's or the reception day's serving deputies first,
    then the rest of the township's."""
    first = {opinion.deputy_id} if opinion.deputy_id else set()
    if opinion.station_id:
        first |= set(opinion.station.deputies.values_list("pk", flat=True))
    if opinion.reception_day_id:
        first |= set(opinion.reception_day.deputies.values_list("pk", flat=True))
    deputies = list(deputies)
    return [d for d in deputies if d.pk in first], [d for d in deputies if d.pk not in first]


# After each action on a voter opinion: what happens next.
OPINION_DONE_MESSAGES = {
    "forward": gettext_lazy("已转办，承办单位会收到通知，答复后自动办结。"),
    "close": gettext_lazy("已办结，处理结果已记录。"),
    "convert": gettext_lazy("已转为建议，将按建议流程审查、交办。"),
    "reply": gettext_lazy("答复已提交，这条选民意见已办结。"),
    "answer": gettext_lazy("答复已记录，这条留言已办结。"),
    "hand_over": gettext_lazy("已转交人大办，人大办会转办或答复选民。"),
}


@role_required(*READERS, Role.UNIT, Role.DEPUTY)
def opinion_detail(request, pk):
    opinion = get_object_or_404(selectors.voter_opinions_visible_to(request.user), pk=pk)
    form = forms.OpinionActionForm(
        request.POST or None, township_id=opinion.township_id, initial={"expected_status": opinion.status}
    )
    if request.method == "POST":
        role = principal_role(request.user)
        if role == Role.COUNTY or (
            role == Role.DEPUTY and request.POST.get("action") not in services.DEPUTY_OPINION_ACTIONS
        ):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.voter_opinion_act(
                    opinion=opinion,
                    action=data["action"],
                    actor=request.user,
                    expected_status=data["expected_status"],
                    comment=data["comment"],
                    unit=data["unit"],
                    category=data["category"],
                    title=data["title"],
                    lead_deputy=data["lead_deputy"],
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, str(OPINION_DONE_MESSAGES.get(data["action"], _("已保存。"))))
                return redirect("deputies:opinion_detail", pk=pk)
        else:
            messages.error(request, _("提交的内容不完整，请重试。"))
    role = principal_role(request.user)
    suggestion = linked_suggestion(opinion) if opinion.status == VoterOpinion.Status.CONVERTED else None
    suggestion_url = None
    if suggestion is not None:
        try:
            suggestion_url = reverse("suggestions:detail", kwargs={"pk": suggestion.pk})
        except Exception:
            suggestion_url = None
    rules = opinion.township.rules
    return render(
        request,
        "deputies/opinion_detail.html",
        {
            "opinion": opinion,
            "events": opinion.events.select_related("actor"),
            "form": form,
            "suggestion": suggestion,
            "suggestion_url": suggestion_url,
            "categories": rules.categories,
            "can_handle": role == Role.STAFF
            and opinion.status in (VoterOpinion.Status.OPEN, VoterOpinion.Status.FORWARDED),
            "can_reply": role == Role.UNIT and opinion.status == VoterOpinion.Status.FORWARDED,
            "can_answer": role == Role.DEPUTY
            and opinion.deputy_id is not None
            and opinion.deputy.user_id == request.user.pk
            and opinion.status == VoterOpinion.Status.OPEN
            and opinion.responded_at is None,
            "units": form.fields["unit"].queryset,
            "lead_choices": _lead_choices(opinion, form.fields["lead_deputy"].queryset)
            if role == Role.STAFF
            else ([], []),
        },
    )


# --- Reception days ---------------------------------------------------------------------------------------


@role_required(*READERS)
def reception_days(request):
    qs = (
        selectors.reception_days_visible_to(request.user)
        .annotate(visitor_count=Count("opinions", distinct=True), duty_count=Count("deputies", distinct=True))
        .order_by("-date", "station__name")
    )
    form = None
    if _can_edit(request):
        township = _staff_township(request)
        form = forms.ReceptionDayForm(request.POST or None, township=township)
        if request.method == "POST" and form.is_valid():
            try:
                day = services.reception_day_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已安排接待选民日。"))
                warning = services.reception_day_notice_warning(day)
                if warning:
                    messages.warning(request, warning)
                return redirect("deputies:reception_day_detail", pk=day.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = _page(request, qs)
    rules = request.user.county.rules if request.user.county_id else None
    min_days = reception_announce_min_days(rules) if rules else 3
    for day in page:
        day.late_notice = day.announcement_late(min_days)
    return render(
        request, "deputies/reception_days.html", {"page": page, "form": form, "announce_min_days": min_days}
    )


@role_required(*READERS)
def reception_day_detail(request, pk):
    day = get_object_or_404(selectors.reception_days_visible_to(request.user), pk=pk)
    form = forms.VisitorForm(request.POST or None)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.visitor_register(day=day, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已登记来访选民意见。"))
                return redirect("deputies:reception_day_detail", pk=pk)
    return render(
        request,
        "deputies/reception_day_detail.html",
        {
            "day": day,
            "form": form,
            "can_edit": _can_edit(request),
            "duty": day.deputies.order_by("name_pinyin"),
            "visitors": day.opinions.order_by("pk"),
        },
    )


@require_POST
@role_required(Role.STAFF)
def reception_day_status(request, pk):
    day = get_object_or_404(selectors.reception_days_visible_to(request.user), pk=pk)
    try:
        services.reception_day_transition(day=day, action=request.POST.get("action", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("接待日状态已更新。"))
    return redirect("deputies:reception_day_detail", pk=pk)


# --- Records: contacts, trainings, activities, duty reports -------------------------------------------------

RECORD_KINDS = {
    "contacts": {
        "model": VoterContact,
        "title": _("联系选民"),
        "selector": selectors.voter_contacts_visible_to,
        "form": forms.VoterContactForm,
    },
    "trainings": {
        "model": Training,
        "title": _("学习培训"),
        "selector": selectors.trainings_visible_to,
        "form": forms.TrainingForm,
    },
    "activities": {
        "model": Activity,
        "title": _("代表活动"),
        "selector": selectors.activities_visible_to,
        "form": forms.ActivityForm,
    },
    "duty_reports": {
        "model": DutyReport,
        "title": _("向选民述职"),
        "selector": selectors.duty_reports_visible_to,
        "form": forms.DutyReportForm,
    },
}


def _record_create(request, kind, form):
    data = dict(form.cleaned_data)
    township = request.user.township
    if kind == "contacts":
        deputy = data.pop("deputy", None) or selectors.deputy_for_user(request.user)
        return services.voter_contact_record(deputy=deputy, actor=request.user, **data)
    if kind == "trainings":
        return services.training_record(township=township, actor=request.user, **data)
    if kind == "activities":
        return services.activity_record(township=township, actor=request.user, **data)
    return services.duty_report_record(actor=request.user, **data)


@role_required(*READERS, Role.DEPUTY)
def records(request, kind):
    conf = RECORD_KINDS[kind]
    qs = conf["selector"](request.user)
    q = request.GET.get("q", "").strip()
    if q:
        text = {
            "contacts": Q(voter_name__icontains=q) | Q(content__icontains=q) | Q(deputy__name__icontains=q),
            "trainings": Q(topic__icontains=q),
            "activities": Q(title__icontains=q),
            "duty_reports": Q(deputy__name__icontains=q),
        }[kind]
        qs = qs.filter(text)
    role = principal_role(request.user)
    own_deputy = selectors.deputy_for_user(request.user) if role == Role.DEPUTY else None
    form = None
    can_add = _can_edit(request) or (
        kind == "contacts" and own_deputy is not None and own_deputy.status == Deputy.Status.SERVING
    )
    if can_add:
        township = request.user.township
        form = conf["form"](
            request.POST or None,
            township=township,
            **({"deputy": own_deputy} if own_deputy is not None else {}),
            initial={"date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                _record_create(request, kind, form)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已登记。"))
                return redirect(f"deputies:{kind}")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "deputies/records.html",
        {
            "kind": kind,
            "title": conf["title"],
            "page": _page(request, qs.order_by("-date", "-pk")),
            "form": form,
            "q": q,
            "can_delete": _can_edit(request),
        },
    )


@require_POST
@role_required(Role.STAFF)
def record_delete(request, kind, pk):
    conf = RECORD_KINDS.get(kind)
    if conf is None:
        raise Http404
    obj = get_object_or_404(conf["selector"](request.user), pk=pk)
    services.record_delete(obj=conf["model"].objects.get(pk=obj.pk), actor=request.user)
    messages.success(request, _("已删除。"))
    return redirect(f"deputies:{kind}")


# --- Performance archive ------------------------------------------------------------------------------------


@role_required(*READERS)
def archive(request):
    township, visible = _chosen_township(request)
    if township is None:
        raise Http404
    year = _year(request)
    start, end = selectors.year_range(year)
    deputies = list(
        selectors.deputies_visible_to(request.user)
        .filter(township=township)
        .serving()
        .order_by("name_pinyin")
    )
    rules = township.rules
    rows = selectors.archive_rows(deputies, start=start, end=end, rules=rules)
    rows.sort(key=lambda r: (-r["score"], r["deputy"].name_pinyin))
    return render(
        request,
        "deputies/archive.html",
        {
            "township": township,
            "townships": visible if request.user.role == Role.COUNTY else None,
            "year": year,
            "years": selectable_years(request.user, today=timezone.localdate()),
            "rows": rows,
            "rules": rules,
            "dormant": [r for r in rows if r["dormant"]],
            "candidates": selectors.commendation_candidates(rows),
            "six_ones_labels": [line["label"] for line in rows[0]["six_ones"]] if rows else [],
        },
    )


@role_required(*READERS)
def archive_export(request):
    """The year's archive as a spreadsheet (for 优秀代表评选 and the annual report)."""
    from openpyxl.styles import Font

    township, _visible = _chosen_township(request)
    if township is None:
        raise Http404
    year = _year(request)
    start, end = selectors.year_range(year)
    deputies = list(
        selectors.deputies_visible_to(request.user)
        .filter(township=township)
        .serving()
        .order_by("name_pinyin")
    )
    rows = selectors.archive_rows(deputies, start=start, end=end, rules=township.rules)
    rows.sort(key=lambda r: (-r["score"], r["deputy"].name_pinyin))
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = f"{year}年履职档案"
    lines = rows[0]["lines"] if rows else []
    six = rows[0]["six_ones"] if rows else []
    ws.append(
        [
            "姓名",
            "选区",
            *[str(line["label"]) for line in lines],
            *[f"六个一：{s['label']}" for s in six],
            "积分",
            "休眠",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        d = r["deputy"]
        ws.append(
            [
                d.name,
                d.district.name if d.district_id else "",
                *[line["count"] for line in r["lines"]],
                *[f"{s['done']}/{s['target']}" for s in r["six_ones"]],
                r["score"],
                "是" if r["dormant"] else "",
            ]
        )
    return _xlsx_response(wb, f"{township.name}{year}年代表履职档案.xlsx")


# --- Excel in and out ----------------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "deputies_roster_import"


def _xlsx_response(workbook, filename: str):
    return xlsx_response(workbook, filename)


def _import_choices(township):
    """Options of the mapping step and of the "待确认" corrections, per field."""
    choices = {
        key: [(str(code), str(label)) for code, label in opts]
        for key, opts in importing.MAPPING_CHOICES.items()
    }
    choices["district"] = [(d.name, d.name) for d in ElectoralDistrict.objects.filter(township=township)]
    choices["group"] = [(g.name, g.name) for g in DeputyGroup.objects.filter(township=township)]
    choices["is_reelected"] = [("1", _("是")), ("0", _("否"))]
    return choices


def _import_choices_from_post(post) -> tuple[dict, dict]:
    """The preview's answers: mappings {(field, value): target} and corrections {(row, field): value}."""
    mappings, overrides = {}, {}
    for name, target in post.items():
        if name.startswith("map_source_"):
            continue
        if name.startswith("map_target_") and target:
            suffix = name.removeprefix("map_target_")
            key, source = post.get(f"map_field_{suffix}", ""), post.get(f"map_source_{suffix}", "")
            if key in importing.MAPPABLE and source:
                mappings[(key, source)] = target
        elif name.startswith("fix-") and target:
            _prefix, row, key = [*name.split("-", 2), "", ""][:3]
            if row.isdigit() and key in importing.FIELD_LABELS:
                overrides[(int(row), key)] = target
    return mappings, overrides


def _import_preview(request, township, outcome, pending, *, post=None):
    post = post or {}
    mappings, overrides = _import_choices_from_post(post)
    choices = _import_choices(township)
    unknown = [
        (i, key, label, source, rows, choices.get(key, []), mappings.get((key, source), ""))
        for i, (key, label, source, rows, _opts) in enumerate(outcome.unknown_list)
    ]
    # Districts and groups come from the township's own set-up: on a first day there may be none
    # yet, and an empty list would leave the secretary with nothing to choose from.
    missing_places = {
        key: [source for _i, k, _label, source, _rows, _opts, _sel in unknown if k == key]
        for key in ("district", "group")
    }
    to_confirm = [
        (
            row,
            [
                (
                    key,
                    importing.FIELD_LABELS[key],
                    row.display(key),
                    reason,
                    choices.get(key, []),
                    overrides.get((row.excel_row, key), ""),
                )
                for key, reason in row.pending.items()
            ],
        )
        for row in outcome.pending_rows
    ]
    return render(
        request,
        "deputies/import.html",
        {
            "outcome": outcome,
            "pending": pending,
            "unknown": unknown,
            "unknown_districts": missing_places["district"],
            "unknown_groups": missing_places["group"],
            "to_confirm": to_confirm,
            "accept_inferred": post.get("accept_inferred") == "1",
            "by_election_ref": post.get("by_election_ref", ""),
            "updates": [r for r in outcome.rows if r.action == "update"],
            "preview_rows": [
                (r, [r.display(k) for k, _label in _PREVIEW_COLUMNS]) for r in outcome.rows[:20]
            ],
            "preview_labels": [label for _k, label in _PREVIEW_COLUMNS],
            "headers": [c.label for c in importing.COLUMNS],
        },
    )


_PREVIEW_COLUMNS = [(k, importing.FIELD_LABELS[k]) for k in importing.FIELD_LABELS if k != "remarks"]


@role_required(Role.STAFF)
def roster_import(request):
    township = _staff_township(request)
    form = forms.RosterImportForm(request.POST or None, request.FILES or None, township=township)
    context = {"form": form, "headers": [c.label for c in importing.COLUMNS]}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        term = form.cleaned_data["term"]
        mode = form.cleaned_data["mode"] or "add"
        start_date = form.cleaned_data["start_date"]
        try:
            if upload.size > importing.MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("文件过大（%(mb).1f MB），导入文件不能超过 5 MB。") % {"mb": upload.size / 1048576}
                )
            data = upload.read()
            sheet = importing.read_upload(name=upload.name, data=data)
            outcome = importing.roster_import(
                township=township,
                term=term,
                sheet=sheet,
                actor=request.user,
                commit=False,
                mode=mode,
                start_date=start_date,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return render(request, "deputies/import.html", context)
        token = uuid.uuid4().hex
        # The parsed rows wait for the confirmation, so the file is not parsed twice.
        path = default_storage.save(
            f"imports/deputies/{token}.json", ContentFile(sheet_reader.dump_sheet(sheet))
        )
        pending = {
            "path": path,
            "term": term.pk,
            "township": township.pk,
            "name": upload.name,
            "mode": mode,
            "start_date": outcome.start_date.isoformat(),
        }
        request.session[IMPORT_SESSION_KEY] = pending
        if outcome.errors:
            messages.error(
                request,
                _("文件中有 %(n)s 处错误，未导入任何数据。请修改后重新上传。") % {"n": len(outcome.errors)},
            )
        return _import_preview(request, township, outcome, pending)
    return render(request, "deputies/import.html", context)


@require_POST
@role_required(Role.STAFF)
def roster_import_confirm(request):
    """Re-check the pending file with the preview's answers (mappings, corrections, confirmations);
    on "确认导入" and nothing blocking, write it all."""
    township = _staff_township(request)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("township") != township.pk:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("deputies:roster_import")
    term = selectors.terms_visible_to(request.user).filter(pk=pending["term"], township=township).first()
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = fh.read()
    except OSError:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        request.session.pop(IMPORT_SESSION_KEY, None)
        return redirect("deputies:roster_import")
    commit = request.POST.get("action", "commit") == "commit"
    mappings, overrides = _import_choices_from_post(request.POST)
    try:
        if term is None:
            raise ValidationError(_("届次不存在。"))
        sheet = sheet_reader.load_sheet(data)
        outcome = importing.roster_import(
            township=township,
            term=term,
            sheet=sheet,
            actor=request.user,
            commit=commit,
            mode=pending.get("mode", "add"),
            start_date=dt.date.fromisoformat(pending["start_date"]) if pending.get("start_date") else None,
            mappings=mappings,
            overrides=overrides,
            accept_inferred=request.POST.get("accept_inferred") == "1",
            by_election_ref=request.POST.get("by_election_ref", "")[:120],
        )
    except ValidationError as exc:
        request.session.pop(IMPORT_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        messages.error(request, _errors(exc))
        return redirect("deputies:roster_import")
    if commit and outcome.ok:
        request.session.pop(IMPORT_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        messages.success(
            request,
            _("已导入：新增 %(c)s 名代表，更新 %(u)s 名代表。")
            % {"c": outcome.created, "u": outcome.updated},
        )
        return redirect("deputies:roster")
    if commit:
        messages.error(request, _("尚有问题未解决，未导入任何数据。"))
    return _import_preview(request, township, outcome, pending, post=request.POST)


@role_required(Role.STAFF)
def import_template(request):
    from openpyxl.styles import Font

    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(RosterResource.headers())
    ws.append(
        [
            "张建华",
            "男",
            "汉族",
            "1975-03-18",
            "中共党员",
            "高中/中专",
            "农民",
            "第1选区",
            "",
            "D-001",
            "13800000000",
            "某某村党支部书记",
            "乡镇人大代表",
            "否",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    options = wb.create_sheet("填写说明")
    options.append(["列", "可填写的值"])
    options.append(["性别", "、".join(str(label) for _c, label in Deputy.Gender.choices)])
    options.append(["政治面貌", "、".join(str(label) for _c, label in Deputy.Party.choices)])
    options.append(["文化程度", "、".join(str(label) for _c, label in Deputy.Education.choices)])
    options.append(["代表结构类别", "、".join(str(label) for _c, label in Deputy.Occupation.choices)])
    options.append(["代表层级", "、".join(str(label) for _c, label in Deputy.Level.choices)])
    options.append(["出生日期（出生年月）", "1975.03、1975年3月、1975-03-18 或 Excel 日期均可"])
    options.append(["选区、代表小组", "须与系统中已建立的名称一致"])
    options.append(["是否连任", "是 / 否"])
    return _xlsx_response(wb, "代表花名册导入模板.xlsx")


def _export_queryset(request):
    township, _visible = _chosen_township(request)
    if township is None:
        raise Http404
    qs = (
        selectors.deputies_visible_to(request.user)
        .filter(township=township)
        .serving()
        .select_related("district", "group")
    )
    return township, qs


@role_required(*READERS)
def export_roster(request):
    township, qs = _export_queryset(request)
    dataset = RosterResource().export(queryset=qs.order_by("name_pinyin"))
    return _xlsx_response(dataset_workbook(dataset, title="代表花名册"), f"{township.name}代表花名册.xlsx")


@role_required(*READERS)
def export_grouping(request):
    """代表分组及花名册: the printed book's layout, one block per group."""
    from openpyxl.styles import Alignment, Font

    township, qs = _export_queryset(request)
    deputies = list(qs.order_by("group__name", "name_pinyin"))
    leaders = set(DeputyGroup.objects.filter(township=township).values_list("leader_id", flat=True))
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "代表分组及花名册"
    headers = [
        "序号",
        "代表小组",
        "组内职务",
        "姓名",
        "性别",
        "出生日期",
        "政治面貌",
        "文化程度",
        "工作单位及职务",
        "选区",
        "代表证号",
        "联系电话",
    ]
    ws.append([f"{township.name}人大代表分组及花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for i, d in enumerate(deputies, start=1):
        ws.append(
            [
                i,
                d.group.name if d.group_id else "未分组",
                "组长" if d.pk in leaders else "组员",
                d.name,
                d.get_gender_display(),
                d.birth_date.strftime("%Y-%m-%d") if d.birth_date else "",
                d.party_label,
                d.get_education_display(),
                d.workplace,
                d.district.name if d.district_id else "",
                d.certificate_no,
                d.phone,
            ]
        )
    return _xlsx_response(wb, f"{township.name}代表分组及花名册.xlsx")
