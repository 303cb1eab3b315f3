"""Reads of the suggestion loop: visibility (applied once, here) and the statistics that pages,
the API, the annual report and the dashboards all share.

Statistics — the definitions, written once (DOMAIN.md §4):
- received 收到: suggestions submitted in the period (drafts never count);
- accepted 立案: received and accepted (numbered); not_accepted 不予立案;
- assigned 交办: received and assigned to a unit (交办) at least once;
- replied 答复: received and answered by the unit at least once;
- completion rate 办结率 = replied / assigned;
- resolution rate 解决率 = resolved (outcome in the county's "resolved" classes, A) / replied;
- planned share B% = planned / replied; reference share C% = other outcomes / replied;
- satisfaction rate 满意率 = (satisfied + basically satisfied) / evaluated (the latest rating);
- on-time rate 按期答复率 = first replies on or before the reply due date / replied;
- overdue 逾期: open items (awaiting assignment or a reply) whose current due date is before today;
- received in session / between sessions 大会期间 / 闭会期间: received items made at a session of the
  congress (``during_session``) or not; by township / county-level deputies: by the level of the
  lead deputy (乡镇人大代表, or 县级及以上代表 organised in the township);
- recorded 代录: steps the office recorded for a deputy or unit (paper, phone, in person) against
  those the person did online (:func:`channel_split`).
Rates are percentages with one decimal, or None when the denominator is zero.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from presidium.models import County, HandlingUnit, Role, Township
from presidium.selectors import int_param, principal_role, township_q, year_param

from .models import (
    ASSIGNED_OR_LATER,
    IN_HANDLING,
    OPEN_STATUSES,
    Attachment,
    CoSigner,
    CoUnit,
    ExtensionStatus,
    Rating,
    Status,
    Suggestion,
)

BASE_RELATED = ("township", "lead_deputy", "lead_unit")
DeputyLevel = Deputy.Level


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """Every suggestion ``user`` may read. Drafts are private to their author; a deputy sees their own
    and those they co-sign; a unit officer sees items assigned to the unit (lead or co-unit)."""
    role = principal_role(user)
    qs = Suggestion.objects.select_related(*BASE_RELATED)
    if role is None:
        return qs.none()
    qs = qs.filter(township_q(user))
    if role == Role.DEPUTY:
        cosigned = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy__user=user)
        return qs.filter(Q(lead_deputy__user=user) | (Exists(cosigned) & ~Q(status=Status.DRAFT)))
    qs = qs.exclude(status=Status.DRAFT)
    if role == Role.UNIT:
        if not user.unit_id:
            return qs.none()
        co = CoUnit.objects.filter(suggestion=OuterRef("pk"), unit_id=user.unit_id)
        return qs.filter(
            Q(lead_unit_id=user.unit_id, status__in=ASSIGNED_OR_LATER)
            | (Exists(co) & Q(status__in=ASSIGNED_OR_LATER))
        )
    if role in (Role.STAFF, Role.COUNTY, Role.ADMIN, "api"):
        return qs
    return qs.none()


def suggestion_for(user, pk) -> Suggestion | None:
    return suggestions_visible_to(user).filter(pk=pk).first()


def suggestion_from_source(user, source) -> Suggestion | None:
    """The suggestion made from ``source`` (a voter opinion, a motion …), if ``user`` may read it."""
    content_type = ContentType.objects.get_for_model(source)
    return (
        suggestions_visible_to(user)
        .filter(source_content_type=content_type, source_object_id=source.pk)
        .first()
    )


# The items that can absorb a duplicate (并案): accepted and still handled by the office or a unit.
MERGE_TARGET_STATUSES = (
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.SIGNED,
    Status.RETURNED,
    Status.REPLIED,
    Status.REHANDLING,
)


def own_draft(user, pk) -> Suggestion | None:
    """A draft the deputy ``user`` leads (only its author may edit it)."""
    return suggestions_visible_to(user).filter(pk=pk, status=Status.DRAFT, lead_deputy__user=user).first()


def merge_targets(user, suggestion: Suggestion) -> QuerySet[Suggestion]:
    """The other items of the same township ``suggestion`` may be merged into, newest first."""
    return (
        suggestions_visible_to(user)
        .filter(township_id=suggestion.township_id, status__in=MERGE_TARGET_STATUSES)
        .exclude(pk=suggestion.pk)
        .select_related(None)
        .select_related("lead_deputy")
        .only("pk", "number", "title", "lead_deputy__name")
        .order_by("-pk")
    )


def attachment_of(suggestion: Suggestion, pk) -> Attachment | None:
    """One file of a suggestion the caller already reads."""
    return Attachment.objects.filter(pk=pk, suggestion=suggestion).first()


def cosign_invitations(user) -> QuerySet[CoSigner]:
    """The invitations to co-sign the deputy ``user`` has not answered, on items still going on."""
    return (
        CoSigner.objects.filter(deputy__user=user, state=CoSigner.State.INVITED)
        .exclude(
            suggestion__status__in=[
                Status.DRAFT,
                Status.CLOSED,
                Status.WITHDRAWN,
                Status.MERGED,
                Status.NOT_ACCEPTED,
            ]
        )
        .select_related("suggestion", "suggestion__lead_deputy")
    )


def open_invitation(suggestion: Suggestion, user) -> CoSigner | None:
    """The deputy ``user``'s unanswered invitation to co-sign ``suggestion``, if any."""
    return suggestion.cosigners.filter(deputy__user=user, state=CoSigner.State.INVITED).first()


