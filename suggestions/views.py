"""Thin HTML views: fetch through selectors, write through services, show Chinese messages."""

import datetime as dt

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.models import Deputy
from deputies.selectors import deputy_for_user
from presidium.http import safe_next
from presidium.models import HandlingUnit, Role
from presidium.paging import keyset_page
from presidium.permissions import role_required
from presidium.selectors import principal_role, selectable_years, townships_visible_to
from presidium.uploads import serve_upload

from . import exports, forms, selectors, services, workflow
from .forms import SuggestionForm
from .models import (
    RECORDED_CHANNELS,
    Attachment,
    Channel,
    ContactRecord,
    CoSigner,
    ExtensionStatus,
    Level,
    Rating,
    SourceKind,
    Status,
    Suggestion,
)

PAGE_SIZE = 50
MERGE_TARGET_STATUSES = (
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.SIGNED,
    Status.RETURNED,
    Status.REPLIED,
    Status.REHANDLING,
)
# The register list's table: what it shows and what its badges read, nothing more (no long texts).
LIST_COLUMNS = (
    "pk",
    "township_id",
    "township__name",
    "number",
    "title",
    "status",
    "category",
    "due_date",
    "deadlines_provisional",
    "is_key",
    "created_at",
    "year",  # with submitted_at: marks an earlier year's open item as carried over
    "submitted_at",
    "lead_deputy_id",
    "lead_deputy__name",
    "lead_unit_id",
    "lead_unit__name",
)
STAFFISH = (Role.STAFF, Role.COUNTY)


def _errors(request, exc):
    for msg in getattr(exc, "messages", [str(exc)]):
        messages.error(request, msg)


def _staff_township(request):
    """The township a staff user works on (a superuser: the first one, or ?township=)."""
    user = request.user
    if user.township_id:
        return user.township
    qs = townships_visible_to(user)
    tid = request.GET.get("township") or request.POST.get("township") or ""
    if tid.isdigit():
        return get_object_or_404(qs, pk=int(tid))
    return qs.first()


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- lists


@role_required(Role.STAFF, Role.COUNTY)
def suggestion_list(request):
    """The office's register with filters (status, category, unit, year, overdue, key, source, search)."""
    user = request.user
    townships = list(townships_visible_to(user).only("pk", "name", "county_id"))
    qs = selectors.filter_suggestions(
        selectors.suggestions_visible_to(user),
        request.GET,
        township_ids=[t.pk for t in townships],
        carry_over=True,
    )
    # Only the columns the table shows; keyset pages, so a county's last page costs what its first does.
    page = keyset_page(qs.only(*LIST_COLUMNS), request.GET, size=PAGE_SIZE)
    year = request.GET.get("year") or ""
    selected_year = int(year) if year.isdigit() else None
    for s in page:
        own = s.year or (s.submitted_at.year if s.submitted_at else selected_year)
        s.carried_over = bool(selected_year and s.is_open and own and own < selected_year)
    township = user.township if user.township_id else (townships[0] if townships else None)
    units = (
        HandlingUnit.objects.filter(township_id__in=[t.pk for t in townships], is_active=True)
        .only("pk", "name", "township_id")
        .order_by("township_id", "name")
    )
    categories = township.rules.categories if township else []
    return render(
        request,
        "suggestions/list.html",
        {
            "page": page,
            "units": units,
            "categories": categories,
            "statuses": Status.choices,
            "sources": SourceKind.choices,
            "today": timezone.localdate(),
            "params": request.GET,
            "can_edit": principal_role(user) in (Role.STAFF, Role.ADMIN),
            "years": selectable_years(request.user, today=timezone.localdate()),
        },
    )


