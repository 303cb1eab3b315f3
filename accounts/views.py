"""Account pages: thin views over ``accounts.selectors`` and ``accounts.services``.

Temporary passwords appear only in the response to the POST that made them (the slip list, not
cached, never put in a message or the session), so reloading or going back never shows them again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from deputies.models import Deputy
from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import principal_role
from presidium.viewkit import chosen_township, error_text, page_of, staff_township

from . import selectors, services
from .forms import TownshipStaffForm, UnitForm, UnitOfficerForm
from .selectors import AccountState, account_state


def _slips(request, *, issued, skipped=(), relinked=(), title):
    response = render(
        request,
        "accounts/slips.html",
        {
            "issued": issued,
            "skipped": skipped,
            "relinked": relinked,
            "title": title,
            "sms_labels": services.SMS_STATUS_LABELS,
            "login_url": request.build_absolute_uri(reverse("login")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _back(request, default="accounts:list"):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@role_required(Role.STAFF, Role.COUNTY)
def account_list(request):
    qs = selectors.filter_accounts(selectors.accounts_visible_to(request.user), request.GET)
    page = page_of(request, qs)
    labels = dict(Deputy.Status.choices)
    for u in page:
        u.state = account_state(u)
        ended = u.deputy_status and u.deputy_status != Deputy.Status.SERVING
        u.service_ended = labels.get(u.deputy_status, u.deputy_status) if ended else ""
    roles = [(Role.DEPUTY, Role.DEPUTY.label), (Role.UNIT, Role.UNIT.label)]
    if principal_role(request.user) in (Role.COUNTY, Role.ADMIN):
        roles = [(Role.STAFF, Role.STAFF.label)]
    return render(
        request,
        "accounts/list.html",
        {
            "page": page,
            "q": request.GET.get("q", ""),
            "role": request.GET.get("role", ""),
            "state": request.GET.get("state", ""),
            "service": request.GET.get("service", ""),
            "roles": roles,
            "states": AccountState.LABELS,
        },
    )


@role_required(Role.STAFF)
def deputy_logins(request):
    township = staff_township(request)
    qs = selectors.roster_for_logins(township, request.GET)
    page = page_of(request, qs)
    labels = dict(Deputy.Status.choices)
    for d in page:
        d.status_label = labels.get(d.status_then, d.status_then)
    summary = selectors.login_summary(township)
    return render(
        request,
        "accounts/deputies.html",
        {
            "township": township,
            "page": page,
            "summary": summary,
            "q": request.GET.get("q", ""),
            "login": request.GET.get("login", ""),
            "scope": request.GET.get("scope", ""),
            "states": AccountState.LABELS,
            "sms_console": services.sms_is_console(),
        },
    )


@never_cache
@require_POST
@role_required(Role.STAFF)
def deputy_logins_issue(request):
    township = staff_township(request)
    send_sms = bool(request.POST.get("send_sms"))
    if request.POST.get("all_missing"):
        ids = selectors.serving_deputies_without_login(township)
    else:
        try:
            ids = [int(v) for v in request.POST.getlist("deputy")]
        except ValueError:
            ids = None
        if ids is None:
            messages.error(request, _("所选代表无效，请刷新页面后重试。"))
            return redirect("accounts:deputies")
    if not ids:
        messages.error(request, _("没有需要开通账号的代表：请先勾选代表。"))
        return redirect("accounts:deputies")
    try:
        result = services.deputy_logins_issue(
            township=township, deputy_ids=ids, actor=request.user, send_sms=send_sms
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("accounts:deputies")
    return _slips(
        request,
        issued=result.issued,
        skipped=result.skipped,
        relinked=result.relinked,
        title=_("代表账号开通凭条"),
    )


@never_cache
@role_required(Role.STAFF)
def unit_officers(request):
    township = staff_township(request)
    form = UnitOfficerForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        slips = _create_account(
            request, form, _("承办单位账号开通凭条"), role=Role.UNIT, unit=form.cleaned_data["unit"]
        )
        if slips is not None:
            return slips
    units = selectors.units_with_officers(township)
    return render(
        request,
        "accounts/unit_officers.html",
        {"form": form, "unit_form": UnitForm(), "units": units, "township": township},
    )


@require_POST
@role_required(Role.STAFF)
def unit_create(request):
    township = staff_township(request)
    form = UnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写单位名称。"))
        return redirect("accounts:unit_officers")
    try:
        unit = services.unit_create(township=township, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已登记承办单位“%(n)s”。") % {"n": unit.name})
    return redirect("accounts:unit_officers")


@never_cache
@role_required(Role.COUNTY)
def township_staff(request):
    county_id = None if request.user.is_superuser else request.user.county_id
    form = TownshipStaffForm(request.POST or None, county_id=county_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slips = _create_account(
            request,
            form,
            _("乡镇工作人员账号开通凭条"),
            role=Role.STAFF,
            township=data["township"],
            staff_title=data["staff_title"],
        )
        if slips is not None:
            return slips
    townships = form.fields["township"].queryset.annotate(
        staff_active=Count("users", filter=Q(users__role=Role.STAFF, users__is_active=True)),
        staff_logged_in=Count(
            "users", filter=Q(users__role=Role.STAFF, users__is_active=True, users__last_login__isnull=False)
        ),
    )
    return render(request, "accounts/township_staff.html", {"form": form, "townships": townships})


def _create_account(request, form, title, **placement):
    """Open one login from a valid ``form`` (name, phone, username, SMS) placed by ``placement``
    (role and unit, or role, township and title): the slip page, or None with the refusal on the
    form (a field's error beside the field) or, for a permission refusal, as a message."""
    data = form.cleaned_data
    try:
        line = services.account_create(
            actor=request.user,
            full_name=data["full_name"],
            phone=data["phone"],
            username=data["username"],
            send_sms=data["send_sms"],
            **placement,
        )
    except ValidationError as exc:
        _attach(form, exc)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    else:
        return _slips(request, issued=[line], title=title)
    return None


def _attach(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@never_cache
@require_POST
@role_required(Role.STAFF, Role.COUNTY)
def account_reset(request, pk):
    target = get_object_or_404(selectors.accounts_visible_to(request.user), pk=pk)
    try:
        line = services.account_reset(
            target=target, actor=request.user, send_sms=bool(request.POST.get("send_sms"))
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return _back(request)
    return _slips(request, issued=[line], title=_("重置密码凭条"))


@require_POST
@role_required(Role.STAFF, Role.COUNTY)
def account_deactivate(request, pk):
    return _set_active(request, pk, active=False)


@require_POST
@role_required(Role.STAFF, Role.COUNTY)
def account_activate(request, pk):
    return _set_active(request, pk, active=True)


def _set_active(request, pk, *, active):
    target = get_object_or_404(selectors.accounts_visible_to(request.user), pk=pk)
    try:
        user = services.account_set_active(
            target=target, actor=request.user, active=active, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return _back(request)
    if active:
        messages.success(request, _("已启用 %(n)s 的账号。") % {"n": user.display_name})
    else:
        messages.success(request, _("已停用 %(n)s 的账号，该账号不能再登录。") % {"n": user.display_name})
        if user.role == Role.UNIT and user.unit_id and services.unit_active_officer_count(user.unit_id) == 0:
            messages.warning(
                request,
                _("%(u)s 已没有启用的账号。单位的待办事项仍在单位名下，请尽快为该单位开通新账号。")
                % {"u": user.unit},
            )
    return _back(request)


@role_required(Role.STAFF, Role.COUNTY)
def checklist(request):
    """The first-day checklist of the user's township; county staff pick one of their county's."""
    from .checklist import township_checklist

    if principal_role(request.user) == Role.STAFF:
        township = staff_township(request)
        choices = None
    else:
        township, choices = chosen_township(request, or_first=True)
    items = township_checklist(township)
    if choices is not None:
        # County staff read the township's pages with ?township=; the account pages are the office's.
        for item in items:
            item.url = "" if item.staff_only else f"{item.url}?township={township.pk}"
    done = sum(1 for i in items if i.done)
    return render(
        request,
        "accounts/checklist.html",
        {"township": township, "items": items, "done": done, "total": len(items), "choices": choices},
    )