def unit_inbox_counts(user, *, today: dt.date) -> dict:
    """A unit officer's counts: the unit's lead items by status, and every overdue item it sees."""
    visible = suggestions_visible_to(user)
    counts = dict(
        visible.filter(lead_unit_id=user.unit_id).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {"counts": counts, "overdue": visible.filter(overdue_q(today)).count()}


def assignable_units(township_ids) -> QuerySet[HandlingUnit]:
    """The units in use of the given townships, by township and name: what an item is assigned to."""
    return HandlingUnit.objects.filter(township_id__in=list(township_ids), is_active=True).order_by(
        "township_id", "name"
    )


def units_of(township_id, pks) -> QuerySet[HandlingUnit]:
    """The township's units with these ids (in use or not: the services refuse retired ones with a
    message); ids of another township match nothing."""
    return HandlingUnit.objects.filter(township_id=township_id, pk__in=[pk for pk in pks if pk])


def township_deputy(township_id, pk) -> Deputy | None:
    """A deputy of the township (a step may be recorded for them, 代录), or None."""
    return Deputy.objects.filter(township_id=township_id, pk=pk).first() if pk else None


def overdue_q(today: dt.date | None = None) -> Q:
    """The overdue rule (``suggestions.models.overdue_on``) as a query."""
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


def office_action_counts(*, township_id: int, today: dt.date) -> dict[str, int]:
    """What a township's office has to act on in the suggestion loop today (the dashboards'
    workbench): to review (intake), to assign or re-assign, due within a week, overdue, waiting for
    the deputy's rating, extension requests to decide."""
    open_q = Q(status__in=OPEN_STATUSES)
    week_end = today + dt.timedelta(days=7)
    return Suggestion.objects.filter(township_id=township_id).aggregate(
        intake=Count("pk", filter=Q(status=Status.SUBMITTED)),
        assign=Count("pk", filter=Q(status__in=(Status.ACCEPTED, Status.RETURNED))),
        due_week=Count("pk", filter=open_q & Q(due_date__gte=today, due_date__lte=week_end)),
        overdue=Count("pk", filter=overdue_q(today)),
        rating=Count("pk", filter=Q(status=Status.REPLIED)),
        extension=Count("pk", filter=Q(status__in=IN_HANDLING, extension_status=ExtensionStatus.PENDING)),
    )


def filter_suggestions(
    qs: QuerySet, params, *, today=None, township_ids=None, carry_over: bool = False
) -> QuerySet:
    """The list filters (status, category, unit, year, overdue, key item, source, search).
    ``township_ids``: the townships ``qs`` is limited to, if known (narrows the deputy-name search).
    With ``carry_over`` (the office's register page), a year also lists earlier years' open items."""
    today = today or timezone.localdate()
    status = params.get("status") or ""
    if status in Status.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "planned":
        qs = qs.filter(status=Status.CLOSED, planned_done_at__isnull=True).exclude(outcome_class="")
    if params.get("category"):
        qs = qs.filter(category=params["category"])
    if params.get("source"):
        qs = qs.filter(source_kind=params["source"])
    unit = int_param(params.get("unit"))
    if unit is not None:
        qs = qs.filter(lead_unit_id=unit)
    year = year_param(params.get("year"))
    if year is not None:
        # Items not yet numbered belong to the year they were received; items of earlier years
        # still open carry over into the year (shown as carried over, counted in their own year).
        qs = qs.filter(
            Q(year=year)
            | Q(year__isnull=True, submitted_at__year=year)
            | Q(year__isnull=True, submitted_at__isnull=True, created_at__year=year)
            | (carried_over_q(year) if carry_over else Q(pk__in=[]))
        )
    if params.get("overdue"):
        qs = qs.filter(overdue_q(today))
    if params.get("key"):
        qs = qs.filter(is_key=True)
    q = (params.get("q") or "").strip()
    if q:
        # The lead deputy's name among the deputies of the listed townships (when the caller knows
        # them) and never through a join: joining the deputies for a county's search made
        # PostgreSQL hash every deputy of the province.
        named = Deputy.objects.filter(name__icontains=q)
        if township_ids is not None:
            named = named.filter(township_id__in=list(township_ids))
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(lead_deputy_id__in=named.values("pk"))
            | Q(content__icontains=q)
        )
    return qs


