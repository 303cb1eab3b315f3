"""Reads of the accounts app: who may be managed by whom (``presidium.selectors.users_manageable_by``
decides), whether a deputy is still in office (from the status history, at request time), and the
account lists with their activation state."""

import datetime as dt

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, DeputyStatusChange
from presidium.models import HandlingUnit, Role, User
from presidium.selectors import principal_role, users_manageable_by


class AccountState:
    """Activation state of a login, as shown in the lists (computed, never stored)."""

    INACTIVE = "inactive"
    NEVER = "never"
    MUST_CHANGE = "must_change"
    ACTIVE = "active"

    LABELS = {
        INACTIVE: _("已停用"),
        NEVER: _("从未登录"),
        MUST_CHANGE: _("待修改临时密码"),
        ACTIVE: _("已启用"),
    }


def account_state(user: User) -> str:
    if not user.is_active:
        return AccountState.INACTIVE
    if user.last_login is None:
        return AccountState.NEVER
    if user.must_change_password:
        return AccountState.MUST_CHANGE
    return AccountState.ACTIVE


def with_service_status(qs: QuerySet[Deputy], on_date: dt.date | None = None) -> QuerySet[Deputy]:
    """Annotate ``status_then``: the deputy's status on ``on_date`` read from the status history
    (``DeputyStatusChange``) — the last change in effect that day; before the first change, the
    status that change starts from; a deputy without any history falls back to ``status``. The
    same reading as ``congress.selectors.current_deputies`` (quorum), so access and figures agree.
    ``status_then_since`` is the date that status took effect (None without history)."""
    on_date = on_date or timezone.localdate()
    changes = DeputyStatusChange.objects.filter(deputy=OuterRef("pk"))
    last = changes.filter(effective_date__lte=on_date).order_by("-effective_date", "-pk")
    following = changes.filter(effective_date__gt=on_date).order_by("effective_date", "pk")
    return qs.annotate(
        status_then=Coalesce(
            Subquery(last.values("to_status")[:1]),
            Subquery(following.values("from_status")[:1]),
            F("status"),
            output_field=CharField(),
        ),
        status_then_since=Subquery(last.values("effective_date")[:1]),
    )


def deputy_service_for_user(user) -> dict | None:
    """For a deputy login: ``{"serving": bool, "status": code, "since": date|None, "name": str}``
    from the status history at this moment (one query). None when the login has no roster record."""
    if principal_role(user) != Role.DEPUTY:
        return None
    row = (
        with_service_status(Deputy.objects.filter(user_id=user.pk))
        .values("name", "status_then", "status_then_since")
        .first()
    )
    if row is None:
        return None
    return {
        "serving": row["status_then"] == Deputy.Status.SERVING,
        "status": row["status_then"],
        "since": row["status_then_since"],
        "name": row["name"],
    }


def accounts_visible_to(user) -> QuerySet[User]:
    """The logins the user manages (staff: their township's deputies and unit officers; county staff:
    the county's township staff), with what the list shows."""
    return users_manageable_by(user).select_related("township", "unit", "county")


def with_deputy_status(qs: QuerySet[User]) -> QuerySet[User]:
    """Annotate ``deputy_status``: for a deputy login, its roster record's status today from the
    history (None for other logins), so the list shows who has left office."""
    record = with_service_status(Deputy.objects.filter(user=OuterRef("pk"))).values("status_then")[:1]
    return qs.annotate(deputy_status=Subquery(record))


def filter_accounts(qs: QuerySet[User], params) -> QuerySet[User]:
    qs = with_deputy_status(qs)
    if params.get("service") == "ended":
        qs = qs.filter(role=Role.DEPUTY, deputy_status__isnull=False).exclude(
            deputy_status=Deputy.Status.SERVING
        )
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(full_name__icontains=q)
            | Q(phone__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(township__name__icontains=q)
        )
    role = params.get("role") or ""
    if role in Role.values:
        qs = qs.filter(role=role)
    state = params.get("state") or ""
    if state == AccountState.INACTIVE:
        qs = qs.filter(is_active=False)
    elif state == AccountState.NEVER:
        qs = qs.filter(is_active=True, last_login__isnull=True)
    elif state == AccountState.MUST_CHANGE:
        qs = qs.filter(is_active=True, last_login__isnull=False, must_change_password=True)
    elif state == AccountState.ACTIVE:
        qs = qs.filter(is_active=True, last_login__isnull=False, must_change_password=False)
    return qs


def roster_for_logins(township, params=None) -> QuerySet[Deputy]:
    """The township's deputies with their service status (history) and login, for issuing logins.
    Default: the serving deputies; ``scope=all`` shows former deputies too (their logins can still
    be deactivated)."""
    params = params or {}
    qs = with_service_status(
        Deputy.objects.filter(township=township).select_related("district", "term", "user")
    ).annotate(
        login_state=Case(
            When(user__isnull=True, then=Value("none")),
            When(user__is_active=False, then=Value(AccountState.INACTIVE)),
            When(user__last_login__isnull=True, then=Value(AccountState.NEVER)),
            When(user__must_change_password=True, then=Value(AccountState.MUST_CHANGE)),
            default=Value(AccountState.ACTIVE),
            output_field=CharField(),
        )
    )
    if params.get("scope") != "all":
        qs = qs.filter(status_then=Deputy.Status.SERVING)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_pinyin__icontains=q.lower())
            | Q(name_initials__icontains=q.lower())
            | Q(phone__icontains=q)
            | Q(district__name__icontains=q)
        )
    login = params.get("login") or ""
    if login in ("none", *AccountState.LABELS):
        qs = qs.filter(login_state=login)
    return qs.order_by("district__sort_key", "district__name", "name_pinyin", "pk")


def serving_deputies(township) -> QuerySet[Deputy]:
    """The township's deputies serving today (from the status history, not the status field)."""
    return with_service_status(Deputy.objects.filter(township=township)).filter(
        status_then=Deputy.Status.SERVING
    )


def login_summary(township) -> dict:
    """Of the serving deputies: how many, with a login, who have signed in, without a phone."""
    return serving_deputies(township).aggregate(
        serving=Count("pk"),
        issued=Count("pk", filter=Q(user__isnull=False)),
        activated=Count("pk", filter=Q(user__last_login__isnull=False)),
        no_phone=Count("pk", filter=Q(phone="")),
    )


def serving_deputies_without_login(township) -> list[int]:
    return list(serving_deputies(township).filter(user__isnull=True).values_list("pk", flat=True))


def units_with_officers(township) -> QuerySet[HandlingUnit]:
    """The township's handling units with their active and total officer logins, active first."""
    return (
        HandlingUnit.objects.filter(township=township)
        .annotate(
            active_officers=Count("officers", filter=Q(officers__is_active=True, officers__role=Role.UNIT)),
            officers_total=Count("officers", filter=Q(officers__role=Role.UNIT)),
        )
        .order_by("-is_active", "name")
    )