@role_required(Role.DEPUTY)
def my_suggestions(request):
    """A deputy's landing page: their suggestions, drafts and co-signing invitations."""
    deputy = deputy_for_user(request.user)
    qs = selectors.suggestions_visible_to(request.user).order_by("-created_at", "-pk")
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    invitations = (
        CoSigner.objects.filter(deputy__user=request.user, state=CoSigner.State.INVITED)
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
    return render(
        request,
        "suggestions/my.html",
        {
            "deputy": deputy,
            "page": _page(request, qs),
            "invitations": invitations,
            "to_rate": qs.filter(status=Status.REPLIED, lead_deputy__user=request.user).count(),
            "rate_items": list(
                selectors.suggestions_visible_to(request.user)
                .filter(status=Status.REPLIED, lead_deputy__user=request.user)
                .order_by("replied_at", "pk")[:10]
            ),
            **_deputy_owed(request.user, deputy),
            "q": q,
            "today": timezone.localdate(),
        },
    )


def _deputy_owed(user, deputy) -> dict:
    """What else the deputy owes, shown at the top of their landing page: livelihood-project
    ballots and democratic appraisals to vote in, sessions coming up (read the reports, attend and vote) and voters' messages left
    through their code."""
    if deputy is None:
        return {}
    from congress.selectors import sessions_for_deputy
    from deputies.models import VoterOpinion
    from supervision.selectors import appraisals_open_for_deputy

    today = timezone.localdate()
    ballots = []
    if django_apps.is_installed("livelihood"):
        from django.db.models import Exists, OuterRef

        from livelihood.models import BallotVoter, ProjectBallot

        ballots = list(
            ProjectBallot.objects.filter(township_id=deputy.township_id, status=ProjectBallot.Status.OPEN)
            .exclude(Exists(BallotVoter.objects.filter(ballot=OuterRef("pk"), deputy=deputy)))
            .select_related("session__term")[:3]
        )
    return {
        "ballots": ballots,
        "appraisals": list(appraisals_open_for_deputy(user).filter(has_voted=False)[:5]),
        "upcoming_sessions": list(
            sessions_for_deputy(user).filter(start_date__gte=today).order_by("start_date", "pk")[:3]
        ),
        "code_messages": list(
            VoterOpinion.objects.filter(
                deputy=deputy, status=VoterOpinion.Status.OPEN, responded_at__isnull=True
            ).order_by("created_at", "pk")[:5]
        ),
    }


@role_required(Role.UNIT)
def unit_inbox(request):
    """A unit officer's landing page: items assigned to the unit (lead or co-unit), overdue first."""
    today = timezone.localdate()
    qs = selectors.unit_inbox(selectors.suggestions_visible_to(request.user), request.GET, today=today)
    counts = dict(
        selectors.suggestions_visible_to(request.user)
        .filter(lead_unit_id=request.user.unit_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overdue = selectors.suggestions_visible_to(request.user).filter(selectors.overdue_q(today)).count()
    return render(
        request,
        "suggestions/unit_inbox.html",
        {
            "page": _page(request, qs),
            "showing_finished": bool(request.GET.get("status")),
            "counts": counts,
            "overdue": overdue,
            "today": today,
            "params": request.GET,
            "statuses": Status.choices,
        },
    )


@role_required(Role.STAFF, Role.COUNTY)
def briefing(request):
    """For presidium meetings: every open item, overdue first."""
    township = _staff_township(request)
    if township is None:
        raise Http404
    data = selectors.briefing(request.user, township.pk)
    return render(
        request,
        "suggestions/briefing.html",
        {
            "township": township,
            **data,
            "planned": selectors.planned_pending(
                selectors.suggestions_visible_to(request.user).filter(township=township), township
            ),
        },
    )


@role_required(Role.STAFF, Role.COUNTY)
def briefing_pdf(request):
    """The same briefing as a printable PDF for the presidium meeting."""
    from presidium.pdf import pdf_response, render_pdf

    township = _staff_township(request)
    if township is None:
        raise Http404
    data = selectors.briefing(request.user, township.pk)
    sections = [(_("逾期事项"), data["overdue"], True), (_("在办事项"), data["open"], False)]
    pdf = render_pdf(
        "suggestions/pdf/briefing.html",
        {"township": township, "today": data["today"], "sections": sections, "title": _("建议办理情况通报")},
    )
    return pdf_response(pdf, f"{township.name}-建议办理情况通报.pdf")


def _period(request):
    today = timezone.localdate()
    year = request.GET.get("year") or ""
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    return year, dt.date(year, 1, 1), dt.date(year, 12, 31)


@role_required(Role.STAFF, Role.COUNTY)
def stats(request):
    year, start, end = _period(request)
    townships = list(townships_visible_to(request.user))
    by_township = selectors.township_stats(township_ids=[t.pk for t in townships], start=start, end=end)
    township = _staff_township(request)
    breakdowns = {}
    if township is not None:
        for key, (_field, label) in selectors.BREAKDOWNS.items():
            breakdowns[key] = (
                label,
                selectors.stats_breakdown(township=township, start=start, end=end, by=key),
            )
    rows = [(t, by_township[t.pk]) for t in townships]
    split = selectors.channel_split(township_ids=[t.pk for t in townships], start=start, end=end)
    empty = {"online": 0, "recorded": 0}
    channel_rows = [
        (t, [split[t.pk].get(key, empty) for key in selectors.CHANNEL_SPLIT_LABELS]) for t in townships
    ]
    return render(
        request,
        "suggestions/stats.html",
        {
            "year": year,
            "rows": rows,
            "channel_rows": channel_rows,
            "channel_labels": selectors.CHANNEL_SPLIT_LABELS,
            "labels": selectors.STATS_LABELS,
            "breakdowns": breakdowns,
            "township": township,
            "years": selectable_years(request.user, today=timezone.localdate()),
        },
    )


# ---------------------------------------------------------------- create / edit


@role_required(Role.DEPUTY)
def suggestion_new(request):
    deputy = deputy_for_user(request.user)
    if deputy is None:
        messages.error(request, _("您的账号未关联代表信息，请联系人大办。"))
        return redirect("suggestions:my")
    form = SuggestionForm(
        request.POST or None, request.FILES or None, township=deputy.township, exclude_deputy=deputy
    )
    if request.method == "POST" and form.is_valid():
        try:
            s = services.suggestion_create_by_deputy(
                deputy=deputy,
                actor=request.user,
                submit="submit" in request.POST,
                files=form.cleaned_data["attachments"],
                **{
                    k: form.cleaned_data[k]
                    for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                },
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("建议已提交，人大办将尽快审查。")
                if s.status == Status.SUBMITTED
                else _("草稿已保存，仅您本人可见。"),
            )
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("提出建议")})


@role_required(Role.DEPUTY)
def suggestion_edit(request, pk):
    s = get_object_or_404(
        selectors.suggestions_visible_to(request.user),
        pk=pk,
        status=Status.DRAFT,
        lead_deputy__user=request.user,
    )
    initial = {
        "title": s.title,
        "content": s.content,
        "reasons": s.reasons,
        "solution": s.solution,
        "category": s.category,
        "co_deputies": [c.deputy_id for c in s.cosigners.all()],
    }
    form = SuggestionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        township=s.township,
        exclude_deputy=s.lead_deputy,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.suggestion_update_draft(
                    suggestion=s,
                    actor=request.user,
                    files=form.cleaned_data["attachments"],
                    **{
                        k: form.cleaned_data[k]
                        for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                    },
                )
                if "submit" in request.POST:
                    services.suggestion_submit(suggestion=s, actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("修改草稿"), "suggestion": s})