def carried_over_q(year: int) -> Q:
    """Items of an earlier year still open at the start of ``year`` (结转)."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(year__lt=year) | Q(year__isnull=True, submitted_at__year__lt=year)
    )


def planned_pending(qs: QuerySet, township) -> QuerySet:
    """Closed items whose outcome is "planned" and not yet done: tracked across years."""
    codes = township.rules.planned_codes()
    return qs.filter(status=Status.CLOSED, outcome_class__in=codes, planned_done_at__isnull=True)


def briefing(user, township_id: int, *, today=None) -> dict:
    """The presidium-meeting briefing: every open item, overdue first, then key items, plus counts."""
    today = today or timezone.localdate()
    qs = suggestions_visible_to(user).filter(township_id=township_id)
    open_items = list(qs.filter(status__in=OPEN_STATUSES).order_by("due_date", "pk"))
    overdue = [s for s in open_items if s.is_overdue(today)]
    rest = [s for s in open_items if not s.is_overdue(today)]
    rest.sort(key=lambda s: (not s.is_key, s.due_date or dt.date.max))
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    # Shown as Chinese labels in the workflow's order (never the internal codes).
    count_rows = [(label, counts[value]) for value, label in Status.choices if counts.get(value)]
    return {"overdue": overdue, "open": rest, "counts": counts, "count_rows": count_rows, "today": today}


# ---------------------------------------------------------------- statistics


def _pct(num, den):
    return round(100.0 * num / den, 1) if den else None


def _outcome_qs(township_ids) -> tuple[Q, Q]:
    """(resolved, planned) filters. Outcome classes are per county: OR over the counties involved."""
    resolved, planned = Q(pk__in=[]), Q(pk__in=[])
    counties = County.objects.filter(townships__id__in=township_ids).distinct().select_related("countyrules")
    for county in counties:
        rules = county.rules
        resolved |= Q(township__county_id=county.pk, outcome_class__in=rules.resolved_codes())
        planned |= Q(township__county_id=county.pk, outcome_class__in=rules.planned_codes())
    return resolved, planned


def _aggregates(resolved_q: Q, planned_q: Q, today: dt.date) -> dict:
    replied = Q(replied_at__isnull=False)
    return {
        "received": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
        "not_accepted": Count("pk", filter=Q(status=Status.NOT_ACCEPTED)),
        "assigned": Count("pk", filter=Q(assigned_at__isnull=False)),
        "replied": Count("pk", filter=replied),
        "resolved": Count("pk", filter=replied & resolved_q),
        "planned": Count("pk", filter=replied & planned_q),
        "evaluated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        "on_time": Count("pk", filter=Q(replied_on_time=True)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "in_handling": Count("pk", filter=Q(status__in=IN_HANDLING)),
        "rehandled": Count("pk", filter=Q(round__gte=2)),
        "key": Count("pk", filter=Q(is_key=True)),
        "closed": Count("pk", filter=Q(status=Status.CLOSED)),
        "received_in_session": Count("pk", filter=Q(during_session=True)),
        "received_between_sessions": Count("pk", filter=Q(during_session=False)),
        "received_by_township_deputies": Count("pk", filter=Q(lead_deputy__level=DeputyLevel.TOWNSHIP)),
        "received_by_county_deputies": Count(
            "pk", filter=Q(lead_deputy__isnull=False) & ~Q(lead_deputy__level=DeputyLevel.TOWNSHIP)
        ),
    }


# Rate → (numerator, denominator): the one place the rates are defined (DOMAIN.md §4). County
# totals elsewhere (dashboards, reports) recompute rates from summed counts with this table.
STATS_RATES = {
    "completion_rate": ("replied", "assigned"),
    "resolution_rate": ("resolved", "replied"),
    "planned_share": ("planned", "replied"),
    "reference_share": ("reference", "replied"),
    "satisfaction_rate": ("satisfied", "evaluated"),
    "on_time_rate": ("on_time", "replied"),
}


def _with_rates(row: dict) -> dict:
    row["reference"] = row["replied"] - row["resolved"] - row["planned"]
    for rate, (numerator, denominator) in STATS_RATES.items():
        row[rate] = _pct(row[numerator], row[denominator])
    return row


def received_in(start: dt.date, end: dt.date) -> Q:
    """Received in [start, end] (dates inclusive, in local time)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Q(submitted_at__gte=lo, submitted_at__lt=hi) & ~Q(status=Status.DRAFT)