@role_required(Role.STAFF)
def suggestion_paper(request):
    """Staff enter a suggestion handed in on paper (at a session or between sessions), as it arrives."""
    township = _staff_township(request)
    if township is None:
        raise Http404
    form = SuggestionForm(request.POST or None, request.FILES or None, township=township, lead_required=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            s = services.suggestion_create_paper(
                township=township,
                actor=request.user,
                lead_deputy=data["lead_deputy"],
                received_on=data["received_on"],
                session=data["session"],
                level=data["level"],
                originals=data["originals"],
                files=data["attachments"],
                **{
                    k: data[k] for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                },
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("书面建议已录入。"))
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("录入书面建议")})


def _row_count(value, default=10) -> int:
    n = _int(str(value or "")) or default
    return max(1, min(n, forms.MAX_BATCH_ROWS))


@role_required(Role.STAFF)
def suggestion_paper_batch(request):
    """After a session: a stack of paper suggestions on one keyboard-friendly page, one row each,
    saved all or nothing; then the ones just entered are assigned in batch (交办会)."""
    township = _staff_township(request)
    if township is None:
        raise Http404
    picker = forms.deputy_picker(township)
    count = _row_count(request.POST.get("rows") or request.GET.get("rows"))
    header = forms.PaperBatchHeaderForm(
        request.POST or None,
        township=township,
        initial={"received_on": timezone.localdate(), "accept": True},
    )
    raw = [{"n": i} for i in range(1, count + 1)]
    errors: list[str] = []
    if request.method == "POST" and "more" in request.POST:
        # More rows, keeping what was typed: nothing is saved yet.
        _rows, _errors, raw = forms.parse_batch_rows(request.POST, picker, count)
        count = _row_count(count + 10)
        raw += [{"n": i} for i in range(len(raw) + 1, count + 1)]
    elif request.method == "POST":
        rows, errors, raw = forms.parse_batch_rows(request.POST, picker, count)
        if not header.is_valid():
            errors = [
                f"{header.fields[k].label}：{m}" for k, ms in header.errors.items() for m in ms
            ] + errors
        elif not rows and not errors:
            errors = [_("请至少填写一行建议。")]
        if not errors:
            data = header.cleaned_data
            try:
                created = services.suggestion_create_paper_batch(
                    township=township,
                    actor=request.user,
                    rows=rows,
                    received_on=data["received_on"],
                    session=data["session"],
                    accept=data["accept"],
                )
            except (ValidationError, PermissionDenied) as exc:
                errors = list(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("已录入 %(n)s 条书面建议。") % {"n": len(created)})
                return redirect(
                    f"{reverse('suggestions:paper_batch')}?done={','.join(str(s.pk) for s in created)}"
                )
        for msg in errors:
            messages.error(request, msg)
    done_ids = [i for i in map(_int, (request.GET.get("done") or "").split(",")) if i][: forms.MAX_BATCH_ROWS]
    done = (
        list(
            selectors.suggestions_visible_to(request.user)
            .filter(township=township, pk__in=done_ids)
            .order_by("seq", "pk")
        )
        if done_ids
        else []
    )
    return render(
        request,
        "suggestions/paper_batch.html",
        {
            "header": header,
            "raw_rows": raw,
            "rows": count,
            "picker": list(picker),
            "categories": township.rules.categories,
            "levels": Level.choices,
            "done": done,
            "done_path": request.get_full_path(),
            "units": HandlingUnit.objects.filter(township=township, is_active=True).order_by("name")
            if done
            else [],
        },
    )


# ---------------------------------------------------------------- detail and actions


def _visible_or_404(request, pk) -> Suggestion:
    if not request.user.is_authenticated:
        raise PermissionDenied
    s = selectors.suggestion_for(request.user, pk)
    if s is None:
        raise Http404
    return s


@role_required()
def suggestion_detail(request, pk):
    s = _visible_or_404(request, pk)
    rules = s.township.rules
    actions = set(workflow.available_actions(s, request.user))
    ctx = {
        "s": s,
        "actions": actions,
        "today": timezone.localdate(),
        "events": s.events.select_related("actor", "on_behalf_deputy", "on_behalf_unit"),
        "cosigners": s.cosigners.select_related("deputy"),
        "co_units": s.co_units.select_related("unit"),
        "contacts": s.contacts.all(),
        "replies": (replies := list(s.replies.select_related("unit"))),
        "latest_reply": replies[-1] if replies else None,
        "evaluations": s.evaluations.all(),
        "attachments": s.attachments.all(),
        "outcome_classes": rules.outcome_classes,
        "outcome_labels": {c["code"]: c["label"] for c in rules.outcome_classes},
        "categories": rules.categories,
        "levels": Level.choices,
        "reasons": rules.not_accepted_reasons,
        "ratings": Rating.choices,
        "contact_methods": ContactRecord.Method.choices,
        "my_cosign": s.cosigners.filter(deputy__user=request.user, state=CoSigner.State.INVITED).first()
        if request.user.role == Role.DEPUTY
        else None,
        "is_staff": workflow.is_staff_of(request.user, s.township_id),
        "extension_pending": s.extension_status == ExtensionStatus.PENDING,
        "channels": [(v, label) for v, label in Channel.choices if v in RECORDED_CHANNELS],
    }
    if ctx["is_staff"]:
        ctx["proxies"] = _proxy_panels(s, request.user)
    draft = request.session.pop(DRAFT_KEY, None)
    if draft and draft.get("pk") == s.pk:
        ctx["draft"] = draft
    source = s.source if s.source_object_id else None
    if source is not None:
        ctx["source"] = source
        try:
            ctx["source_url"] = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
        except Exception:  # a source without a resolvable page is shown as text only
            ctx["source_url"] = ""
    if "assign" in actions:
        ctx["units"] = HandlingUnit.objects.filter(township_id=s.township_id, is_active=True).order_by("name")
    if "merge" in actions:
        # Only items the office has accepted and still handles can absorb a duplicate.
        ctx["merge_targets"] = (
            Suggestion.objects.filter(township_id=s.township_id, status__in=MERGE_TARGET_STATUSES)
            .exclude(pk=s.pk)
            .only("pk", "number", "title", "lead_deputy__name")
            .select_related("lead_deputy")
            .order_by("-pk")
        )
    return render(request, "suggestions/detail.html", ctx)


# The actions staff may record for a deputy or a unit (代录), in the order the page offers them.
PROXY_ACTIONS = (
    "sign",
    "return",
    "co_input",
    "contact",
    "request_extension",
    "reply",
    "rate",
    "planned_done",
    "withdraw",
)