STATS_LABELS = {
    "received": _("收到建议"),
    "accepted": _("立案"),
    "not_accepted": _("不予立案"),
    "assigned": _("交办"),
    "replied": _("已答复"),
    "resolved": _("已解决(A)"),
    "planned": _("列入计划(B)"),
    "reference": _("留作参考(C)"),
    "evaluated": _("已测评"),
    "satisfied": _("满意及基本满意"),
    "on_time": _("按期答复"),
    "overdue": _("逾期未办"),
    "in_handling": _("办理中"),
    "rehandled": _("重新办理"),
    "key": _("重点督办"),
    "closed": _("已办结"),
    "received_in_session": _("大会期间提出"),
    "received_between_sessions": _("闭会期间提出"),
    "received_by_township_deputies": _("乡镇人大代表提出"),
    "received_by_county_deputies": _("县级及以上人大代表提出"),
    "completion_rate": _("办结率(%)"),
    "resolution_rate": _("解决率(%)"),
    "planned_share": _("列入计划比例(%)"),
    "reference_share": _("留作参考比例(%)"),
    "satisfaction_rate": _("满意率(%)"),
    "on_time_rate": _("按期答复率(%)"),
}


def township_stats(*, township_ids: list[int], start: dt.date, end: dt.date, today=None) -> dict[int, dict]:
    """{township_id: {key: number}} for suggestions received in [start, end]; one grouped query."""
    today = today or timezone.localdate()
    township_ids = list(township_ids)
    aggs = _aggregates(*_outcome_qs(township_ids), today)
    rows = (
        Suggestion.objects.filter(received_in(start, end), township_id__in=township_ids)
        .values("township_id")
        .annotate(**aggs)
        .order_by()
    )
    empty = dict.fromkeys(aggs, 0)
    out = {tid: _with_rates(dict(empty)) for tid in township_ids}
    for row in rows:
        tid = row.pop("township_id")
        out[tid] = _with_rates(row)
    return out


BREAKDOWNS = {
    "category": ("category", _("分类")),
    "source": ("source_kind", _("来源")),
    "unit": ("lead_unit__name", _("主办单位")),
    "deputy": ("lead_deputy__name", _("领衔代表")),
}


def stats_breakdown(*, township: Township, start: dt.date, end: dt.date, by: str, today=None) -> list[dict]:
    """The same figures grouped by category, source, unit or deputy (one grouped query)."""
    today = today or timezone.localdate()
    field, _label = BREAKDOWNS[by]
    aggs = _aggregates(*_outcome_qs([township.pk]), today)
    rows = (
        Suggestion.objects.filter(received_in(start, end), township=township)
        .values(field)
        .annotate(**aggs)
        .order_by("-received", field)
    )
    out = []
    source_labels = dict(Suggestion._meta.get_field("source_kind").choices)
    for row in rows:
        key = row.pop(field)
        row = _with_rates(row)
        row["key"] = str(source_labels.get(key, key)) if by == "source" else (key or "—")
        out.append(row)
    return out


def channel_split(*, township_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    """{township_id: {action: {"online": n, "recorded": n}}} for the steps that belong to a deputy or
    a unit, done in [start, end]: by the person online, or recorded for them by the office (代录).
    One grouped query."""
    from .models import RECORDED_CHANNELS, SuggestionEvent

    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        SuggestionEvent.objects.filter(
            suggestion__township_id__in=list(township_ids),
            created_at__gte=lo,
            created_at__lt=hi,
            action__in=PERSONAL_ACTIONS,
        )
        .values("suggestion__township_id", "action")
        .annotate(
            online=Count("pk", filter=~Q(channel__in=RECORDED_CHANNELS)),
            recorded=Count("pk", filter=Q(channel__in=RECORDED_CHANNELS)),
        )
        .order_by()
    )
    out: dict[int, dict] = {tid: {} for tid in township_ids}
    for row in rows:
        group = PERSONAL_ACTIONS[row["action"]]
        cell = out[row["suggestion__township_id"]].setdefault(group, {"online": 0, "recorded": 0})
        cell["online"] += row["online"]
        cell["recorded"] += row["recorded"]
    return out


# The steps that belong to a deputy or a unit (and so may be recorded on their behalf), grouped
# under one heading each for the figures.
PERSONAL_ACTIONS = {
    "sign": "sign",
    "return": "return",
    "co_input": "co_input",
    "contact": "contact",
    "request_extension": "request_extension",
    "reply": "reply",
    "rate_satisfied": "rate",
    "rate_basic": "rate",
    "rate_unsatisfied": "rate",
    "rate_unsatisfied_final": "rate",
    "cosign": "cosign",
    "cosign_decline": "cosign",
}
CHANNEL_SPLIT_LABELS = {
    "sign": _("签收"),
    "return": _("退办"),
    "co_input": _("协办意见"),
    "contact": _("沟通记录"),
    "request_extension": _("申请延期"),
    "reply": _("答复"),
    "rate": _("满意度测评"),
    "cosign": _("联名确认"),
}


# What a unit still has to do, in the order it should do it; finished items are behind a filter.
UNIT_INBOX_ACTIVE = (Status.ASSIGNED, Status.SIGNED, Status.REHANDLING, Status.REPLIED)


def unit_inbox(qs: QuerySet, params, *, today=None) -> QuerySet:
    """A unit's items by urgency: overdue, to sign, in progress (re-handling too), replied. Closed,
    withdrawn and merged items show only when the status filter asks for them."""
    from django.db.models import Case, IntegerField, Value, When

    today = today or timezone.localdate()
    qs = filter_suggestions(qs, params, today=today)
    if not params.get("status"):
        qs = qs.filter(status__in=UNIT_INBOX_ACTIVE)
    return qs.annotate(
        urgency=Case(
            When(overdue_q(today), then=Value(0)),
            When(status=Status.ASSIGNED, then=Value(1)),
            When(status__in=(Status.SIGNED, Status.REHANDLING), then=Value(2)),
            When(status=Status.REPLIED, then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "due_date", "-pk")


def data_year_queries(township_ids) -> list:
    """Years with suggestions: their numbered year, or (not yet numbered) the year they were made."""
    from django.db.models.functions import ExtractYear

    mine = Suggestion.objects.filter(township_id__in=township_ids)
    return [
        mine.filter(year__isnull=False).values_list("year", flat=True).distinct(),
        mine.filter(year__isnull=True)
        .annotate(y=ExtractYear("created_at"))
        .values_list("y", flat=True)
        .distinct(),
    ]


def deputy_suggestion_records(lo, hi) -> list[tuple[QuerySet, str]]:
    """(rows, deputy field) of the suggestions the archive source counts as made by a deputy when
    received in [lo, hi) (datetimes or expressions such as ``OuterRef``): led (not merged) and
    co-signed (confirmed); the co-signed rows come last."""
    received = Q(submitted_at__gte=lo, submitted_at__lt=hi) & ~Q(status=Status.DRAFT)
    return [
        (Suggestion.objects.filter(received).exclude(status=Status.MERGED), "lead_deputy"),
        (
            CoSigner.objects.filter(
                state=CoSigner.State.CONFIRMED,
                suggestion__submitted_at__gte=lo,
                suggestion__submitted_at__lt=hi,
            ).exclude(suggestion__status=Status.DRAFT),
            "deputy",
        ),
    ]