def _proxy_panels(s: Suggestion, user) -> list[dict]:
    """For each deputy or unit a step belongs to, what the office may record for them now: the same
    transition table decides, with that person's roles (suggestions.workflow.OnBehalf)."""
    panels = []
    principals = []
    if s.lead_deputy_id:
        principals.append(("deputy", s.lead_deputy))
    if s.lead_unit_id:
        principals.append(("unit", s.lead_unit))
    principals += [("unit", c.unit) for c in s.co_units.select_related("unit") if c.unit_id != s.lead_unit_id]
    for kind, who in principals:
        ob = workflow.OnBehalf(channel=Channel.PAPER, **{kind: who})
        actions = set(workflow.available_actions(s, user, ob))
        if actions & {"rate_satisfied", "rate_basic", "rate_unsatisfied", "rate_unsatisfied_final"}:
            actions.add("rate")
        actions &= set(PROXY_ACTIONS)
        if actions:
            panels.append({"kind": kind, "who": who, "actions": actions})
    if s.status not in (Status.DRAFT, Status.CLOSED, Status.WITHDRAWN, Status.MERGED, Status.NOT_ACCEPTED):
        invited = [
            c.deputy for c in s.cosigners.select_related("deputy") if c.state == CoSigner.State.INVITED
        ]
        for deputy in invited:
            panels.append({"kind": "deputy", "who": deputy, "actions": {"cosign"}})
    return panels


def _on_behalf(s: Suggestion, post) -> workflow.OnBehalf | None:
    """The deputy or unit a posted step is recorded for (代录), or None for the user's own action.
    The person must belong to the suggestion's township; the table then checks their role."""
    channel = (post.get("channel") or "").strip()
    deputy_id, unit_id = _int(post.get("on_behalf_deputy")), _int(post.get("on_behalf_unit"))
    if not channel and not deputy_id and not unit_id:
        return None
    deputy = Deputy.objects.filter(township_id=s.township_id, pk=deputy_id).first() if deputy_id else None
    unit = HandlingUnit.objects.filter(township_id=s.township_id, pk=unit_id).first() if unit_id else None
    if (deputy_id and deputy is None) or (unit_id and unit is None):
        raise ValidationError(_("代录的代表或单位不属于本乡镇。"))
    return workflow.OnBehalf(channel=channel, deputy=deputy, unit=unit)


def _int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _do(action, s, request):
    """Map a posted action to its service call; the services check everything."""
    p, user = request.POST, request.user
    v = _int(p.get("version"))
    common = {"suggestion": s, "actor": user}
    on_behalf = _on_behalf(s, p)
    if on_behalf is not None:
        if action not in PROXY_ACTIONS:
            raise PermissionDenied(_("此操作不能代录。"))
        common["on_behalf"] = on_behalf
    if action == "submit":
        return services.suggestion_submit(**common, expected_version=v)
    if action == "withdraw":
        return services.suggestion_withdraw(**common, reason=p.get("comment", ""), expected_version=v)
    if action == "accept":
        return services.suggestion_accept(
            **common, category=p.get("category", ""), level=p.get("level", ""), expected_version=v
        )
    if action == "not_accept":
        return services.suggestion_not_accept(
            **common, reason=p.get("reason", ""), note=p.get("comment", ""), expected_version=v
        )
    if action == "merge":
        into = selectors.suggestions_visible_to(user).filter(pk=_int(p.get("into")) or 0).first()
        if into is None:
            raise ValidationError(_("请选择要并入的建议。"))
        return services.suggestion_merge(**common, into=into, expected_version=v)
    if action == "assign":
        units = HandlingUnit.objects.filter(township_id=s.township_id)
        unit = units.filter(pk=_int(p.get("unit")) or 0).first()
        co = list(units.filter(pk__in=[i for i in map(_int, p.getlist("co_units")) if i]))
        return services.suggestion_assign(
            **common,
            unit=unit,
            co_units=co,
            responsible_leader=p.get("responsible_leader", ""),
            expected_version=v,
        )
    if action in ("mark_key", "unmark_key"):
        return services.suggestion_set_key(
            **common, key=action == "mark_key", comment=p.get("comment", ""), expected_version=v
        )
    if action == "sign":
        return services.suggestion_sign(**common, expected_version=v)
    if action == "return":
        return services.suggestion_return(**common, reason=p.get("comment", ""), expected_version=v)
    if action == "co_input":
        return services.suggestion_co_input(**common, text=p.get("comment", ""))
    if action == "contact":
        return services.suggestion_record_contact(
            **common,
            contacted_on=_date(p.get("contacted_on")),
            method=p.get("method", ""),
            summary=p.get("comment", ""),
        )
    if action == "request_extension":
        return services.suggestion_request_extension(
            **common, until=_date(p.get("until")), reason=p.get("comment", ""), expected_version=v
        )
    if action in ("approve_extension", "refuse_extension"):
        return services.suggestion_decide_extension(
            **common, approve=action == "approve_extension", comment=p.get("comment", ""), expected_version=v
        )
    if action == "reply":
        from .forms import MultipleFileField

        files = MultipleFileField().clean(request.FILES.getlist("attachments"))
        return services.suggestion_reply(
            **common,
            outcome_class=p.get("outcome_class", ""),
            text=p.get("comment", ""),
            files=files,
            expected_version=v,
        )
    if action == "rate":
        return services.suggestion_evaluate(
            **common, rating=p.get("rating", ""), comment=p.get("comment", ""), expected_version=v
        )
    if action == "planned_done":
        return services.suggestion_planned_done(**common, comment=p.get("comment", ""), expected_version=v)
    raise Http404


def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


DRAFT_KEY = "suggestion_action_draft"
DRAFT_FIELDS = ("comment", "outcome_class", "until", "contacted_on", "method", "rating", "responsible_leader")

# After each action: what was done and what happens next (never a bare "done").
DONE_MESSAGES = {
    "submit": gettext_lazy("建议已提交，人大办将尽快审查，结果会通知您。"),
    "withdraw": gettext_lazy("建议已撤回，不再办理；已交办的承办单位会收到通知。"),
    "accept": gettext_lazy("已立案并编号，下一步请交办承办单位。"),
    "not_accept": gettext_lazy("已不予立案，代表会收到理由。"),
    "merge": gettext_lazy("已并案，代表会收到通知，其代表已列为联名代表。"),
    "assign": gettext_lazy("已交办，承办单位和代表会收到通知；承办单位须按期签收。"),
    "mark_key": gettext_lazy("已列为重点督办，承办单位会收到通知。"),
    "unmark_key": gettext_lazy("已取消重点督办。"),
    "sign": gettext_lazy("已签收，请与代表沟通后在期限内答复。"),
    "return": gettext_lazy("已退办，人大办会改派其他单位。"),
    "co_input": gettext_lazy("协办意见已送主办单位。"),
    "contact": gettext_lazy("沟通记录已保存，现在可以答复。"),
    "request_extension": gettext_lazy("延期申请已提交，等待人大办审批。"),
    "approve_extension": gettext_lazy("已同意延期，承办单位和代表会收到新的答复期限。"),
    "refuse_extension": gettext_lazy("已不同意延期，答复期限不变，承办单位和代表会收到通知。"),
    "reply": gettext_lazy("答复已提交，等待代表评价。"),
    "planned_done": gettext_lazy("计划事项已标记完成，代表会收到通知。"),
}


# After a step recorded for a deputy or unit (代录): said to the office, not to the person.
RECORDED_NEXT = {
    "sign": gettext_lazy("答复期限照常计算；单位与代表沟通、答复后可继续代录。"),
    "return": gettext_lazy("请改派其他承办单位。"),
    "co_input": gettext_lazy("协办意见已送主办单位。"),
    "contact": gettext_lazy("现在可以代录答复。"),
    "request_extension": gettext_lazy("延期申请待审批。"),
    "reply": gettext_lazy("等待代表评价，也可代录代表的评价。"),
    "planned_done": gettext_lazy("代表会收到通知。"),
    "withdraw": gettext_lazy("建议已撤回，不再办理。"),
}


def _recorded_message(action, s, on_behalf) -> str:
    who = _("代表%(name)s") % {"name": on_behalf.deputy.name} if on_behalf.deputy else on_behalf.unit.name
    done = _("已代 %(who)s 录入（%(channel)s）。") % {"who": who, "channel": Channel(on_behalf.channel).label}
    if action == "rate":
        s.refresh_from_db(fields=["status"])
        if s.status == Status.REHANDLING:
            return done + str(_("代表不满意，承办单位将重新办理并再次答复。"))
        return done + str(_("这条建议已办结，代表登录后可以看到评价记录。"))
    return done + str(RECORDED_NEXT.get(action, ""))


def _done_message(action, s):
    if action == "rate":
        s.refresh_from_db(fields=["status"])
        if s.status == Status.REHANDLING:
            return _("评价已提交，承办单位将重新办理并再次答复您。")
        return _("评价已提交，这条建议已办结。谢谢您的监督。")
    return str(DONE_MESSAGES.get(action, _("已保存。")))


@require_POST
@role_required()
def suggestion_action(request, pk, action):
    s = _visible_or_404(request, pk)
    try:
        with transaction.atomic():
            _do(action, s, request)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行此操作。"))
        return (
            redirect("suggestions:detail", pk=s.pk)
            if selectors.suggestion_for(request.user, pk)
            else redirect("home")
        )
    except ValidationError as exc:
        _errors(request, exc)
        # Keep what was typed (a refused attachment must not cost the unit its whole reply).
        request.session[DRAFT_KEY] = {
            "pk": s.pk,
            "action": action,
            **{k: request.POST.get(k, "")[:20000] for k in DRAFT_FIELDS if k in request.POST},
        }
    else:
        on_behalf = _on_behalf(s, request.POST)
        if on_behalf is not None:
            messages.success(request, _recorded_message(action, s, on_behalf))
        else:
            messages.success(request, _done_message(action, s))
    if selectors.suggestion_for(request.user, pk) is None:
        # e.g. a unit that returned the item no longer sees it
        return redirect("home")
    return redirect("suggestions:detail", pk=s.pk)


@require_POST
@role_required(Role.DEPUTY, Role.STAFF)
def cosign(request, pk):
    s = _visible_or_404(request, pk)
    try:
        services.cosigner_respond(
            suggestion=s,
            actor=request.user,
            confirm=request.POST.get("confirm") == "1",
            on_behalf=_on_behalf(s, request.POST),
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("已确认联名。") if request.POST.get("confirm") == "1" else _("已谢绝联名。")
        )
    return redirect("suggestions:detail", pk=s.pk)


@role_required()
def attachment_download(request, pk, file_pk):
    s = _visible_or_404(request, pk)
    att = get_object_or_404(Attachment, pk=file_pk, suggestion=s)
    return serve_upload(att.file, name=att.name)


@require_POST
@role_required(Role.STAFF)
def batch_assign(request):
    """交办会: assign the ticked accepted items to one unit at once (all or nothing)."""
    township = _staff_township(request)
    ids = [i for i in map(_int, request.POST.getlist("ids")) if i]
    items = list(selectors.suggestions_visible_to(request.user).filter(pk__in=ids, township=township))
    unit = HandlingUnit.objects.filter(township=township, pk=_int(request.POST.get("unit")) or 0).first()
    if not items:
        messages.error(request, _("请勾选要交办的建议。"))
    else:
        try:
            n = services.suggestion_assign_batch(
                suggestions=items,
                actor=request.user,
                unit=unit,
                responsible_leader=request.POST.get("responsible_leader", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已交办 %(n)s 条建议。") % {"n": n})
    return redirect(safe_next(request, "suggestions:list"))


EXPORT_FILTERS = ("status", "category", "source", "unit", "year", "overdue", "key", "q")


@role_required(Role.STAFF, Role.COUNTY)
def export_register(request):
    """The register as Excel. Up to ``settings.EXPORT_BACKGROUND_ROWS`` rows it downloads at once;
    beyond (a county's register) it is written by the background job with the same filters and the
    user's own visibility, and the user follows its progress on the job page."""
    qs = selectors.filter_suggestions(selectors.suggestions_visible_to(request.user), request.GET)
    if qs.count() <= settings.EXPORT_BACKGROUND_ROWS:
        return exports.register_response(qs)
    from reports.models import JobKind
    from reports.services import report_job_request

    user = request.user
    township = _staff_township(request)
    if township is None:
        raise Http404
    filters = {k: str(request.GET[k]).strip()[:100] for k in EXPORT_FILTERS if request.GET.get(k)}
    scope = str(user.county) if user.county_id else _("全部乡镇")
    if user.township_id:
        scope = township.name
    try:
        job, _created = report_job_request(
            township=township,
            kind=JobKind.SUGGESTIONS_XLSX,
            year=timezone.localdate().year,
            actor=user,
            params={"filters": filters, "scope": scope},
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("suggestions:list")
    messages.info(request, _("导出行数较多，已转入后台生成，完成后可在本页下载。"))
    return redirect("reports:job_detail", pk=job.pk)


@role_required(Role.STAFF, Role.COUNTY)
def export_summary(request):
    year, start, end = _period(request)
    townships = list(townships_visible_to(request.user))
    return exports.summary_response(townships, year, start, end, _staff_township(request))


# --- history import: past years' registers (建议登记簿, 信访登记簿) -------------------------------------------

HISTORY_SESSION_KEY = "history_import"


def _history_kinds():
    from supervision import history as petitions_history

    from . import history as suggestions_history

    return {
        "suggestions": (suggestions_history, _("代表建议登记簿")),
        "petitions": (petitions_history, _("人民来信来访登记簿")),
    }


def _history_mappings(post, module) -> dict:
    mappings = {}
    for name, target in post.items():
        if name.startswith("map_target_") and target:
            suffix = name.removeprefix("map_target_")
            key, source = post.get(f"map_field_{suffix}", ""), post.get(f"map_source_{suffix}", "")
            if key in module.MAPPED and source:
                mappings[(key, source)] = target
    return mappings


def _history_page(request, context):
    context.setdefault("kinds", [(k, label) for k, (_m, label) in _history_kinds().items()])
    return render(request, "suggestions/history_import.html", context)


@role_required(Role.STAFF)
def history_import(request):
    """Upload a past year's register, check it row by row and preview it (nothing is written)."""
    from deputies.importing import read_upload

    township = _staff_township(request)
    if township is None or not request.user.township_id:
        raise PermissionDenied
    kinds = _history_kinds()
    kind = request.POST.get("kind") or request.GET.get("kind") or "suggestions"
    if kind not in kinds:
        kind = "suggestions"
    context = {"kind": kind}
    if request.method != "POST":
        return _history_page(request, context)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的登记簿文件。"))
        return _history_page(request, context)
    module, _label = kinds[kind]
    try:
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(
                _("文件过大（%(mb).1f MB），导入文件不能超过 5 MB。") % {"mb": upload.size / 1048576}
            )
        data = upload.read()
        sheet = read_upload(name=upload.name, data=data)
        report = module.history_import(township=township, sheet=sheet, actor=request.user, commit=False)
    except ValidationError as exc:
        _errors(request, exc)
        return _history_page(request, context)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from presidium.sheet_reader import dump_sheet

    # The parsed rows wait for the confirmation, so the file is not parsed twice.
    path = default_storage.save(
        f"imports/history/{timezone.now():%Y%m%d%H%M%S%f}.json", ContentFile(dump_sheet(sheet))
    )
    request.session[HISTORY_SESSION_KEY] = {
        "path": path,
        "name": upload.name,
        "kind": kind,
        "township": township.pk,
    }
    if report.errors:
        messages.error(
            request,
            _("文件中有 %(n)s 处错误，未导入任何数据。请修改后重新上传。") % {"n": len(report.errors)},
        )
    return _history_page(request, {**context, "report": report, "unknown": _unknown_rows(report, {})})


def _unknown_rows(report, mappings):
    return [
        (i, key, label, source, rows, choices, mappings.get((key, source), ""))
        for i, (key, label, source, rows, choices) in enumerate(report.unknown_list)
    ]


@require_POST
@role_required(Role.STAFF)
def history_import_confirm(request):
    """Re-check the pending register with the mappings chosen; on "确认导入" write every row or none."""
    from django.core.files.storage import default_storage

    from presidium.sheet_reader import load_sheet

    township = _staff_township(request)
    pending = request.session.get(HISTORY_SESSION_KEY)
    if not pending or township is None or pending.get("township") != township.pk:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("suggestions:history_import")
    module, _label = _history_kinds()[pending["kind"]]
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = fh.read()
    except OSError:
        request.session.pop(HISTORY_SESSION_KEY, None)
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("suggestions:history_import")
    commit = request.POST.get("action", "commit") == "commit"
    mappings = _history_mappings(request.POST, module)
    try:
        sheet = load_sheet(data)
        report = module.history_import(
            township=township, sheet=sheet, actor=request.user, commit=commit, mappings=mappings
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("suggestions:history_import")
    if commit and report.ok:
        request.session.pop(HISTORY_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        messages.success(
            request, _("已导入 %(n)s 条历史记录（均为已办结，保留原编号）。") % {"n": report.created}
        )
        return redirect("supervision:petitions" if pending["kind"] == "petitions" else "suggestions:list")
    if commit:
        messages.error(request, _("尚有问题未解决，未导入任何数据。"))
    return _history_page(
        request, {"kind": pending["kind"], "report": report, "unknown": _unknown_rows(report, mappings)}
    )
